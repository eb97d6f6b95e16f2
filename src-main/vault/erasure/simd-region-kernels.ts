import { gfMul } from './gf-field.js';
import { gfKernelModuleBytes, KERNEL_STEP_BYTES, NIBBLE_TABLE_BYTES } from './gf-kernel-module.js';
import type { GfKernelExports } from './gf-kernel-module.js';
import { jsRegionKernels } from './js-region-kernels.js';
import type { RegionKernels } from './region-kernels.js';
import { instantiate, wasmApi } from './wasm-api.js';

// The wasm memory never grows: 256 KiB, the nibble tables of all 256 coefficients first (8 KiB), then
// scratch slots that the data passes through, since wasm code can only reach its own linear memory.
const MEMORY_PAGES = 4;
const PAGE_BYTES = 65536;
const SCRATCH_START = 256 * NIBBLE_TABLE_BYTES;
const SCRATCH_BYTES = MEMORY_PAGES * PAGE_BYTES - SCRATCH_START;
// For the 2 + 2 code on 1 MiB stripes, encodeInto measured ~9.5, ~10.2 and ~9.2 GB/s with 16, 32 and
// 64 KiB slots (8 KiB and less fell behind as per-call costs grew).
/** The largest chunk of each source that passes through wasm memory at a time; tests cut regions around it. */
export const MAX_SLOT_BYTES = 32 * 1024;

/** Builds the wasm SIMD kernels, or returns undefined where the runtime lacks WebAssembly or its SIMD. */
export function createSimdRegionKernels(): RegionKernels | undefined {
  const api = wasmApi();
  if (api === undefined) return undefined;
  const bytes = gfKernelModuleBytes(MEMORY_PAGES);
  if (!api.validate(bytes)) return undefined;
  try {
    return new SimdRegionKernels(instantiate(api, bytes) as unknown as GfKernelExports);
  } catch {
    // A host may forbid compiling wasm (as V8 can be told to); the JS kernels give the same bytes, only slower.
    return undefined;
  }
}

const XOR_ROW = Uint8Array.of(1, 1);
const NO_TERMS = -1;

class SimdRegionKernels implements RegionKernels {
  readonly name = 'simd';
  private readonly memory: Uint8Array;

  constructor(private readonly kernels: GfKernelExports) {
    this.memory = new Uint8Array(kernels.memory.buffer);
    for (let c = 0; c < 256; c++) {
      for (let i = 0; i < 16; i++) {
        this.memory[c * NIBBLE_TABLE_BYTES + i] = gfMul(c, i);
        this.memory[c * NIBBLE_TABLE_BYTES + 16 + i] = gfMul(c, i << 4);
      }
    }
  }

  xor(dst: Uint8Array, src: Uint8Array): void {
    this.combine([dst], [XOR_ROW], [dst, src]);
  }

  mul(dst: Uint8Array, src: Uint8Array, c: number): void {
    if (c === 0) dst.fill(0);
    else if (c === 1) dst.set(src);
    else this.combine([dst], [Uint8Array.of(c)], [src]);
  }

  mulAdd(dst: Uint8Array, src: Uint8Array, c: number): void {
    if (c !== 0) this.combine([dst], [Uint8Array.of(1, c)], [dst, src]);
  }

  /**
   * Copies each chunk of every source into wasm memory once and computes all the rows from it. An out may
   * even be one of the sources (the same view), as xor and mulAdd use it: a chunk is read in before it is written.
   */
  combine(outs: readonly Uint8Array[], rows: readonly Uint8Array[], sources: readonly Uint8Array[]): void {
    const len = outs[0]?.length ?? 0;
    if (len === 0) return;
    // One slot per source and one for the row being computed; slot sizes stay multiples of the kernels'
    // step, so their overrun past a short last chunk stays inside the slot.
    const slot = Math.min(MAX_SLOT_BYTES, Math.floor(SCRATCH_BYTES / (sources.length + 1) / KERNEL_STEP_BYTES) * KERNEL_STEP_BYTES);
    if (slot === 0) {
      // Thousands of sources; no code over GF(2^8) has more than 255.
      jsRegionKernels.combine(outs, rows, sources);
      return;
    }
    const { memory } = this;
    const acc = SCRATCH_START + sources.length * slot;
    for (let off = 0; off < len; off += slot) {
      const n = Math.min(slot, len - off);
      for (let j = 0; j < sources.length; j++) memory.set(sources[j]!.subarray(off, off + n), SCRATCH_START + j * slot);
      for (let i = 0; i < rows.length; i++) {
        const out = outs[i]!;
        const sum = this.combineRow(rows[i]!, acc, slot, n);
        if (sum === NO_TERMS) out.fill(0, off, off + n);
        else out.set(memory.subarray(sum, sum + n), off);
      }
    }
  }

  /**
   * Sums coeffs[j]·(slot j) over n bytes into acc and returns where the sum is: acc, or a source slot when
   * the row is a single 1, or NO_TERMS when every coefficient is 0. Ones cost an XOR rather than a multiply,
   * and the first term is only read, never copied, as the kernels take their destination apart from their inputs.
   */
  private combineRow(coeffs: Uint8Array, acc: number, slot: number, n: number): number {
    const { kernels } = this;
    let sum = NO_TERMS;
    for (let j = 0; j < coeffs.length; j++) {
      const c = coeffs[j]!;
      if (c === 0) continue;
      const src = SCRATCH_START + j * slot;
      if (sum === NO_TERMS) {
        if (c === 1) {
          sum = src;
          continue;
        }
        kernels.mul(acc, src, n, c * NIBBLE_TABLE_BYTES);
      } else if (c === 1) kernels.xor(acc, sum, src, n);
      else kernels.mulAdd(acc, sum, src, n, c * NIBBLE_TABLE_BYTES);
      sum = acc;
    }
    return sum;
  }
}
