import { jsRegionKernels } from './js-region-kernels.js';
import { implementationInWords } from '../native-addon.js';
import { type NativeGf256Load, loadNativeGf256, nativeRegionKernels } from './native-region-kernels.js';
import { createSimdRegionKernels } from './simd-region-kernels.js';

/**
 * One implementation of the bulk GF(2^8) operations behind gf256.ts. Arguments arrive checked:
 * equal lengths, coefficients that are bytes (0 and 1 included), rows as long as the source list.
 */
export interface RegionKernels {
  readonly name: RegionKernelsName;
  /** dst ^= src; dst may be src. */
  xor(dst: Uint8Array, src: Uint8Array): void;
  /** dst = c·src; dst may be src. */
  mul(dst: Uint8Array, src: Uint8Array, c: number): void;
  /** dst ^= c·src; dst may be src. */
  mulAdd(dst: Uint8Array, src: Uint8Array, c: number): void;
  /** outs[i] = Σ rows[i][j]·sources[j], overwriting outs; no out may overlap a source. */
  combine(outs: readonly Uint8Array[], rows: readonly Uint8Array[], sources: readonly Uint8Array[]): void;
}

/** The implementations, fastest first: the GFNI addon (native/gf256), wasm SIMD, JS tables. */
export type RegionKernelsName = 'native' | 'simd' | 'js';

let active: RegionKernels | undefined;
let nativeLoad: NativeGf256Load | undefined;
let simd: RegionKernels | null | undefined;

// Each is tried once: the addon's load is kept (with its reason when absent); null records that this runtime
// lacks wasm SIMD, so the check is not repeated.
function loadedNative(): NativeGf256Load {
  nativeLoad ??= loadNativeGf256();
  return nativeLoad;
}

function nativeKernels(): RegionKernels | null {
  const { addon } = loadedNative();
  return addon ? nativeRegionKernels(addon) : null;
}

function simdKernels(): RegionKernels | null {
  if (simd === undefined) simd = createSimdRegionKernels() ?? null;
  return simd;
}

/** The kernels in use: the GFNI addon where it loads, else wasm SIMD where the runtime validates the module, else the JS tables. */
export function regionKernels(): RegionKernels {
  active ??= nativeKernels() ?? simdKernels() ?? jsRegionKernels;
  return active;
}

/** Which kernels compute the erasure code here, and why, in words (the benchmark prints it). */
export function regionKernelsImplementation(): string {
  const { name } = regionKernels();
  // Loaded even when the kernels were pinned before it, so that the reason is known.
  const load = loadedNative();
  const fallback = name === 'simd' ? 'wasm SIMD kernels' : 'JS table kernels';
  if (name !== 'native' && load.addon) return `${fallback} (pinned for tests)`;
  return implementationInWords(load, () => 'native/gf256, GFNI', fallback);
}

/**
 * Internal, for tests only: pins the kernels to one implementation ('auto' restores the default choice)
 * so each stays covered on a runtime that has a faster one. Throws if the one asked for is missing.
 */
export function pinRegionKernelsForTests(choice: RegionKernelsName | 'auto'): RegionKernels {
  if (choice === 'auto') active = undefined;
  else if (choice === 'js') active = jsRegionKernels;
  else {
    const kernels = choice === 'native' ? nativeKernels() : simdKernels();
    if (kernels === null) {
      const load = loadedNative();
      throw new Error(choice === 'native' ? `the native GF(2^8) addon is not loaded: ${'reason' in load ? load.reason : ''}` : 'wasm SIMD is not available in this runtime');
    }
    active = kernels;
  }
  return regionKernels();
}
