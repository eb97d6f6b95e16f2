import type { RegionKernelsName } from '../../src-main/vault/erasure/region-kernels.js';
import { loadNativeGf256 } from '../../src-main/vault/erasure/native-region-kernels.js';

const native = loadNativeGf256();
if (!native.addon) console.log(`GF(2^8) tests with the native kernels skipped: the addon is not loaded here (${native.reason})`);

/** Every region-kernel implementation this machine runs: the native addon when it loads, wasm SIMD and JS. */
export const KERNEL_KINDS: readonly RegionKernelsName[] = native.addon ? ['native', 'simd', 'js'] : ['simd', 'js'];
