import { spawnSync } from 'node:child_process';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type NativeAesGcm, loadNativeAesGcm, nativeAesGcmPath } from '../../../src-main/vault/crypto/native-aes-gcm.js';
import { nativeSealing, stripeSealing } from '../../../src-main/vault/crypto/stripe-seal.js';
import { ENGINE_VARIABLE, aesGcmEngines, engineOf, loadAesGcmWith, openAesGcmWith, openVaesOnlyBuild } from '../../helpers/aes-gcm-engines.js';

// The addon's engines against node:crypto at every length a step, tail or block boundary of the VAES code could get
// wrong (native/aes-gcm/vaes_gcm.c: 256-byte steps, masked tails, parts ending inside blocks), and against each other.
// The engines come straight from the addon's file, without the loader's self-test, so that a wrong one fails here
// (saying where) rather than being set aside; the first test checks that the loader took it.
const native = loadNativeAesGcm();
const built = openAesGcmWith(process.env[ENGINE_VARIABLE]) !== undefined;
const engines = aesGcmEngines(openAesGcmWith);
const vaesOnly = openVaesOnlyBuild();
if (!built) console.log(`AES-GCM engine tests skipped: the addon is not built here (${native.addon ? 'it does not load' : native.reason})`);
const withAddon = built ? it : it.skip;

/** Whether this CPU and OS run the VAES code, as Linux's /proc/cpuinfo lists what the kernel enabled; undefined where it cannot tell. */
function cpuRunsVaes(): boolean | undefined {
  if (process.arch !== 'x64' || !existsSync('/proc/cpuinfo')) return undefined;
  const flags = new Set(/^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim().split(/\s+/));
  return ['avx512f', 'avx512bw', 'avx512vl', 'vaes', 'vpclmulqdq', 'aes', 'pclmulqdq'].every((flag) => flags.has(flag));
}

/** node:crypto's ciphertext and tag. */
function reference(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plain: Uint8Array): { sealed: Buffer; tag: Buffer } {
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { sealed, tag: cipher.getAuthTag() };
}

/** A copy of `bytes` at `offset` in a larger buffer of guard bytes 0xa5 (so odd addresses, and writes outside it show). */
function placed(bytes: Uint8Array, offset: number): { view: Buffer; around: Buffer } {
  const around = Buffer.alloc(offset + bytes.length + 67, 0xa5);
  around.set(bytes, offset);
  return { view: around.subarray(offset, offset + bytes.length), around };
}

/** True when every byte of `around` outside `view` is still a guard byte. */
function guardsIntact(around: Buffer, view: Buffer): boolean {
  const start = view.byteOffset - around.byteOffset;
  return around.subarray(0, start).every((byte) => byte === 0xa5) && around.subarray(start + view.length).every((byte) => byte === 0xa5);
}

/** `bytes` cut into parts of random lengths, empty and 1-byte ones among them, in order. */
function randomParts(bytes: Buffer, random: () => number): Buffer[] {
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const kind = random();
    const length = kind < 0.15 ? 0 : kind < 0.3 ? 1 : kind < 0.6 ? Math.floor(random() * 40) : Math.floor(random() * Math.min(bytes.length, 300_000));
    parts.push(bytes.subarray(at, at + length));
    at += length;
  }
  if (random() < 0.5) parts.push(bytes.subarray(bytes.length));
  return parts;
}

/** A repeatable random sequence (xorshift32), so that a failing split can be found again from its seed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
}

describe('native AES-GCM engines', () => {
  withAddon('uses VAES where the CPU has it, OpenSSL when DFS_VAULT_AES_GCM_ENGINE=openssl, and says which', () => {
    expect(native).toMatchObject({ addon: expect.any(Object) });
    const runsVaes = cpuRunsVaes();
    if (process.env[ENGINE_VARIABLE] === 'openssl') expect(native.addon!.engine).toBe('openssl');
    else if (runsVaes !== undefined) expect(native.addon!.engine).toBe(runsVaes ? 'vaes-avx512' : 'openssl');
    else expect(['vaes-avx512', 'openssl']).toContain(native.addon!.engine);
    expect(loadAesGcmWith('openssl').addon?.engine).toBe('openssl');
    // Only the exact word forces it: the addon chooses for itself otherwise.
    expect(loadAesGcmWith('OpenSSL').addon?.engine).toBe(loadAesGcmWith(undefined).addon?.engine);
    expect(stripeSealing()).toBe(nativeSealing(native.addon!));
    expect(nativeSealing({ ...native.addon!, engine: 'vaes-avx512' })).toBe('the native addon (native/aes-gcm, VAES AVX-512)');
    expect(nativeSealing({ ...native.addon!, engine: 'openssl' })).toBe('the native addon (native/aes-gcm, OpenSSL)');
    expect(nativeSealing({ sealInPlace: native.addon!.sealInPlace, openInto: native.addon!.openInto })).toBe('the native addon (native/aes-gcm, OpenSSL)');
    if (runsVaes && !process.env[ENGINE_VARIABLE]) expect(engines.map(engineOf)).toEqual(['vaes-avx512', 'openssl']);
    // The build without OpenSSL (the desktop app's) runs VAES wherever the CPU does, so its sweeps below cannot drop out.
    if (runsVaes) expect(vaesOnly?.engine).toBe('vaes-avx512');
  });

  withAddon('seals and opens to the same bytes in another process forced to OpenSSL as here, and as node:crypto', () => {
    // Deterministic inputs, so the child computes the same ones: sizes across steps, tails and a 1 MiB stripe.
    const script = `
      const { createHash } = require('node:crypto');
      const module = { exports: {} };
      process.dlopen(module, process.argv[1]);
      const addon = module.exports;
      const bytes = (label, length) => { const out = Buffer.alloc(length); for (let at = 0, i = 0; at < length; at += 32, i++) createHash('sha256').update(label + i).digest().copy(out, at); return out; };
      const digest = createHash('sha256');
      for (const size of [0, 1, 15, 255, 256, 257, 4111, 65536 + 3, 1048576 + 13]) {
        const data = bytes('data' + size, size), tag = Buffer.alloc(16), aad = bytes('aad' + size, size % 101);
        const key = bytes('key' + size, 32), nonce = bytes('nonce' + size, 12);
        addon.sealInPlace(key, nonce, aad, data, tag);
        const out = Buffer.alloc(size);
        const opened = addon.openInto(key, nonce, aad, [data.subarray(0, size >> 2), data.subarray(size >> 2)], tag, out);
        digest.update(data).update(tag).update(out).update(String(opened));
      }
      process.stdout.write(JSON.stringify({ engine: addon.engine, digest: digest.digest('hex') }));`;
    const run = (env: NodeJS.ProcessEnv) => {
      const child = spawnSync(process.execPath, ['-e', script, nativeAesGcmPath()], { env, encoding: 'utf8' });
      expect(child.stderr).toBe('');
      return JSON.parse(child.stdout) as { engine: string; digest: string };
    };
    const forced = run({ ...process.env, [ENGINE_VARIABLE]: 'openssl' });
    const unforced = run({ ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== ENGINE_VARIABLE)) });
    expect(forced.engine).toBe('openssl');
    expect(unforced.engine).toBe(loadAesGcmWith(undefined).addon?.engine);
    expect(unforced.digest).toBe(forced.digest);
    // node:crypto, in this process, over the same inputs.
    const bytes = (label: string, length: number) => {
      const out = Buffer.alloc(length);
      for (let at = 0, i = 0; at < length; at += 32, i++) createHash('sha256').update(label + i).digest().copy(out, at);
      return out;
    };
    const digest = createHash('sha256');
    for (const size of [0, 1, 15, 255, 256, 257, 4111, 65536 + 3, 1048576 + 13]) {
      const plain = bytes('data' + size, size);
      const { sealed, tag } = reference(bytes('key' + size, 32), bytes('nonce' + size, 12), bytes('aad' + size, size % 101), plain);
      digest.update(sealed).update(tag).update(plain).update('true');
    }
    expect(forced.digest).toBe(digest.digest('hex'));
  });
});

// Each engine of the build with OpenSSL, and the build without it (the desktop app's: the VAES engine alone).
const builds: [string, NativeAesGcm | undefined][] = [
  ...(engines.length > 0 ? engines.map((addon): [string, NativeAesGcm] => [engineOf(addon), addon]) : [['missing', undefined] as [string, undefined]]),
  ...(vaesOnly ? [['vaes-avx512 (the build without OpenSSL)', vaesOnly] as [string, NativeAesGcm]] : []),
];
for (const [name, addon] of builds) {
  const withEngine = addon ? it : it.skip;
  describe(`AES-256-GCM with the ${name} engine, against node:crypto`, () => {
    withEngine('seals and opens every length from 0 to 4200 bytes with associated data of 0, 1, 15, 16, 17 and 100 bytes, at odd addresses', () => {
      const { sealInPlace, openInto } = addon as NativeAesGcm;
      const pool = randomBytes(4096 + 4200 + 64);
      let mismatches = 0;
      for (const aadLength of [0, 1, 15, 16, 17, 100]) {
        for (let size = 0; size <= 4200; size++) {
          // A fresh key, nonce, AAD and plaintext each time (windows of a random pool), each at its own odd offset.
          const from = (size * 7 + aadLength * 13) % 4096;
          const key = placed(pool.subarray(from, from + 32), 1 + (size % 7));
          const nonce = placed(pool.subarray(from + 32, from + 44), 1 + ((size + 3) % 7));
          const aad = placed(pool.subarray(from + 44, from + 44 + aadLength), 1 + ((size + 5) % 7));
          const plain = pool.subarray(from + 7, from + 7 + size);
          const expected = reference(key.view, nonce.view, aad.view, plain);
          const data = placed(plain, 1 + (size % 7));
          const tag = placed(Buffer.alloc(16), 1 + ((size + 1) % 7));
          sealInPlace(key.view, nonce.view, aad.view, data.view, tag.view);
          const out = placed(Buffer.alloc(size, 0xee), 1 + ((size + 2) % 7));
          const cut = (size * 5) % (size + 1);
          const opened = openInto(key.view, nonce.view, aad.view, [expected.sealed.subarray(0, cut), expected.sealed.subarray(cut)], expected.tag, out.view);
          const good =
            data.view.equals(expected.sealed) && tag.view.equals(expected.tag) && opened && out.view.equals(plain) &&
            guardsIntact(data.around, data.view) && guardsIntact(tag.around, tag.view) && guardsIntact(out.around, out.view);
          // One expect per case would take vitest longer than the AES: count, and name the first failures.
          if (!good && mismatches++ < 5) console.log(`mismatch at ${size} bytes with ${aadLength} bytes of associated data`);
        }
      }
      expect(mismatches).toBe(0);
    });

    withEngine('hashes associated data of 255, 256, 257, 511 and 4103 bytes (whole 256-byte steps and tails) as node:crypto does', () => {
      const { sealInPlace, openInto } = addon as NativeAesGcm;
      const mismatches: string[] = [];
      for (const aadLength of [255, 256, 257, 511, 4103]) {
        for (const size of [0, 1, 300, 4111]) {
          const [key, nonce, plain] = [randomBytes(32), randomBytes(12), randomBytes(size)];
          const aad = placed(randomBytes(aadLength), 1 + (aadLength % 7));
          const expected = reference(key, nonce, aad.view, plain);
          const data = placed(plain, 5);
          const tag = Buffer.alloc(16);
          sealInPlace(key, nonce, aad.view, data.view, tag);
          const out = Buffer.alloc(size);
          const opened = openInto(key, nonce, aad.view, [expected.sealed], expected.tag, out);
          if (!data.view.equals(expected.sealed) || !tag.equals(expected.tag) || !opened || !out.equals(plain)) mismatches.push(`${size} bytes with ${aadLength} of associated data`);
        }
      }
      expect(mismatches).toEqual([]);
    });

    withEngine('seals 1 MiB, 1 MiB + 13 and 3 MiB + 5 (the counter passing 2^16 and more) as node:crypto does, and opens them from random parts', () => {
      const { sealInPlace, openInto } = addon as NativeAesGcm;
      const random = seeded(0x5eed);
      for (const size of [1024 * 1024, 1024 * 1024 + 13, 3 * 1024 * 1024 + 5]) {
        const [key, nonce, aad, plain] = [randomBytes(32), randomBytes(12), randomBytes(size % 97), randomBytes(size)];
        const expected = reference(key, nonce, aad, plain);
        const data = placed(plain, 3);
        const tag = Buffer.alloc(16);
        sealInPlace(key, nonce, aad, data.view, tag);
        expect(data.view.equals(expected.sealed)).toBe(true);
        expect(tag.equals(expected.tag)).toBe(true);
        expect(guardsIntact(data.around, data.view)).toBe(true);
        for (let split = 0; split < 4; split++) {
          const out = placed(Buffer.alloc(size), 1 + split);
          expect(openInto(key, nonce, aad, randomParts(expected.sealed, random), expected.tag, out.view)).toBe(true);
          expect(out.view.equals(plain)).toBe(true);
          expect(guardsIntact(out.around, out.view)).toBe(true);
        }
      }
    });

    withEngine('opens from parts of any lengths, empty and 1-byte ones included, as one stream', () => {
      const { sealInPlace, openInto } = addon as NativeAesGcm;
      for (const size of [1, 2, 15, 16, 17, 31, 33, 63, 64, 65, 255, 256, 257, 511, 1029, 4111, 65536 + 7]) {
        const random = seeded(size);
        const [key, nonce, aad, plain] = [randomBytes(32), randomBytes(12), randomBytes(size % 23), randomBytes(size)];
        const sealed = Buffer.from(plain);
        const tag = Buffer.alloc(16);
        sealInPlace(key, nonce, aad, sealed, tag);
        expect(sealed.equals(reference(key, nonce, aad, plain).sealed)).toBe(true);
        for (let split = 0; split < 24; split++) {
          // First byte by byte (where that is within the addon's 65536 parts), then at random.
          const parts = split === 0 && size <= 65536 ? Array.from(sealed, (_, i) => sealed.subarray(i, i + 1)) : randomParts(sealed, random);
          const out = Buffer.alloc(size, 0xee);
          expect(openInto(key, nonce, aad, parts, tag, out)).toBe(true);
          if (!out.equals(plain)) expect.fail(`${size} bytes in parts of ${parts.map((part) => part.length).join(', ')} opened wrong`);
        }
        // Into the very memory it arrived in, as the addon allows (each part where its plaintext goes).
        const inPlace = Buffer.from(sealed);
        const third = Math.floor(size / 3);
        expect(openInto(key, nonce, aad, [inPlace.subarray(0, third), inPlace.subarray(third, third), inPlace.subarray(third)], tag, inPlace)).toBe(true);
        expect(inPlace.equals(plain)).toBe(true);
      }
    });

    withEngine('refuses a wrong tag, any altered byte, and other associated data, nonce or key, and leaves only zeros', () => {
      const { sealInPlace, openInto } = addon as NativeAesGcm;
      for (const size of [0, 1, 16, 17, 255, 256, 257, 1029, 70_001]) {
        const [key, nonce, aad, plain] = [randomBytes(32), randomBytes(12), randomBytes(40), randomBytes(size)];
        const sealed = Buffer.from(plain);
        const tag = Buffer.alloc(16);
        sealInPlace(key, nonce, aad, sealed, tag);
        const refused = (parts: Buffer[], tagUsed: Buffer, aadUsed = aad, nonceUsed = nonce, keyUsed = key): void => {
          const out = Buffer.alloc(size, 0xee);
          expect(openInto(keyUsed, nonceUsed, aadUsed, parts, tagUsed, out)).toBe(false);
          expect(out.every((byte) => byte === 0)).toBe(true);
        };
        for (const bit of [0, 7, 64, 127]) {
          const wrong = Buffer.from(tag);
          wrong[bit >> 3]! ^= 1 << (bit & 7);
          refused([sealed], wrong);
        }
        for (const at of new Set([0, 1, 15, 16, size >> 1, size - 17, size - 16, size - 1].filter((at) => at >= 0 && at < size))) {
          const altered = Buffer.from(sealed);
          altered[at]! ^= 0x01;
          refused([altered.subarray(0, at), altered.subarray(at)], tag);
        }
        const otherAad = Buffer.from(aad);
        otherAad[39]! ^= 0x80;
        refused([sealed], tag, otherAad);
        refused([sealed], tag, aad.subarray(0, 39));
        const otherNonce = Buffer.from(nonce);
        otherNonce[11]! ^= 1;
        refused([sealed], tag, aad, otherNonce);
        refused([sealed], tag, aad, nonce, randomBytes(32));
        if (size > 0) {
          // Cut short or extended: the lengths block differs, whatever the bytes.
          const out = Buffer.alloc(size - 1, 0xee);
          expect(openInto(key, nonce, aad, [sealed.subarray(0, size - 1)], tag, out)).toBe(false);
          expect(out.every((byte) => byte === 0)).toBe(true);
        }
      }
    });
  });
}
