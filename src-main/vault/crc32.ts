import { crc32 as zlibCrc32 } from 'node:zlib';
import { type AddonLoad, implementationInWords, loadAddon, nativeAddonPath } from './native-addon.js';

/** The native addon's function (native/crc32/crc32.c): zlib's CRC-32 by carry-less multiplication. */
export interface NativeCrc32 {
  crc32(data: Uint8Array, seed: number): number;
  /** Which fold runs here: 'vpclmulqdq-avx512' (256 bytes a step) or 'pclmulqdq' (64). */
  readonly fold?: string;
}

/** The addon, or why it is not used (not built, or this CPU cannot fold). */
export type NativeCrc32Load = AddonLoad<NativeCrc32>;

/**
 * Loads the addon and checks it against zlib. It needs nothing from its host but N-API, so it is tried in Electron
 * too, from a checkout (`npm start`) and in the packaged app, which carries it unpacked (electron-builder.yml)
 * where `npm run build` built it.
 */
export function loadNativeCrc32(path: string = nativeAddonPath('crc32', 'dfs_vault_crc32')): NativeCrc32Load {
  // The addon exports nothing on a CPU without PCLMULQDQ and SSE4.1, or when built for another CPU or by another compiler.
  const pick = ({ crc32, fold }: Partial<NativeCrc32>): NativeCrc32 | string =>
    typeof crc32 === 'function' ? { crc32, ...(typeof fold === 'string' ? { fold } : {}) } : 'it has no crc32 for this machine (it folds on x86-64 with PCLMULQDQ, built by GCC or Clang)';
  return loadAddon(path, pick, crc32SelfTestFailure);
}

/**
 * Checks the addon against zlib on fixed bytes: a chunk check computed wrongly would mark every piece
 * of a file damaged. Answers why it disagrees, or undefined.
 */
export function crc32SelfTestFailure(addon: NativeCrc32): string | undefined {
  const bytes = Buffer.from(Array.from({ length: 1111 }, (_, i) => (i * 37 + 11) & 0xff));
  // Below the fold (bytewise only); the fold's first step; a step and a half-lane more; many steps and a
  // tail, of the 512-bit fold too where it runs.
  for (const size of [0, 15, 64, 95, 1111]) {
    for (const seed of [0, 0x9e3779b9]) {
      const data = bytes.subarray(1, 1 + size);
      try {
        if (addon.crc32(data, seed) !== zlibCrc32(data, seed)) return `its self-test disagreed with zlib on ${size} bytes`;
      } catch (error) {
        return `its self-test threw: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
  }
  return undefined;
}

/** The native addon when `npm run build` built it and this CPU can run it; zlib otherwise. */
const NATIVE = loadNativeCrc32();

/** Which CRC-32 computes the chunk checks here, and why, in words (the benchmark prints it). */
export function crc32Implementation(): string {
  return implementationInWords(NATIVE, ({ fold }) => `native/crc32, ${fold === 'vpclmulqdq-avx512' ? 'VPCLMULQDQ' : 'PCLMULQDQ'}`, 'zlib');
}

/** zlib's crc32(data, seed), natively when possible. An empty `data` gives `seed` (zlib.crc32 answers 0 for an empty buffer without memory behind it). */
export function crc32(data: Uint8Array, seed: number): number {
  if (data.length === 0) return seed;
  return NATIVE.addon ? NATIVE.addon.crc32(data, seed) : zlibCrc32(data, seed);
}
