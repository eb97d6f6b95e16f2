import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { seededBytes, slowMul } from '../../helpers/gf-reference.js';
import {
  GF_EXP,
  GF_LOG,
  gfDiv,
  gfInv,
  gfMul,
  identityMatrix,
  invertMatrix,
  multiplyMatrices,
  mulAddRegion,
  mulRegion,
  xorRegion,
} from '../../../src-main/vault/erasure/gf256.js';
import { KERNEL_KINDS } from '../../helpers/region-kernel-kinds.js';
import { pinRegionKernelsForTests } from '../../../src-main/vault/erasure/region-kernels.js';

/** A view of `length` bytes starting at an arbitrary byteOffset inside a larger buffer. */
function at(offset: number, bytes: Uint8Array): Uint8Array {
  const view = new Uint8Array(new ArrayBuffer(offset + bytes.length + 3), offset, bytes.length);
  view.set(bytes);
  return view;
}

const COEFFICIENTS = Array.from({ length: 256 }, (_, c) => c);
const LENGTHS = [0, 1, 2, 3, 5, 7, 8, 1023];
// [src offset, dst offset]: aligned, equally misaligned, and misaligned against each other.
const OFFSETS: readonly (readonly [number, number])[] = [
  [0, 0],
  [1, 1],
  [3, 3],
  [1, 0],
  [0, 3],
  [3, 2],
];

describe('GF(2^8) arithmetic', () => {
  it('multiplies every pair of bytes as carry-less multiplication reduced by 0x11d', () => {
    const wrong: string[] = [];
    for (let a = 0; a < 256; a++) {
      for (let b = 0; b < 256; b++) if (gfMul(a, b) !== slowMul(a, b)) wrong.push(`${a}*${b}`);
    }
    expect(wrong).toEqual([]);
  });

  it('has 0 as the absorbing element and 1 as the identity', () => {
    for (let a = 0; a < 256; a++) {
      expect(gfMul(a, 0)).toBe(0);
      expect(gfMul(a, 1)).toBe(a);
    }
  });

  it('multiplies commutatively, associatively and distributively over XOR for every triple', () => {
    let failures = 0;
    for (let a = 0; a < 256; a++) {
      for (let b = 0; b < 256; b++) {
        const ab = gfMul(a, b);
        if (ab !== gfMul(b, a)) failures++;
        for (let c = 0; c < 256; c++) {
          if (gfMul(ab, c) !== gfMul(a, gfMul(b, c))) failures++;
          if (gfMul(a, b ^ c) !== (ab ^ gfMul(a, c))) failures++;
        }
      }
    }
    expect(failures).toBe(0);
  });

  it('gives every nonzero byte an inverse whose product with it is 1', () => {
    for (let a = 1; a < 256; a++) expect(slowMul(a, gfInv(a))).toBe(1);
  });

  it('divides so that (a / b) * b is a for every a and nonzero b', () => {
    let failures = 0;
    for (let a = 0; a < 256; a++) {
      for (let b = 1; b < 256; b++) if (slowMul(gfDiv(a, b), b) !== a) failures++;
    }
    expect(failures).toBe(0);
  });

  it('refuses to invert or divide by zero', () => {
    expect(() => gfInv(0)).toThrow(RangeError);
    expect(() => gfDiv(7, 0)).toThrow(RangeError);
  });

  it('has tables in which 2 generates all 255 nonzero bytes and LOG undoes EXP', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 255; i++) {
      const x = GF_EXP[i]!;
      seen.add(x);
      expect(GF_LOG[x]).toBe(i);
      expect(GF_EXP[i + 255]).toBe(x);
    }
    expect(seen.size).toBe(255);
    expect(seen.has(0)).toBe(false);
  });
});

describe.each(KERNEL_KINDS)('region operations with the %s kernels', (kind) => {
  beforeAll(() => {
    pinRegionKernelsForTests(kind);
  });

  afterAll(() => {
    pinRegionKernelsForTests('auto');
  });

  it('mulAddRegion XORs c times src into dst for every coefficient, length and byte offset', () => {
    let failures = 0;
    for (const c of COEFFICIENTS) {
      for (const length of LENGTHS) {
        for (const [srcOffset, dstOffset] of OFFSETS) {
          const src = at(srcOffset, seededBytes(length, c * 7919 + length + 1));
          const before = seededBytes(length, c + length * 31 + 2);
          const dst = at(dstOffset, before);
          mulAddRegion(dst, src, c);
          for (let i = 0; i < length; i++) if (dst[i] !== (before[i]! ^ slowMul(c, src[i]!))) failures++;
        }
      }
    }
    expect(failures).toBe(0);
  });

  it('mulRegion overwrites dst with c times src for every coefficient, length and byte offset', () => {
    let failures = 0;
    for (const c of COEFFICIENTS) {
      for (const length of LENGTHS) {
        for (const [srcOffset, dstOffset] of OFFSETS) {
          const src = at(srcOffset, seededBytes(length, c * 104729 + length + 3));
          const dst = at(dstOffset, seededBytes(length, c + 4));
          mulRegion(dst, src, c);
          for (let i = 0; i < length; i++) if (dst[i] !== slowMul(c, src[i]!)) failures++;
        }
      }
    }
    expect(failures).toBe(0);
  });

  it('xorRegion XORs src into dst for every length and byte offset', () => {
    for (const length of LENGTHS) {
      for (const [srcOffset, dstOffset] of OFFSETS) {
        const src = at(srcOffset, seededBytes(length, length + 5));
        const before = seededBytes(length, length + 6);
        const dst = at(dstOffset, before);
        xorRegion(dst, src);
        expect(Array.from(dst)).toEqual(Array.from(before, (b, i) => b ^ src[i]!));
      }
    }
  });

  it('handles regions longer than the staging chunk when src and dst are misaligned against each other', () => {
    const length = 200_003;
    for (const c of [1, 2, 0x8e, 0xff]) {
      const src = at(1, seededBytes(length, c + 7));
      const before = seededBytes(length, c + 8);
      const dst = at(2, before);
      mulAddRegion(dst, src, c);
      let failures = 0;
      for (let i = 0; i < length; i++) if (dst[i] !== (before[i]! ^ slowMul(c, src[i]!))) failures++;
      expect(failures).toBe(0);
    }
  });

  it('works on pooled Node Buffers at odd byte offsets', () => {
    const src = Buffer.from(seededBytes(1001, 9)).subarray(1);
    const dst = Buffer.alloc(1003).subarray(3, 1003);
    expect(src.byteOffset % 2).toBe(1);
    mulAddRegion(dst, src, 0x53);
    expect(Array.from(dst)).toEqual(Array.from(src, (b) => slowMul(0x53, b)));
  });

  it('multiplies in place when dst is src', () => {
    const original = seededBytes(1023, 10);
    const region = at(1, original);
    mulRegion(region, region, 0x1d);
    expect(Array.from(region)).toEqual(Array.from(original, (b) => slowMul(0x1d, b)));
  });

  it('never writes to src', () => {
    const original = seededBytes(1023, 11);
    const src = at(1, original);
    mulAddRegion(new Uint8Array(1023), src, 0x37);
    mulRegion(new Uint8Array(1023), src, 0x37);
    xorRegion(new Uint8Array(1023), src);
    expect(src).toEqual(original);
  });

  it('rejects regions of different lengths and coefficients that are not bytes', () => {
    expect(() => mulAddRegion(new Uint8Array(4), new Uint8Array(5), 3)).toThrow(RangeError);
    expect(() => mulRegion(new Uint8Array(4), new Uint8Array(3), 3)).toThrow(RangeError);
    expect(() => xorRegion(new Uint8Array(4), new Uint8Array(5))).toThrow(RangeError);
    expect(() => mulAddRegion(new Uint8Array(4), new Uint8Array(4), 256)).toThrow(RangeError);
    expect(() => mulAddRegion(new Uint8Array(4), new Uint8Array(4), -1)).toThrow(RangeError);
    expect(() => mulRegion(new Uint8Array(4), new Uint8Array(4), 1.5)).toThrow(RangeError);
  });
});

describe('matrices over GF(2^8)', () => {
  function randomMatrix(n: number, seed: number): Uint8Array[] {
    const bytes = seededBytes(n * n, seed);
    return Array.from({ length: n }, (_, i) => bytes.slice(i * n, (i + 1) * n));
  }

  it('inverts random nonsingular matrices so that both products are the identity', () => {
    let inverted = 0;
    for (let n = 1; n <= 10; n++) {
      for (let seed = 1; seed <= 20; seed++) {
        const matrix = randomMatrix(n, n * 1000 + seed);
        let inverse: Uint8Array[];
        try {
          inverse = invertMatrix(matrix);
        } catch {
          continue; // a random matrix is singular now and then; those are covered below
        }
        expect(multiplyMatrices(matrix, inverse)).toEqual(identityMatrix(n));
        expect(multiplyMatrices(inverse, matrix)).toEqual(identityMatrix(n));
        inverted++;
      }
    }
    expect(inverted).toBeGreaterThan(150);
  });

  it('multiplies matrices by the definition, checked against the slow multiply', () => {
    const a = randomMatrix(3, 12);
    const b = [seededBytes(2, 13), seededBytes(2, 14), seededBytes(2, 15)];
    const product = multiplyMatrices(a, b);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 2; j++) {
        let sum = 0;
        for (let t = 0; t < 3; t++) sum ^= slowMul(a[i]![t]!, b[t]![j]!);
        expect(product[i]![j]).toBe(sum);
      }
    }
  });

  it('leaves the input matrix untouched when inverting', () => {
    const matrix = randomMatrix(4, 16);
    const copy = matrix.map((row) => row.slice());
    invertMatrix(matrix);
    expect(matrix).toEqual(copy);
  });

  it('throws RangeError for a singular matrix', () => {
    const row = Uint8Array.of(3, 7, 9);
    expect(() => invertMatrix([row, Uint8Array.of(1, 2, 3), row.slice()])).toThrow(RangeError);
    expect(() => invertMatrix([Uint8Array.of(0)])).toThrow(/singular/);
    expect(() => invertMatrix([Uint8Array.of(1, 0), Uint8Array.of(0, 0)])).toThrow(RangeError);
    // The second row is twice the first in the field, so they are dependent without being equal.
    const r = Uint8Array.of(5, 6);
    expect(() => invertMatrix([r, Uint8Array.from(r, (x) => slowMul(2, x))])).toThrow(RangeError);
  });

  it('throws RangeError for shapes that do not fit', () => {
    expect(() => invertMatrix([Uint8Array.of(1, 2)])).toThrow(RangeError);
    expect(() => multiplyMatrices([Uint8Array.of(1, 2)], [Uint8Array.of(1)])).toThrow(RangeError);
  });
});
