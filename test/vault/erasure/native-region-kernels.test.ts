import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededBytes, slowMul } from '../../helpers/gf-reference.js';
import { canBuildAddons } from '../../helpers/native-build.js';
import { type NativeGf256, gf256SelfTestFailure, loadNativeGf256 } from '../../../src-main/vault/erasure/native-region-kernels.js';

const native = loadNativeGf256();
const withAddon = native.addon ? it : it.skip;
// Skipped tests say why once, in test/helpers/region-kernel-kinds.ts.
const cpuFlags = new Set(/^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim().split(/\s+/) ?? []);
const hasGfni = process.arch === 'x64' && cpuFlags.has('gfni') && (cpuFlags.has('avx2') || cpuFlags.has('avx512bw'));

/** The sum Σ row[j]·sources[j], byte by byte with the slow multiply. */
function reference(row: Uint8Array, sources: readonly Uint8Array[], length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => row.reduce((sum, c, j) => sum ^ slowMul(c, sources[j]![i]!), 0));
}

/** `length` seeded bytes at byteOffset `offset` of a larger buffer whose other bytes are 0xa5. */
function placed(offset: number, length: number, seed: number): Uint8Array {
  const backing = new Uint8Array(offset + length + 70).fill(0xa5);
  const view = backing.subarray(offset, offset + length);
  view.set(seededBytes(length, seed));
  return view;
}

describe('the native GF(2^8) kernels (native/gf256)', () => {
  it('are built and loaded wherever the addons can be built on an x86-64 CPU with GFNI', () => {
    if (!canBuildAddons() || !hasGfni) {
      console.log('no C compiler, make or Python 3, or no GFNI with AVX2 here: only checking that nothing native was claimed');
      if (native.addon) expect(hasGfni).toBe(true);
      return;
    }
    // DFS_VAULT_GF256_KERNEL=avx2 in the environment makes the addon run its 32-byte loop.
    const wide = cpuFlags.has('avx512bw') && process.env.DFS_VAULT_GF256_KERNEL !== 'avx2';
    expect(native).toMatchObject({ addon: { kernel: wide ? 'gfni-avx512' : 'gfni-avx2' } });
  });

  withAddon('sum two sources into two outputs at every length from 0 to 300, at unaligned offsets, touching nothing around them', () => {
    const addon = native.addon!;
    const rows = [Uint8Array.of(1, 1), Uint8Array.of(0x8e, 0x47)];
    const mismatches: string[] = [];
    for (let length = 0; length <= 300; length++) {
      const offset = length % 7;
      const sources = [placed(offset, length, length + 1), placed(offset + 1, length, length + 2)];
      const outs = [placed(offset + 2, length, 3), placed(offset + 3, length, 4)];
      addon.combine(outs, rows, sources);
      outs.forEach((out, i) => {
        if (!Buffer.from(out).equals(reference(rows[i]!, sources, length))) mismatches.push(`row ${i}, ${length} bytes`);
        const around = new Uint8Array(out.buffer);
        if (around.subarray(0, out.byteOffset).some((b) => b !== 0xa5) || around.subarray(out.byteOffset + length).some((b) => b !== 0xa5)) {
          mismatches.push(`row ${i}, ${length} bytes: wrote outside the output`);
        }
      });
    }
    expect(mismatches).toEqual([]);
  });

  withAddon('multiply by every coefficient pair of a 2 + 2 code across a 1 MiB stripe half', () => {
    const addon = native.addon!;
    const length = 512 * 1024 + 5;
    const sources = [seededBytes(length, 11), seededBytes(length, 12)];
    for (const row of [Uint8Array.of(1, 1), Uint8Array.of(1, 2), Uint8Array.of(0xff, 0x1d), Uint8Array.of(0, 0x53)]) {
      const out = new Uint8Array(length);
      addon.combine([out], [row], sources);
      // Every 4099th byte (prime, so the samples fall at every position of a 64-byte step) and the tail.
      for (let i = 0; i < length; i += i > length - 70 ? 1 : 4099) {
        expect(out[i], `row ${row.join(',')}, byte ${i}`).toBe(slowMul(row[0]!, sources[0]![i]!) ^ slowMul(row[1]!, sources[1]![i]!));
      }
    }
  });

  withAddon('run their 32-byte loop (CPUs with GFNI but not AVX-512BW) to the same bytes, when told to', () => {
    // The loop is chosen when the addon loads, so a child process loads it with DFS_VAULT_GF256_KERNEL=avx2.
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', AVX2_CHILD, native.path], {
      encoding: 'utf8',
      env: { ...process.env, DFS_VAULT_GF256_KERNEL: 'avx2' },
    });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ kernel: 'gfni-avx2', mismatches: [] });
  });

  withAddon('sum 255 sources, the most a call takes, and zero their outputs when given no source', () => {
    const addon = native.addon!;
    const sources = Array.from({ length: 255 }, (_, j) => seededBytes(70, j + 1));
    const rows = [seededBytes(255, 77), new Uint8Array(255).fill(1)];
    const outs = rows.map(() => new Uint8Array(70));
    addon.combine(outs, rows, sources);
    outs.forEach((out, i) => expect(Array.from(out), `row ${i}`).toEqual(Array.from(reference(rows[i]!, sources, 70))));
    const zeroed = [seededBytes(9, 5), seededBytes(9, 6)];
    addon.combine(zeroed, [new Uint8Array(0), new Uint8Array(0)], []);
    expect(zeroed.every((out) => out.every((byte) => byte === 0))).toBe(true);
  });

  withAddon('throw a TypeError for arrays that are not regions of one length with one coefficient per source', () => {
    const combine = native.addon!.combine as (...args: unknown[]) => void;
    const a = new Uint8Array(8);
    const b = new Uint8Array(8);
    for (const args of [
      [[a], [Uint8Array.of(1)]],
      [a, [Uint8Array.of(1)], [b]],
      [[a], [Uint8Array.of(1, 2)], [b]],
      [[a], [Uint8Array.of(1)], [new Uint8Array(9)]],
      [[new Uint8Array(9)], [Uint8Array.of(1)], [b]],
      [[a], [], [b]],
      [[a], [Uint8Array.of(1)], [new Uint16Array(4)]],
      [[a], [[1]], [b]],
      [[a], [new Uint8Array(256)], Array.from({ length: 256 }, () => b)],
    ]) {
      expect(() => combine(...args), JSON.stringify(args.map((x) => (Array.isArray(x) ? x.length : typeof x)))).toThrow(TypeError);
    }
    expect(a.every((byte) => byte === 0)).toBe(true);
  });

  it('are refused by their self-test when they give a wrong byte, and the vault then keeps its own kernels', () => {
    const offByOne: NativeGf256 = {
      kernel: 'test',
      combine: (outs, rows, sources) => {
        outs.forEach((out, i) => out.set(reference(rows[i]!, sources, out.length)));
        const first = outs[0]!;
        if (rows[0]![0] === 0x53) first[130] = first[130]! ^ 1;
      },
    };
    expect(gf256SelfTestFailure(offByOne)).toBe('its self-test disagreed with gfMul for coefficient 83');
    expect(gf256SelfTestFailure({ ...offByOne, combine: (outs, rows, sources) => outs.forEach((out, i) => out.set(reference(rows[i]!, sources, out.length))) })).toBeUndefined();
    const missing = loadNativeGf256('/nonexistent/dfs_vault_gf256.node');
    expect(missing).toMatchObject({ addon: undefined, reason: expect.stringContaining('/nonexistent/dfs_vault_gf256.node') });
  });
});

// Loads the addon at argv[1], sums random regions of every length 0..300 with random rows, and compares with
// a schoolbook multiply; prints {kernel, mismatches}.
const AVX2_CHILD = `
const path = process.argv[1];
const addon = { exports: {} };
process.dlopen(addon, path);
const slowMul = (a, b) => { let p = 0; for (let i = 0; i < 8; i++) if (b & (1 << i)) p ^= a << i; for (let i = 14; i >= 8; i--) if (p & (1 << i)) p ^= 0x11d << (i - 8); return p; };
const mismatches = [];
for (let length = 0; length <= 300; length++) {
  const sources = [0, 1, 2].map(() => Uint8Array.from({ length }, () => Math.random() * 256));
  const rows = [0, 1].map(() => Uint8Array.from({ length: 3 }, () => Math.random() * 256));
  const outs = [0, 1].map(() => new Uint8Array(length));
  addon.exports.combine(outs, rows, sources);
  outs.forEach((out, i) => out.forEach((byte, at) => {
    if (byte !== rows[i].reduce((sum, c, j) => sum ^ slowMul(c, sources[j][at]), 0)) mismatches.push(length + ':' + at);
  }));
}
process.stdout.write(JSON.stringify({ kernel: addon.exports.kernel, mismatches: mismatches.slice(0, 10) }));
`;
