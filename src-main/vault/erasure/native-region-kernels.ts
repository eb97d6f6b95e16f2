import { type AddonLoad, loadAddon, nativeAddonPath } from '../native-addon.js';
import { gfMul } from './gf-field.js';
import { jsRegionKernels } from './js-region-kernels.js';
import type { RegionKernels } from './region-kernels.js';

/** The native addon's exports (native/gf256/gf256.c): GFNI sums of region multiples, read and written in place. */
export interface NativeGf256 {
  /** outs[i] = Σ_j rows[i][j]·sources[j]; an out may be a source only when it is the only out. */
  combine(outs: readonly Uint8Array[], rows: readonly Uint8Array[], sources: readonly Uint8Array[]): void;
  /** Which of its loops runs here: 'gfni-avx512' or 'gfni-avx2'. */
  readonly kernel: string;
}

/** The addon, or why it is not used (not built, no GFNI here, or refused by its self-test). */
export type NativeGf256Load = AddonLoad<NativeGf256>;

/** Loads the addon and checks it against gfMul. */
export function loadNativeGf256(path: string = nativeAddonPath('gf256', 'dfs_vault_gf256')): NativeGf256Load {
  // The addon exports nothing on a CPU without GFNI (and AVX2 or AVX-512BW), or when built for another CPU or by another compiler.
  const pick = ({ combine, kernel }: Record<string, unknown>): NativeGf256 | string =>
    typeof combine === 'function' && typeof kernel === 'string'
      ? { combine: combine as NativeGf256['combine'], kernel }
      : 'it has no combine for this machine (it runs on x86-64 with GFNI and AVX2 or AVX-512BW, built by GCC or Clang 10 or later)';
  return loadAddon(path, pick, gf256SelfTestFailure);
}

/**
 * Checks the addon against gfMul on fixed bytes, for every coefficient and a length with a partial last
 * step: a wrong parity byte would only show when a piece is lost. (Not against the JS kernels: their tables
 * for all 256 coefficients would take 32 MiB.) Answers why it disagrees, or undefined.
 */
export function gf256SelfTestFailure(addon: NativeGf256): string | undefined {
  const length = 131;
  const sources = [0, 1].map((s) => Uint8Array.from({ length }, (_, i) => (i * 37 + s * 101 + 11) & 0xff));
  for (let c = 0; c < 256; c++) {
    const rows = [Uint8Array.of(c, 1), Uint8Array.of(1, c)];
    const outs = rows.map(() => new Uint8Array(length));
    try {
      addon.combine(outs, rows, sources);
    } catch (error) {
      return `its self-test threw: ${error instanceof Error ? error.message : String(error)}`;
    }
    const wrong = outs.some((out, i) => out.some((byte, at) => byte !== (gfMul(rows[i]![0]!, sources[0]![at]!) ^ gfMul(rows[i]![1]!, sources[1]![at]!))));
    if (wrong) return `its self-test disagreed with gfMul for coefficient ${c}`;
  }
  return undefined;
}

/** The most sources or outputs the addon takes in one call: no code over GF(2^8) has more pieces. */
export const NATIVE_MAX_REGIONS = 255;

/** Region kernels over the addon: mul, mulAdd and xor are sums of one or two terms; wider sums go to the JS kernels. */
export function nativeRegionKernels(addon: NativeGf256): RegionKernels {
  return {
    name: 'native',
    xor: (dst, src) => addon.combine([dst], [Uint8Array.of(1, 1)], [dst, src]),
    mul: (dst, src, c) => addon.combine([dst], [Uint8Array.of(c)], [src]),
    mulAdd: (dst, src, c) => {
      if (c !== 0) addon.combine([dst], [Uint8Array.of(1, c)], [dst, src]);
    },
    combine: (outs, rows, sources) => {
      if (outs.length > NATIVE_MAX_REGIONS || sources.length > NATIVE_MAX_REGIONS) jsRegionKernels.combine(outs, rows, sources);
      else addon.combine(outs, rows, sources);
    },
  };
}
