import { afterAll, afterEach, beforeAll, describe, it, expect, vi } from 'vitest';
import { seededBytes, slowMul } from '../../helpers/gf-reference.js';
import { combineRegions, gfMul, mulAddRegion, mulRegion, xorRegion } from '../../../src-main/vault/erasure/gf256.js';
import { jsRegionKernels } from '../../../src-main/vault/erasure/js-region-kernels.js';
import { KERNEL_KINDS } from '../../helpers/region-kernel-kinds.js';
import { pinRegionKernelsForTests, regionKernels, regionKernelsImplementation } from '../../../src-main/vault/erasure/region-kernels.js';
import { createSimdRegionKernels, MAX_SLOT_BYTES } from '../../../src-main/vault/erasure/simd-region-kernels.js';

/** A copy of `bytes` at byteOffset `offset` of a larger buffer. */
function at(offset: number, bytes: Uint8Array): Uint8Array {
  const view = new Uint8Array(new ArrayBuffer(offset + bytes.length + 5), offset, bytes.length);
  view.set(bytes);
  return view;
}

const SLOT = MAX_SLOT_BYTES;
// Around every edge the SIMD path has: a vector (16), a loop step (64) and a chunk of wasm memory.
const LENGTHS = [0, 1, 15, 16, 17, 63, 64, 65, 1000, SLOT - 1, SLOT, SLOT + 1, 3 * SLOT + 13];
const OFFSETS: readonly (readonly [number, number])[] = [
  [0, 0],
  [1, 1],
  [3, 0],
  [0, 5],
  [7, 2],
];
const SAMPLE_COEFFICIENTS = [0, 1, 2, 3, 0x1d, 0x46, 0x8e, 0xf0, 0xff];

const simd = createSimdRegionKernels()!;

afterAll(() => {
  pinRegionKernelsForTests('auto');
});

describe('the choice of region kernels', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('runs the native GFNI kernels by default where they load, else wasm SIMD, on this Node', () => {
    expect(simd).toBeDefined();
    expect(regionKernels().name).toBe(KERNEL_KINDS[0]);
    expect(regionKernelsImplementation()).toMatch(KERNEL_KINDS[0] === 'native' ? /^the native addon \(native\/gf256, GFNI\)$/ : /^wasm SIMD kernels \(the native addon is not loaded: .+\)$/);
  });

  it('offers no SIMD kernels where there is no WebAssembly', () => {
    vi.stubGlobal('WebAssembly', undefined);
    expect(createSimdRegionKernels()).toBeUndefined();
  });

  it('offers no SIMD kernels where the runtime does not validate the module, as one without SIMD would not', () => {
    // Validation comes first, so a stand-in with nothing but a validate that says no is enough.
    vi.stubGlobal('WebAssembly', { validate: () => false });
    expect(createSimdRegionKernels()).toBeUndefined();
  });

  it('can be pinned to each implementation and back', () => {
    expect(pinRegionKernelsForTests('js').name).toBe('js');
    expect(regionKernels()).toBe(jsRegionKernels);
    expect(pinRegionKernelsForTests('simd').name).toBe('simd');
    if (KERNEL_KINDS.includes('native')) expect(pinRegionKernelsForTests('native').name).toBe('native');
    expect(pinRegionKernelsForTests('auto').name).toBe(KERNEL_KINDS[0]);
  });
});

describe('the SIMD kernels', () => {
  beforeAll(() => {
    pinRegionKernelsForTests('simd');
  });

  it('multiply every byte by every coefficient as gfMul does, in mulRegion and mulAddRegion', () => {
    // Every byte value, thrice and a bit, at an odd offset: each lands in several lanes and in the tail.
    const src = at(3, Uint8Array.from({ length: 3 * 256 + 7 }, (_, i) => (i * 167) & 0xff));
    const base = seededBytes(src.length, 1);
    let failures = 0;
    for (let c = 0; c < 256; c++) {
      const product = at(1, seededBytes(src.length, c + 2));
      mulRegion(product, src, c);
      const sum = at(2, base);
      mulAddRegion(sum, src, c);
      for (let i = 0; i < src.length; i++) {
        const expected = gfMul(c, src[i]!);
        if (product[i] !== expected) failures++;
        if (sum[i] !== (base[i]! ^ expected)) failures++;
      }
    }
    expect(failures).toBe(0);
  });

  it.each(LENGTHS)('give the same bytes as the JS kernels for regions of %i bytes at any offsets', (length) => {
    const mismatches: string[] = [];
    for (const [srcOffset, dstOffset] of OFFSETS) {
      const src = at(srcOffset, seededBytes(length, length + srcOffset + 3));
      const before = seededBytes(length, length + dstOffset + 4);
      const cases: [string, (kernels: typeof simd, dst: Uint8Array) => void][] = [
        ['xor', (kernels, dst) => kernels.xor(dst, src)],
        ...SAMPLE_COEFFICIENTS.flatMap((c): [string, (kernels: typeof simd, dst: Uint8Array) => void][] => [
          [`mul ${c}`, (kernels, dst) => kernels.mul(dst, src, c)],
          [`mulAdd ${c}`, (kernels, dst) => kernels.mulAdd(dst, src, c)],
        ]),
      ];
      for (const [name, run] of cases) {
        const viaSimd = at(dstOffset, before);
        const viaJs = at(dstOffset, before);
        run(simd, viaSimd);
        run(jsRegionKernels, viaJs);
        if (Buffer.compare(viaSimd, viaJs) !== 0) mismatches.push(`${name} at [${srcOffset}, ${dstOffset}]`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('matches the slow reference on a long region, not only the JS kernels', () => {
    const length = 3 * SLOT + 13;
    const src = at(1, seededBytes(length, 5));
    const dst = at(2, seededBytes(length, 6));
    const expected = Array.from(dst, (b, i) => b ^ slowMul(0x53, src[i]!));
    mulAddRegion(dst, src, 0x53);
    expect(Array.from(dst)).toEqual(expected);
  });

  it('multiplies in place across chunks when dst is src', () => {
    const original = seededBytes(2 * SLOT + 77, 7);
    const region = at(3, original);
    mulRegion(region, region, 0x8e);
    expect(Array.from(region)).toEqual(Array.from(original, (b) => gfMul(0x8e, b)));
  });

  it('XOR a region with itself to zero and add c times a region to itself as (1 + c) times it', () => {
    const original = seededBytes(SLOT + 5, 8);
    const zeroed = at(1, original);
    xorRegion(zeroed, zeroed);
    expect(zeroed.every((b) => b === 0)).toBe(true);
    const scaled = at(1, original);
    mulAddRegion(scaled, scaled, 0x46);
    expect(Array.from(scaled)).toEqual(Array.from(original, (b) => gfMul(1 ^ 0x46, b)));
  });

  it('write nothing outside dst', () => {
    const backing = new Uint8Array(SLOT + 40).fill(0xa5);
    const dst = backing.subarray(17, 17 + SLOT + 3);
    mulRegion(dst, seededBytes(dst.length, 9), 0x1d);
    mulAddRegion(dst, seededBytes(dst.length, 10), 0x1d);
    xorRegion(dst, seededBytes(dst.length, 11));
    expect(Array.from(backing.subarray(0, 17))).toEqual(Array<number>(17).fill(0xa5));
    expect(Array.from(backing.subarray(17 + SLOT + 3))).toEqual(Array<number>(20).fill(0xa5));
  });
});

/** The sum Σ row[j]·sources[j] computed byte by byte with the slow multiply. */
function referenceCombine(row: Uint8Array, sources: readonly Uint8Array[], length: number): number[] {
  return Array.from({ length }, (_, i) => row.reduce((sum, c, j) => sum ^ slowMul(c, sources[j]![i]!), 0));
}

describe.each(KERNEL_KINDS)('combineRegions with the %s kernels', (kind) => {
  beforeAll(() => {
    pinRegionKernelsForTests(kind);
  });

  it.each([0, 1, 65, SLOT + 1, 2 * SLOT + 100])('sums every row over sources of %i bytes, ones, zeros and all', (length) => {
    const sources = [1, 2, 3].map((seed, j) => at(j, seededBytes(length, seed + length)));
    const rows = [
      Uint8Array.of(1, 1, 1),
      Uint8Array.of(0x46, 1, 0xff),
      Uint8Array.of(0, 0, 0),
      Uint8Array.of(1, 0, 0),
      Uint8Array.of(0, 0, 1),
      Uint8Array.of(0, 7, 1),
      Uint8Array.of(2, 0, 3),
    ];
    const outs = rows.map((_, i) => at(i % 4, seededBytes(length, 100 + i)));
    combineRegions(outs, rows, sources);
    outs.forEach((out, i) => expect(Array.from(out), `row ${i}`).toEqual(referenceCombine(rows[i]!, sources, length)));
  });

  it('sums hundreds of sources, as wide codes need', () => {
    const sources = Array.from({ length: 300 }, (_, j) => seededBytes(200, j + 1));
    const row = seededBytes(300, 999);
    const out = new Uint8Array(200);
    combineRegions([out], [row], sources);
    expect(Array.from(out)).toEqual(referenceCombine(row, sources, 200));
  });

  it('still sums when the sources are too many for a chunk of each to fit in wasm memory', () => {
    const sources = Array.from({ length: 5000 }, (_, j) => seededBytes(3, j + 1));
    const row = seededBytes(5000, 998);
    const out = new Uint8Array(3);
    combineRegions([out], [row], sources);
    expect(Array.from(out)).toEqual(referenceCombine(row, sources, 3));
  });

  it('rejects shapes that do not fit', () => {
    const a = new Uint8Array(4);
    expect(() => combineRegions([a], [], [a])).toThrow(RangeError);
    expect(() => combineRegions([a], [Uint8Array.of(1, 2)], [a])).toThrow(RangeError);
    expect(() => combineRegions([a], [Uint8Array.of(1)], [new Uint8Array(5)])).toThrow(RangeError);
    expect(() => combineRegions([a, new Uint8Array(3)], [Uint8Array.of(1), Uint8Array.of(1)], [a])).toThrow(RangeError);
  });
});
