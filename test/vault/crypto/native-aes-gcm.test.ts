import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type NativeAesGcm, loadNativeAesGcm, nativeAesGcmPath, selfTestFailure } from '../../../src-main/vault/crypto/native-aes-gcm.js';
import { SEAL_OVERHEAD_BYTES, nativeSealing, openNatively, openStripe, openWithNodeCrypto, sealNatively, sealWithNodeCrypto, stripeSealing } from '../../../src-main/vault/crypto/stripe-seal.js';
import { nativeAddonPath } from '../../../src-main/vault/native-addon.js';
import { aesGcmEngines, engineOf, loadAesGcmWith } from '../../helpers/aes-gcm-engines.js';
import { canBuildAddons } from '../../helpers/native-build.js';
import { inTempDir } from '../../helpers/temp-dir.js';

const native = loadNativeAesGcm();
const canBuild = canBuildAddons();
if (!native.addon) console.log(`native AES-GCM tests skipped: the addon is not loaded here (${native.reason})`);
// The addon's tests run once for each engine it has here (VAES and OpenSSL on a CPU with VAES), or skip.
const engines: Array<NativeAesGcm | undefined> = native.addon ? aesGcmEngines() : [undefined];

const key = randomBytes(32);
const place = (index: number, last: boolean) => ({ objectId: randomBytes(32), version: '0000019a2b3c4d5e6f708192', index, last });

describe('native AES-GCM', () => {
  it('is built and loaded wherever the addons can be built (npm run build builds it), and the vault seals with it', () => {
    if (!canBuild) {
      console.log('no C compiler, make or Python 3 here: only checking that the vault names node:crypto as its sealer');
      expect(stripeSealing()).toMatch(/^node:crypto \(the native addon is not loaded: .+\)$/);
      return;
    }
    expect(native).toMatchObject({ addon: expect.any(Object) });
    expect(stripeSealing()).toBe(nativeSealing(native.addon!));
    expect(stripeSealing()).toMatch(/^the native addon \(native\/aes-gcm, (VAES AVX-512|OpenSSL)\)$/);
  });

  for (const engine of engines) {
    const withAddon = engine ? it : it.skip;
    describe(`with the ${engine ? engineOf(engine) : 'missing'} engine`, () => {

      withAddon('seals to the same bytes and tag as node:crypto, in place and into a new buffer, at every size around a block', () => {
        const addon = engine!;
        for (const size of [0, 1, 15, 16, 17, 4095, 100_000, 1024 * 1024 + 3]) {
          const binding = place(size, size % 2 === 0);
          const plain = randomBytes(size);
          const expected = sealWithNodeCrypto(key, binding, plain);
          // Buffer.equals, not toEqual: vitest compares a megabyte byte by byte slowly.
          expect(sealNatively(addon, key, binding, plain).equals(expected)).toBe(true);
          const ring = Buffer.concat([plain, Buffer.alloc(SEAL_OVERHEAD_BYTES + 5, 0xee)]);
          const sealed = sealNatively(addon, key, binding, ring.subarray(0, size), ring);
          expect(sealed.buffer).toBe(ring.buffer);
          expect(sealed.equals(expected)).toBe(true);
          expect(ring.subarray(size + SEAL_OVERHEAD_BYTES)).toEqual(Buffer.alloc(5, 0xee));
          expect(openStripe(key, binding, sealed).equals(plain)).toBe(true);
          expect(plain.length === 0 || !sealed.subarray(0, size).equals(plain)).toBe(true);
        }
      });

      withAddon('opens what node:crypto sealed, from slices cut anywhere (tag split included), to the same plaintext as node:crypto', () => {
        const addon = engine!;
        for (const size of [0, 1, 17, 100_000, 1024 * 1024 + 3]) {
          const binding = place(size, size % 2 === 1);
          const plain = randomBytes(size);
          const sealed = sealWithNodeCrypto(key, binding, plain);
          const cuts = [...new Set([0, 1, size >> 1, size - 1, size, size + 5, size + SEAL_OVERHEAD_BYTES].filter((c) => c >= 0 && c <= sealed.length))];
          for (const cut of cuts) {
            const parts = [sealed.subarray(0, cut), sealed.subarray(cut, Math.min(cut + 65536, sealed.length)), sealed.subarray(Math.min(cut + 65536, sealed.length))];
            const opened = Buffer.concat(openNatively(addon, key, binding, parts));
            expect(opened.equals(plain)).toBe(true);
            expect(opened.equals(Buffer.concat(openWithNodeCrypto(key, binding, parts)))).toBe(true);
          }
        }
      });

      withAddon('rejects a flipped bit, a wrong key or another place, and hands out only zeros from the failed attempt', () => {
        const addon = engine!;
        const binding = place(3, false);
        const plain = Buffer.alloc(5000, 0x41);
        const sealed = sealWithNodeCrypto(key, binding, plain);
        const rejected = expect.objectContaining({ code: 'PROTOCOL', message: expect.stringMatching(/integrity check/) });
        for (const at of [0, 2500, 4999, 5000, 5015]) {
          const tampered = Buffer.from(sealed);
          tampered[at]! ^= 0x80;
          expect(() => openNatively(addon, key, binding, [tampered])).toThrow(rejected);
        }
        expect(() => openNatively(addon, randomBytes(32), binding, [sealed])).toThrow(rejected);
        expect(() => openNatively(addon, key, { ...binding, index: 4 }, [sealed])).toThrow(rejected);
        expect(() => openNatively(addon, key, { ...binding, last: true }, [sealed])).toThrow(rejected);
        // The addon itself, with the nonce and associated data the seal used: only the tag is wrong.
        const [nonce, aad, data, tag, out] = [randomBytes(12), randomBytes(40), Buffer.from(plain), Buffer.alloc(16), Buffer.alloc(5000, 0xee)];
        addon.sealInPlace(key, nonce, aad, data, tag);
        expect(addon.openInto(key, nonce, aad, [data], tag, out)).toBe(true);
        expect(out.equals(plain)).toBe(true);
        tag[15]! ^= 1;
        out.fill(0xee);
        expect(addon.openInto(key, nonce, aad, [data], tag, out)).toBe(false);
        expect(out.every((byte) => byte === 0)).toBe(true);
      });

      withAddon('stays safe when reading the parts runs code that detaches the output, and refuses holes', () => {
        const open = engine!.openInto as (...a: unknown[]) => boolean;
        const [nonce, aad, data, tag] = [randomBytes(12), Buffer.alloc(0), randomBytes(64 * 1024), Buffer.alloc(16)];
        engine!.sealInPlace(key, nonce, aad, data, tag);
        const out = new Uint8Array(new ArrayBuffer(data.length));
        const parts: Uint8Array[] = [data.subarray(0, 1024)];
        // A getter that moves the output's memory away while the addon reads the parts.
        Object.defineProperty(parts, 1, { enumerable: true, get: () => (structuredClone(out.buffer, { transfer: [out.buffer] }), data.subarray(1024)) });
        expect(() => open(key, nonce, aad, parts, tag, out)).toThrow(/exactly as long as the output/);
        expect(out.length).toBe(0);
        const holey = [data.subarray(0, 1024), , data.subarray(1024)];
        expect(() => open(key, nonce, aad, holey, tag, Buffer.alloc(data.length))).toThrow(/exactly as long as the output/);
        expect(() => open(key, nonce, aad, { length: 1, 0: data }, tag, Buffer.alloc(data.length))).toThrow(/array of Uint8Arrays/);
        expect(() => open(key, nonce, aad, new Array(65537).fill(data.subarray(0, 0)), tag, Buffer.alloc(0))).toThrow(/more than 65536 parts/);
      });

      withAddon('throws a TypeError, and touches nothing, for a key, nonce or tag of the wrong size or an argument that is not bytes', () => {
        const { sealInPlace } = engine!;
        const data = Buffer.from('untouched');
        const ok = [randomBytes(32), randomBytes(12), Buffer.alloc(0), data, Buffer.alloc(16)] as const;
        const wrong: Array<[number, unknown]> = [
          [0, randomBytes(31)],
          [0, randomBytes(33)],
          [1, randomBytes(11)],
          [1, randomBytes(16)],
          [4, Buffer.alloc(15)],
          [3, 'text'],
          [2, new Uint16Array(4)],
          [0, undefined],
        ];
        for (const [at, value] of wrong) {
          const args = [...ok] as unknown[];
          args[at] = value;
          expect(() => (sealInPlace as (...a: unknown[]) => void)(...args)).toThrow(TypeError);
          expect(data.toString()).toBe('untouched');
        }
        expect(() => (sealInPlace as (...a: unknown[]) => void)(...ok.slice(0, 4))).toThrow(/takes \(key, nonce, aad, data, tag\)/);
        // Associated data that is bytes but longer than OpenSSL takes says so, not that it is not bytes (never touched: not zeroed).
        let hugeAad: Buffer | undefined;
        try {
          hugeAad = Buffer.allocUnsafeSlow(2 ** 31);
        } catch {
          console.log('associated data over 2 GiB not tried: this process may not reserve 2 GiB (ulimit -v or no overcommit)');
        }
        if (hugeAad) expect(() => sealInPlace(ok[0], ok[1], hugeAad, data, ok[4])).toThrow('The associated data must be at most 2 GiB - 1 bytes.');
        expect(() => sealInPlace(ok[0], ok[1], new Uint16Array(4) as unknown as Uint8Array, data, ok[4])).toThrow('The associated data must be a Uint8Array.');
        expect(data.toString()).toBe('untouched');
      });

      withAddon('throws a TypeError when the parts to open are not an array of bytes or do not fill the output exactly', () => {
        const open = engine!.openInto as (...a: unknown[]) => boolean;
        const [k, n, a, t] = [randomBytes(32), randomBytes(12), Buffer.alloc(0), Buffer.alloc(16)];
        expect(() => open(k, n, a, Buffer.alloc(4), t, Buffer.alloc(4))).toThrow(/array of Uint8Arrays/);
        expect(() => open(k, n, a, ['text'], t, Buffer.alloc(4))).toThrow(/exactly as long as the output/);
        expect(() => open(k, n, a, [Buffer.alloc(3)], t, Buffer.alloc(4))).toThrow(/exactly as long as the output/);
        expect(() => open(k, n, a, [Buffer.alloc(3), Buffer.alloc(3)], t, Buffer.alloc(4))).toThrow(/exactly as long as the output/);
        expect(() => open(k, n, a, [Buffer.alloc(4)], Buffer.alloc(15), Buffer.alloc(4))).toThrow(/tag must be 16 bytes/);
        expect(() => open(k, n, a, [Buffer.alloc(4)], t)).toThrow(/takes \(key, nonce, aad, parts, tag, out\)/);
      });
    });
  }

  it('is refused at load when its self-test disagrees with node:crypto, opens a wrong tag, or throws', () => {
    /** A stand-in addon on node:crypto; `flip` spoils its seal, `lax` makes it open whatever the tag. */
    const standIn = ({ flip = 0, lax = false } = {}): NativeAesGcm => ({
      sealInPlace(key, nonce, aad, data, tag) {
        const cipher = createCipheriv('aes-256-gcm', key, nonce);
        cipher.setAAD(aad);
        data.set(cipher.update(data));
        cipher.final();
        tag.set(cipher.getAuthTag());
        data[0]! ^= flip;
      },
      openInto(key, nonce, aad, parts, tag, out) {
        const decipher = createDecipheriv('aes-256-gcm', key, nonce);
        decipher.setAAD(aad);
        decipher.setAuthTag(tag);
        out.set(Buffer.concat(parts.map((part) => decipher.update(part))));
        try {
          decipher.final();
          return true;
        } catch {
          if (lax) return true;
          out.fill(0);
          return false;
        }
      },
    });
    expect(selfTestFailure(standIn())).toBeUndefined();
    expect(selfTestFailure(standIn({ flip: 1 }))).toBe('its self-test sealed other bytes than node:crypto does');
    expect(selfTestFailure(standIn({ lax: true }))).toBe('its self-test opened a stripe with a wrong tag');
    expect(selfTestFailure({ ...standIn(), openInto: () => false })).toBe('its self-test did not open what node:crypto sealed');
    expect(selfTestFailure({ ...standIn(), sealInPlace: () => undefined })).toBe('its self-test sealed other bytes than node:crypto does');
    expect(selfTestFailure({ ...standIn(), sealInPlace: () => { throw new Error('no OpenSSL'); } })).toBe('its self-test threw: no OpenSSL');
  });

  it('reports why it is not loaded, rather than throwing, when the file is missing or not an addon', async () => {
    await inTempDir(async (dir) => {
      const missing = loadNativeAesGcm(join(dir, 'missing.node'));
      expect(missing.addon).toBeUndefined();
      expect(missing).toMatchObject({ reason: expect.stringMatching(/missing\.node/) });
      const notAddon = join(dir, 'text.node');
      writeFileSync(notAddon, 'not a shared object');
      expect(loadNativeAesGcm(notAddon)).toMatchObject({ addon: undefined, reason: expect.any(String) });
    });
  });

  it('is looked for beside the package, from the source tree and from dist/, wherever the checkout is', () => {
    for (const root of ['/opt/app', '/home/dist/dfs-vault']) {
      const expected = `${root}/native/aes-gcm/build/Release/dfs_vault_aes_gcm.node`;
      expect(nativeAddonPath('aes-gcm', 'dfs_vault_aes_gcm', `file://${root}/src-main/vault/native-addon.ts`)).toBe(expected);
      expect(nativeAddonPath('aes-gcm', 'dfs_vault_aes_gcm', `file://${root}/dist/src-main/vault/native-addon.js`)).toBe(expected);
    }
    expect(nativeAesGcmPath()).toBe(fileURLToPath(new URL('../../../native/aes-gcm/build/Release/dfs_vault_aes_gcm.node', import.meta.url)));
  });

  it('loads in Electron only the build without OpenSSL, whose VAES engine needs nothing but N-API, and says why where it cannot', () => {
    const electron = { ...process.versions, electron: '45.4.1' };
    const withOpenSsl = loadNativeAesGcm(nativeAesGcmPath(process.versions), electron);
    expect(withOpenSsl).toMatchObject({ addon: undefined, reason: 'Electron does not export the OpenSSL this build links (the desktop app loads dfs_vault_aes_gcm_vaes.node)' });
    const desktop = loadNativeAesGcm(undefined, electron, {});
    expect(desktop.path).toBe(fileURLToPath(new URL('../../../native/aes-gcm/build/Release/dfs_vault_aes_gcm_vaes.node', import.meta.url)));
    if (!native.addon) {
      console.log(`the desktop build's load not tried: the addon is not built here (${native.reason})`);
      return;
    }
    // This Node stands in for Electron: the build has no OpenSSL symbol, so it loads the same way in both. It runs
    // VAES wherever the build with OpenSSL chooses VAES when left to choose.
    if (loadAesGcmWith(undefined).addon?.engine === 'vaes-avx512') expect(desktop.addon?.engine).toBe('vaes-avx512');
    else expect(desktop).toMatchObject({ addon: undefined, reason: expect.stringMatching(/^this CPU cannot run the VAES engine|^this build has no VAES engine/) });
    // The off switch reaches the desktop app too: it then seals with node:crypto.
    expect(loadNativeAesGcm(undefined, electron, { DFS_VAULT_AES_GCM_ENGINE: 'openssl' })).toMatchObject({
      addon: undefined,
      reason: 'DFS_VAULT_AES_GCM_ENGINE=openssl rules out the VAES engine, the only one in the build without OpenSSL',
    });
  });
});
