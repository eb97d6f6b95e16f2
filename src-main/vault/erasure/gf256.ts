import { gfInv, gfMul } from './gf-field.js';
import { regionKernels } from './region-kernels.js';

export { GF_EXP, GF_LOG, GF_POLY, gfDiv, gfInv, gfMul } from './gf-field.js';

/** A matrix over GF(2^8), as an array of equal-length rows. */
export type GfMatrix = Uint8Array[];

/** The n×n identity matrix. */
export function identityMatrix(n: number): GfMatrix {
  const rows: GfMatrix = [];
  for (let i = 0; i < n; i++) {
    const row = new Uint8Array(n);
    row[i] = 1;
    rows.push(row);
  }
  return rows;
}

/** The product a·b of two matrices over GF(2^8); throws RangeError when the shapes do not fit. */
export function multiplyMatrices(a: readonly Uint8Array[], b: readonly Uint8Array[]): GfMatrix {
  const inner = b.length;
  const cols = b[0]?.length ?? 0;
  for (const row of a) {
    if (row.length !== inner) throw new RangeError(`cannot multiply: a has ${row.length} columns, b has ${inner} rows`);
  }
  for (const row of b) {
    if (row.length !== cols) throw new RangeError('cannot multiply: rows of b differ in length');
  }
  return a.map((aRow) => {
    const out = new Uint8Array(cols);
    for (let t = 0; t < inner; t++) {
      const c = aRow[t]!;
      if (c === 0) continue;
      const bRow = b[t]!;
      for (let j = 0; j < cols; j++) out[j] = out[j]! ^ gfMul(c, bRow[j]!);
    }
    return out;
  });
}

/** The inverse of a square matrix over GF(2^8) (Gauss–Jordan); throws RangeError if it is singular or not square. */
export function invertMatrix(matrix: readonly Uint8Array[]): GfMatrix {
  const n = matrix.length;
  // Work on copies so the caller's matrix survives; `inv` accumulates the same row operations applied to I.
  const work = matrix.map((row) => {
    if (row.length !== n) throw new RangeError(`cannot invert a non-square matrix (${n} rows, a row of ${row.length})`);
    return Uint8Array.from(row);
  });
  const inv = identityMatrix(n);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    while (pivot < n && work[pivot]![col] === 0) pivot++;
    if (pivot === n) throw new RangeError('matrix is singular over GF(256)');
    if (pivot !== col) {
      [work[col], work[pivot]] = [work[pivot]!, work[col]!];
      [inv[col], inv[pivot]] = [inv[pivot]!, inv[col]!];
    }
    const wRow = work[col]!;
    const iRow = inv[col]!;
    const scale = gfInv(wRow[col]!);
    if (scale !== 1) {
      for (let j = 0; j < n; j++) {
        wRow[j] = gfMul(wRow[j]!, scale);
        iRow[j] = gfMul(iRow[j]!, scale);
      }
    }
    for (let r = 0; r < n; r++) {
      const factor = r === col ? 0 : work[r]![col]!;
      if (factor === 0) continue;
      const wr = work[r]!;
      const ir = inv[r]!;
      for (let j = 0; j < n; j++) {
        wr[j] = wr[j]! ^ gfMul(factor, wRow[j]!);
        ir[j] = ir[j]! ^ gfMul(factor, iRow[j]!);
      }
    }
  }
  return inv;
}

function checkRegions(dst: Uint8Array, src: Uint8Array): void {
  if (dst.length !== src.length) {
    throw new RangeError(`region lengths differ: dst has ${dst.length} bytes, src has ${src.length}`);
  }
}

function checkCoefficient(c: number): void {
  if (!Number.isInteger(c) || c < 0 || c > 255) throw new RangeError(`coefficient must be a byte 0..255, got ${c}`);
}

/** dst ^= src, byte for byte; the regions must have equal length and must not partially overlap. */
export function xorRegion(dst: Uint8Array, src: Uint8Array): void {
  checkRegions(dst, src);
  regionKernels().xor(dst, src);
}

/** dst ^= c·src over GF(2^8); the regions must have equal length and must not partially overlap. */
export function mulAddRegion(dst: Uint8Array, src: Uint8Array, c: number): void {
  checkRegions(dst, src);
  checkCoefficient(c);
  regionKernels().mulAdd(dst, src, c);
}

/** dst = c·src over GF(2^8); dst may be src itself, but the regions must not partially overlap. */
export function mulRegion(dst: Uint8Array, src: Uint8Array, c: number): void {
  checkRegions(dst, src);
  checkCoefficient(c);
  regionKernels().mul(dst, src, c);
}

/**
 * outs[i] = Σ_j rows[i][j]·sources[j] over GF(2^8), overwriting each out (an all-zero row zeroes it);
 * all regions have one length, each row has one coefficient per source, and no out may overlap a source.
 * Faster than the same sum from mulRegion and mulAddRegion: each source is read once for all the rows.
 */
export function combineRegions(outs: readonly Uint8Array[], rows: readonly Uint8Array[], sources: readonly Uint8Array[]): void {
  if (outs.length !== rows.length) throw new RangeError(`${rows.length} rows of coefficients for ${outs.length} outputs`);
  for (const row of rows) {
    if (row.length !== sources.length) throw new RangeError(`a row has ${row.length} coefficients for ${sources.length} sources`);
  }
  const len = outs[0]?.length;
  if (len === undefined) return;
  for (const region of [...outs, ...sources]) {
    if (region.length !== len) throw new RangeError(`region lengths differ: ${region.length} bytes against ${len}`);
  }
  if (len > 0) regionKernels().combine(outs, rows, sources);
}
