import { jsRegionKernels } from './js-region-kernels.js';
import { createSimdRegionKernels } from './simd-region-kernels.js';

/**
 * One implementation of the bulk GF(2^8) operations behind gf256.ts. Arguments arrive checked:
 * equal lengths, coefficients that are bytes (0 and 1 included), rows as long as the source list.
 */
export interface RegionKernels {
  readonly name: 'simd' | 'js';
  /** dst ^= src; dst may be src. */
  xor(dst: Uint8Array, src: Uint8Array): void;
  /** dst = c·src; dst may be src. */
  mul(dst: Uint8Array, src: Uint8Array, c: number): void;
  /** dst ^= c·src; dst may be src. */
  mulAdd(dst: Uint8Array, src: Uint8Array, c: number): void;
  /** outs[i] = Σ rows[i][j]·sources[j], overwriting outs; no out may overlap a source. */
  combine(outs: readonly Uint8Array[], rows: readonly Uint8Array[], sources: readonly Uint8Array[]): void;
}

let active: RegionKernels | undefined;
let simd: RegionKernels | null | undefined;

function simdKernels(): RegionKernels | null {
  // Built once: null records that this runtime has no wasm SIMD, so the check is not repeated.
  if (simd === undefined) simd = createSimdRegionKernels() ?? null;
  return simd;
}

/** The kernels in use: wasm SIMD where the runtime validates the module, the JS tables otherwise. */
export function regionKernels(): RegionKernels {
  active ??= simdKernels() ?? jsRegionKernels;
  return active;
}

/**
 * Internal, for tests only: pins the kernels to one implementation ('auto' restores the default choice)
 * so both stay covered on a runtime that has SIMD. Throws if 'simd' is asked for where it is missing.
 */
export function pinRegionKernelsForTests(choice: 'simd' | 'js' | 'auto'): RegionKernels {
  if (choice === 'auto') active = undefined;
  else if (choice === 'js') active = jsRegionKernels;
  else {
    const kernels = simdKernels();
    if (kernels === null) throw new Error('wasm SIMD is not available in this runtime');
    active = kernels;
  }
  return regionKernels();
}
