import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { nativeAesGcmPath } from '../../src-main/vault/crypto/native-aes-gcm.js';
import { type NativeCrc32, crc32, crc32Implementation, crc32SelfTestFailure, loadNativeCrc32 } from '../../src-main/vault/crc32.js';
import { canBuildAddons } from '../helpers/native-build.js';
import { inTempDir } from '../helpers/temp-dir.js';

const native = loadNativeCrc32();
const canBuild = canBuildAddons();
const foldsHere = process.arch === 'x64';
if (!native.addon) console.log(`native CRC-32 tests skipped: the addon is not loaded here (${native.reason})`);
const withAddon = native.addon ? it : it.skip;
const SEEDS = [0, 1, 0x9e3779b9, 0xffffffff];

describe('native CRC-32', () => {
  it('is built and loaded wherever the addons can be built on x86-64 (npm run build builds it), and the chunk checks use it', () => {
    if (!canBuild || !foldsHere) {
      console.log('no C compiler, make or Python 3, or not x86-64 here: only checking that the vault names zlib as its CRC-32');
      expect(crc32Implementation()).toMatch(/^zlib \(the native addon is not loaded: .+\)$/);
      return;
    }
    expect(native).toMatchObject({ addon: expect.any(Object) });
    const flags = readFileSync('/proc/cpuinfo', 'utf8');
    // DFS_VAULT_CRC32_FOLD=128 in the environment makes the addon keep the 128-bit fold.
    const wide = /^flags\s*:.*\bvpclmulqdq\b/m.test(flags) && /^flags\s*:.*\bavx512f\b/m.test(flags) && process.env.DFS_VAULT_CRC32_FOLD !== '128';
    expect(native.addon?.fold).toBe(wide ? 'vpclmulqdq-avx512' : 'pclmulqdq');
    expect(crc32Implementation()).toBe(`the native addon (native/crc32, ${wide ? 'VPCLMULQDQ' : 'PCLMULQDQ'})`);
  });

  withAddon('gives zlib\'s value at every length from 0 to 300, at four alignments, from four seeds', () => {
    const addon = native.addon!;
    const bytes = randomBytes(400);
    for (let length = 0; length <= 300; length++) {
      for (let offset = 0; offset < 16; offset += 5) {
        const data = bytes.subarray(offset, offset + length);
        for (const seed of SEEDS) expect(addon.crc32(data, seed), `${length} bytes at ${offset}, seed ${seed}`).toBe(zlibCrc32(data, seed));
      }
    }
  });

  withAddon('gives zlib\'s value at every length from 480 to 1400, around the 512-bit fold\'s steps, at two alignments', () => {
    const bytes = randomBytes(1500);
    expect(foldMismatches(bytes, FOLD_CASES.map(([length, offset, seed]) => native.addon!.crc32(bytes.subarray(offset, offset + length), seed)))).toEqual([]);
  });

  withAddon('gives the same values with its 128-bit fold, which a CPU without VPCLMULQDQ runs (a child told DFS_VAULT_CRC32_FOLD=128)', () => {
    const bytes = randomBytes(1500);
    const child = spawnSync(process.execPath, ['-e', FOLD_128_CHILD, native.path, bytes.toString('hex'), JSON.stringify(FOLD_CASES)], {
      encoding: 'utf8',
      env: { ...process.env, DFS_VAULT_CRC32_FOLD: '128' },
    });
    expect(child.stderr).toBe('');
    const { fold, crcs } = JSON.parse(child.stdout) as { fold: string; crcs: number[] };
    expect(fold).toBe('pclmulqdq');
    expect(foldMismatches(bytes, crcs)).toEqual([]);
  });

  withAddon('gives zlib\'s value on a stripe\'s chunks and around them, and chains like zlib: crc32(b, crc32(a)) = crc32(a ‖ b)', () => {
    const addon = native.addon!;
    for (const length of [4095, 4096, 4097, 524_296, 1024 * 1024 + 3]) {
      const data = randomBytes(length);
      expect(addon.crc32(data, 7)).toBe(zlibCrc32(data, 7));
      const cut = length >> 1;
      expect(addon.crc32(data.subarray(cut), addon.crc32(data.subarray(0, cut), 7))).toBe(zlibCrc32(data, 7));
    }
    // All ones and all zeros: the register must not stick.
    for (const fill of [0x00, 0xff]) expect(addon.crc32(Buffer.alloc(1000, fill), 0)).toBe(zlibCrc32(Buffer.alloc(1000, fill), 0));
  });

  withAddon('answers the seed for an empty view, even one without memory behind it', () => {
    const addon = native.addon!;
    expect(addon.crc32(new Uint8Array(0), 12345)).toBe(12345);
    expect(addon.crc32(Buffer.alloc(0), 0xffffffff)).toBe(0xffffffff);
    expect(crc32(new Uint8Array(0), 99)).toBe(99);
  });

  withAddon('throws a TypeError for anything but a Uint8Array and a whole 32-bit seed', () => {
    const crc = native.addon!.crc32 as (...args: unknown[]) => number;
    const data = Buffer.alloc(100);
    for (const [args, message] of [
      [[data], /takes \(data: Uint8Array, seed: number\)/],
      [['text', 0], /must be a Uint8Array/],
      [[new Uint16Array(8), 0], /must be a Uint8Array/],
      [[data, -1], /whole number from 0 to 2\^32 - 1/],
      [[data, 1.5], /whole number/],
      [[data, 2 ** 32], /whole number/],
      [[data, '1'], /whole number/],
    ] as const) {
      expect(() => crc(...args)).toThrow(TypeError);
      expect(() => crc(...args)).toThrow(message);
    }
  });

  it('refuses at load, by its self-test, an addon that disagrees with zlib or throws', () => {
    const right: NativeCrc32 = { crc32: (data, seed) => zlibCrc32(data, seed) };
    expect(crc32SelfTestFailure(right)).toBeUndefined();
    // Wrong only past the fold's first step, as a broken fold would be.
    const wrongLong: NativeCrc32 = { crc32: (data, seed) => (data.length >= 64 ? zlibCrc32(data, seed) ^ 1 : zlibCrc32(data, seed)) };
    expect(crc32SelfTestFailure(wrongLong)).toBe('its self-test disagreed with zlib on 64 bytes');
    const seedless: NativeCrc32 = { crc32: (data) => zlibCrc32(data, 0) };
    expect(crc32SelfTestFailure(seedless)).toBe('its self-test disagreed with zlib on 0 bytes');
    expect(crc32SelfTestFailure({ crc32: () => { throw new Error('illegal instruction'); } })).toBe('its self-test threw: illegal instruction');
  });

  it('reports why it is not loaded, rather than throwing, when the file is missing, not an addon, or exports nothing', async () => {
    await inTempDir(async (dir) => {
      expect(loadNativeCrc32(join(dir, 'missing.node'))).toMatchObject({ addon: undefined, reason: expect.stringMatching(/missing\.node/) });
      const notAddon = join(dir, 'text.node');
      writeFileSync(notAddon, 'not a shared object');
      expect(loadNativeCrc32(notAddon)).toMatchObject({ addon: undefined, reason: expect.any(String) });
    });
    // The AES-GCM addon is a real addon without crc32: the vault must not take it for one that can fold.
    if (!existsSync(nativeAesGcmPath())) {
      console.log('the case of an addon without crc32 not tried: the AES-GCM addon is not built here');
      return;
    }
    const other = loadNativeCrc32(nativeAesGcmPath());
    expect(other).toMatchObject({ addon: undefined, reason: 'it has no crc32 for this machine (it folds on x86-64 with PCLMULQDQ, built by GCC or Clang)' });
  });

  it('gives the vault zlib\'s values whichever implementation it uses', () => {
    const data = randomBytes(70_000);
    for (const seed of SEEDS) expect(crc32(data, seed)).toBe(zlibCrc32(data, seed));
  });
});

/** Every [length, offset, seed] around the 512-bit fold's steps: lengths 480..1400 at offsets 0 and 3, two seeds. */
const FOLD_CASES = Array.from({ length: 921 }, (_, i) => 480 + i).flatMap((length) => [0, 3].flatMap((offset) => [0, 0x9e3779b9].map((seed) => [length, offset, seed] as const)));

/** The cases of FOLD_CASES where the CRCs `crcs` (one per case, over `bytes`) differ from zlib's. */
function foldMismatches(bytes: Buffer, crcs: readonly number[]): string[] {
  return FOLD_CASES.flatMap(([length, offset, seed], i) => (crcs[i] === zlibCrc32(bytes.subarray(offset, offset + length), seed) ? [] : [`${length} bytes at ${offset}, seed ${seed}`]));
}

// Loads the addon at argv[1] (with DFS_VAULT_CRC32_FOLD set by the test) and prints its fold and the CRC
// of every case in argv[3] (JSON) over the bytes in argv[2] (hex).
const FOLD_128_CHILD = `
const addon = { exports: {} };
process.dlopen(addon, process.argv[1]);
const bytes = Buffer.from(process.argv[2], 'hex');
const crcs = JSON.parse(process.argv[3]).map(([length, offset, seed]) => addon.exports.crc32(bytes.subarray(offset, offset + length), seed));
process.stdout.write(JSON.stringify({ fold: addon.exports.fold, crcs }));
`;
