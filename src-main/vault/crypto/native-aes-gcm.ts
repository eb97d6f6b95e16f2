import { createCipheriv } from 'node:crypto';
import { basename } from 'node:path';
import { type AddonLoad, loadAddon, nativeAddonPath } from '../native-addon.js';

/** Which code the addon seals and opens with: its own VAES/AVX-512 code (native/aes-gcm/vaes_gcm.c, on a CPU that has it) or OpenSSL's. */
export type AesGcmEngine = 'vaes-avx512' | 'openssl';

/** The native addon's functions (native/aes-gcm/aes_gcm.c). */
export interface NativeAesGcm {
  /**
   * The engine it chose when it loaded (DFS_VAULT_AES_GCM_ENGINE=openssl in the environment then forces OpenSSL).
   * Absent from an addon built before it had a choice, which used OpenSSL.
   */
  readonly engine?: AesGcmEngine;
  /** AES-256-GCM over `data` in place; the tag goes into `tag`. */
  sealInPlace(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, data: Uint8Array, tag: Uint8Array): void;
  /** Decrypts `parts`, in order, into `out` (exactly as long as they are together); false, with `out` zeroed, unless `tag` verifies. */
  openInto(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, parts: readonly Uint8Array[], tag: Uint8Array, out: Uint8Array): boolean;
}

/** The addon, or why it could not be loaded (not built, this runtime lacks the OpenSSL it calls, or the build without OpenSSL has no engine here). */
export type NativeAesGcmLoad = AddonLoad<NativeAesGcm>;

/** The environment variable the addon reads when it loads: `openssl` rules its VAES engine out (aes_gcm.c, choose_engine). */
export const ENGINE_VARIABLE = 'DFS_VAULT_AES_GCM_ENGINE';

/** The build of the addon without OpenSSL (the VAES engine alone), for Electron. */
export const VAES_ONLY_TARGET = 'dfs_vault_aes_gcm_vaes';

/**
 * Where `npm run build` puts the addon this runtime loads: under Node the build with OpenSSL, in Electron (which hides
 * the BoringSSL it links) the one without it, whose VAES engine needs nothing from its host but N-API.
 */
export function nativeAesGcmPath(versions: NodeJS.ProcessVersions = process.versions): string {
  return nativeAddonPath('aes-gcm', versions.electron ? VAES_ONLY_TARGET : 'dfs_vault_aes_gcm');
}

/**
 * Loads the addon (a missing OpenSSL symbol fails here: see native-addon.ts). Electron never gets the build with
 * OpenSSL: it hides its BoringSSL symbols, and on Windows, where symbols resolve at first call, the self-test would
 * crash the app instead of failing.
 */
export function loadNativeAesGcm(path?: string, versions: NodeJS.ProcessVersions = process.versions, env: NodeJS.ProcessEnv = process.env): NativeAesGcmLoad {
  const file = path ?? nativeAesGcmPath(versions);
  const vaesOnly = basename(file) === `${VAES_ONLY_TARGET}.node`;
  if (versions.electron && !vaesOnly) {
    return { addon: undefined, path: file, reason: `Electron does not export the OpenSSL this build links (the desktop app loads ${VAES_ONLY_TARGET}.node)` };
  }
  // The off switch for the VAES code: the build without OpenSSL has nothing else, so it is not loaded at all.
  if (vaesOnly && env[ENGINE_VARIABLE] === 'openssl') {
    return { addon: undefined, path: file, reason: `${ENGINE_VARIABLE}=openssl rules out the VAES engine, the only one in the build without OpenSSL` };
  }
  const pick = (exports: Partial<NativeAesGcm> & { unavailable?: unknown }): NativeAesGcm | string => {
    const { sealInPlace, openInto, engine, unavailable } = exports;
    if (typeof sealInPlace !== 'function' || typeof openInto !== 'function') {
      return typeof unavailable === 'string' ? `${unavailable}, the only one in the build without OpenSSL` : `${file} does not export sealInPlace and openInto`;
    }
    return engine === 'vaes-avx512' || engine === 'openssl' ? { sealInPlace, openInto, engine } : { sealInPlace, openInto };
  };
  return loadAddon(file, pick, selfTestFailure);
}

/**
 * Seals and opens fixed stripes with the addon and checks both against node:crypto: a file sealed wrongly
 * could never be opened again, so an addon that disagrees (whatever library its symbols resolved to) is not
 * used. Answers why not, or undefined when it agrees byte for byte and refuses a flipped tag.
 */
export function selfTestFailure(addon: NativeAesGcm): string | undefined {
  // Empty; a few blocks and a partial one; past the 288 bytes where OpenSSL switches to its stitched AES-NI code.
  for (const size of [0, 61, 1029]) {
    const failure = selfTestOf(addon, size);
    if (failure) return failure;
  }
  return undefined;
}

function selfTestOf(addon: NativeAesGcm, size: number): string | undefined {
  const key = Buffer.alloc(32, 0x5a);
  const nonce = Buffer.alloc(12, 0x3c);
  const aad = Buffer.from('dfs-vault native self-test');
  const plain = Buffer.from(Array.from({ length: size }, (_, i) => (i * 37 + 11) & 0xff));
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const expected = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  const sealed = Buffer.concat([plain, Buffer.alloc(16)]);
  const body = sealed.subarray(0, size);
  const tag = sealed.subarray(size);
  const opened = Buffer.alloc(size);
  try {
    addon.sealInPlace(key, nonce, aad, body, tag);
    if (!sealed.equals(expected)) return 'its self-test sealed other bytes than node:crypto does';
    if (!addon.openInto(key, nonce, aad, [body.subarray(0, 20), body.subarray(20)], tag, opened) || !opened.equals(plain)) {
      return 'its self-test did not open what node:crypto sealed';
    }
    tag[0]! ^= 1;
    if (addon.openInto(key, nonce, aad, [body], tag, opened) || opened.some((byte) => byte !== 0)) return 'its self-test opened a stripe with a wrong tag';
  } catch (error) {
    return `its self-test threw: ${error instanceof Error ? error.message : String(error)}`;
  }
  return undefined;
}
