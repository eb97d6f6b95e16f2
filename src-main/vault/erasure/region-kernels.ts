import { jsRegionKernels } from './js-region-kernels.js';

/**
 * One implementation of the bulk GF(2^8) operations behind gf256.ts. Arguments arrive checked:
 * equal lengths and coefficients that are bytes (0 and 1 included).
 */
export interface RegionKernels {
  readonly name: 'js';
  /** dst ^= src; dst may be src. */
  xor(dst: Uint8Array, src: Uint8Array): void;
  /** dst = c·src; dst may be src. */
  mul(dst: Uint8Array, src: Uint8Array, c: number): void;
  /** dst ^= c·src; dst may be src. */
  mulAdd(dst: Uint8Array, src: Uint8Array, c: number): void;
}

/** The kernels in use. */
export function regionKernels(): RegionKernels {
  return jsRegionKernels;
}
