import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { seededBytes, slowMul } from '../../helpers/gf-reference.js';
import { createErasureCodec } from '../../../src-main/vault/erasure/reed-solomon.js';
import { KERNEL_KINDS } from '../../helpers/region-kernel-kinds.js';
import { pinRegionKernelsForTests } from '../../../src-main/vault/erasure/region-kernels.js';

function randomShards(k: number, length: number, seed: number): Uint8Array[] {
  return Array.from({ length: k }, (_, i) => seededBytes(length, seed * 101 + i + 1));
}

/** Every subset of {0..n-1} with at most `max` members, smallest first. */
function subsetsUpTo(n: number, max: number): number[][] {
  const out: number[][] = [];
  for (let mask = 0; mask < 1 << n; mask++) {
    const members: number[] = [];
    for (let i = 0; i < n; i++) if (mask & (1 << i)) members.push(i);
    if (members.length <= max) out.push(members);
  }
  return out;
}

const plain = (shards: readonly Uint8Array[]): number[][] => shards.map((s) => Array.from(s));

const CODES: readonly (readonly [number, number])[] = [
  [2, 2],
  [1, 1],
  [3, 2],
  [4, 2],
  [2, 1],
  [4, 4],
  [6, 3],
];
const LENGTHS = [0, 1, 1001];

describe('createErasureCodec', () => {
  it('describes the code it was asked for', () => {
    const codec = createErasureCodec(4, 2);
    expect([codec.k, codec.m, codec.n]).toEqual([4, 2, 6]);
  });

  it('returns the same cached codec for the same k and m', () => {
    expect(createErasureCodec(3, 2)).toBe(createErasureCodec(3, 2));
  });

  it('accepts the widest code the field allows', () => {
    expect(createErasureCodec(200, 55).n).toBe(255);
    expect(createErasureCodec(255, 0).n).toBe(255);
  });

  it('rejects bad k and m with a RangeError', () => {
    expect(() => createErasureCodec(0, 2)).toThrow(RangeError);
    expect(() => createErasureCodec(-1, 2)).toThrow(RangeError);
    expect(() => createErasureCodec(2, -1)).toThrow(RangeError);
    expect(() => createErasureCodec(1.5, 1)).toThrow(RangeError);
    expect(() => createErasureCodec(2, Number.NaN)).toThrow(RangeError);
    expect(() => createErasureCodec(200, 56)).toThrow(/at most 255/);
  });
});

describe('the k=2, m=2 code', () => {
  const codec = createErasureCodec(2, 2);
  const d0 = seededBytes(1001, 1);
  const d1 = seededBytes(1001, 2);
  const [p0, p1] = codec.encode([d0, d1]);

  it('makes the first parity shard the XOR of the data shards', () => {
    expect(Array.from(p0!)).toEqual(Array.from(d0, (b, i) => b ^ d1[i]!));
  });

  it('makes the second parity shard d0 + 0x46·d1, as worked out by hand from the Cauchy matrix', () => {
    // x = (2, 3), y = (0, 1): C = [[1/2, 1/3], [1/3, 1/2]]. Scaling the columns by 2 and 3 gives row 0 = (1, 1)
    // and row 1 = (2/3, 3/2); dividing row 1 by 2/3 gives (1, 9/4) = (1, 5/4) since 3·3 = 5 and 2·2 = 4.
    // 4 = x^2 and x^2·(x^6 + x^2 + x + 1) = x^8 + x^4 + x^3 + x^2 = 1, so 1/4 = 0x47, and 5·0x47 = 0x46.
    expect(slowMul(4, 0x47)).toBe(1);
    expect(slowMul(5, 0x47)).toBe(0x46);
    expect(Array.from(p1!)).toEqual(Array.from(d0, (b, i) => b ^ slowMul(0x46, d1[i]!)));
  });

  it('encodes a known small stripe to known bytes', () => {
    const [q0, q1] = codec.encode([Uint8Array.of(0x01, 0x00, 0xff), Uint8Array.of(0x01, 0x02, 0x01)]);
    expect(Array.from(q0!)).toEqual([0x00, 0x02, 0xfe]);
    // 0x46·2 = 0x8c; 0xff ^ 0x46 = 0xb9.
    expect(Array.from(q1!)).toEqual([0x47, 0x8c, 0xb9]);
  });
});

describe.each(KERNEL_KINDS)('with the %s kernels', (kind) => {
  beforeAll(() => {
    pinRegionKernelsForTests(kind);
  });

  afterAll(() => {
    pinRegionKernelsForTests('auto');
  });

  describe.each(CODES)('the k=%i, m=%i code', (k, m) => {
    const codec = createErasureCodec(k, m);
    const patterns = subsetsUpTo(k + m, m);

    it('makes the first parity shard the XOR of the data shards', () => {
      const data = randomShards(k, 257, k * 10 + m);
      const xor = new Uint8Array(257);
      for (const shard of data) for (let i = 0; i < 257; i++) xor[i] = xor[i]! ^ shard[i]!;
      expect(Array.from(codec.encode(data)[0]!)).toEqual(Array.from(xor));
    });

    it.each(LENGTHS)(`rebuilds the data and every shard under each of the ${patterns.length} erasure patterns of up to ${m} shards, for shards of %i bytes`, (length) => {
      const data = randomShards(k, length, k * 1000 + m * 10 + length);
      const parity = codec.encode(data);
      expect(parity).toHaveLength(m);
      const all = [...data, ...parity];
      for (const erased of patterns) {
        const shards = all.map((shard, i) => (erased.includes(i) ? null : shard));
        const label = `erased ${JSON.stringify(erased)}`;
        expect(plain(codec.reconstructData(shards)), label).toEqual(plain(data));
        expect(plain(codec.reconstructAll(shards)), label).toEqual(plain(all));
      }
    });

    it('rebuilds from Buffers that sit at odd byte offsets', () => {
      const length = 1001;
      const data = randomShards(k, length, k + m + 77);
      const parity = codec.encode(data);
      const backing = Buffer.alloc(1 + (k + m) * length);
      const shards = [...data, ...parity].map((shard, i) => {
        const view = backing.subarray(1 + i * length, 1 + (i + 1) * length);
        view.set(shard);
        return view;
      });
      expect(plain(codec.encode(shards.slice(0, k)))).toEqual(plain(parity));
      for (const erased of patterns) {
        const partial = shards.map((shard, i) => (erased.includes(i) ? null : shard));
        expect(plain(codec.reconstructAll(partial))).toEqual(plain([...data, ...parity]));
      }
    });
  });
});

describe('reconstruction', () => {
  const codec = createErasureCodec(4, 2);
  const data = randomShards(4, 333, 5);
  const parity = codec.encode(data);

  it('hands back the very same data shards when none is missing', () => {
    const out = codec.reconstructData([...data, null, null]);
    out.forEach((shard, i) => expect(shard).toBe(data[i]));
  });

  it('keeps the present shards and rebuilds only the missing ones in reconstructAll', () => {
    const out = codec.reconstructAll([data[0]!, null, data[2]!, data[3]!, parity[0]!, null]);
    expect(out[0]).toBe(data[0]);
    expect(out[4]).toBe(parity[0]);
    expect(Array.from(out[1]!)).toEqual(Array.from(data[1]!));
    expect(Array.from(out[5]!)).toEqual(Array.from(parity[1]!));
  });

  it('uses any k of more than k present shards', () => {
    const out = codec.reconstructData([null, data[1]!, data[2]!, data[3]!, parity[0]!, parity[1]!]);
    expect(plain(out)).toEqual(plain(data));
  });

  it('gives the same answer on repeated decodes of alternating erasure patterns', () => {
    for (let round = 0; round < 3; round++) {
      expect(plain(codec.reconstructData([null, null, data[2]!, data[3]!, parity[0]!, parity[1]!]))).toEqual(plain(data));
      expect(plain(codec.reconstructData([data[0]!, data[1]!, null, null, parity[0]!, parity[1]!]))).toEqual(plain(data));
    }
  });

  it('never mutates its inputs', () => {
    const shards = [null, data[1]!, null, data[3]!, parity[0]!, parity[1]!];
    const snapshot = shards.map((s) => (s === null ? null : Array.from(s)));
    const dataSnapshot = plain(data);
    codec.encode(data);
    codec.reconstructData(shards);
    codec.reconstructAll(shards);
    expect(shards.map((s) => (s === null ? null : Array.from(s)))).toEqual(snapshot);
    expect(plain(data)).toEqual(dataSnapshot);
  });

  it('works for a code without parity, which only round-trips complete data', () => {
    const bare = createErasureCodec(3, 0);
    const shards = randomShards(3, 10, 6);
    expect(bare.encode(shards)).toEqual([]);
    expect(bare.reconstructAll(shards)).toEqual(shards);
    expect(() => bare.reconstructData([shards[0]!, null, shards[2]!])).toThrow(RangeError);
  });
});

describe('input validation', () => {
  const codec = createErasureCodec(2, 2);
  const a = new Uint8Array(8);
  const b = new Uint8Array(8);

  it('rejects the wrong number of data shards in encode', () => {
    expect(() => codec.encode([a])).toThrow(/expects 2 data shards, got 1/);
    expect(() => codec.encode([a, b, a])).toThrow(RangeError);
  });

  it('rejects data shards of unequal length in encode', () => {
    expect(() => codec.encode([a, new Uint8Array(7)])).toThrow(RangeError);
  });

  it('rejects the wrong number of shards in reconstruction', () => {
    expect(() => codec.reconstructData([a, b, null])).toThrow(/expected 4 shards/);
    expect(() => codec.reconstructAll([a, b, null, null, null])).toThrow(RangeError);
  });

  it('rejects present shards of unequal length in reconstruction', () => {
    expect(() => codec.reconstructData([a, null, new Uint8Array(9), null])).toThrow(/bytes/);
    expect(() => codec.reconstructAll([a, b, new Uint8Array(9), null])).toThrow(RangeError);
  });

  it('rejects fewer than k present shards', () => {
    expect(() => codec.reconstructData([null, null, null, a])).toThrow(/at least 2 of 4 shards/);
    expect(() => codec.reconstructAll([null, null, null, null])).toThrow(RangeError);
  });

  it('rejects shards that are not byte arrays with a TypeError', () => {
    expect(() => codec.encode([a, 'nope' as unknown as Uint8Array])).toThrow(TypeError);
    expect(() => codec.reconstructData([a, [1, 2] as unknown as Uint8Array, null, null])).toThrow(TypeError);
  });
});

describe('encodeInto', () => {
  it('writes the same parity as encode over whatever the buffers held', () => {
    const codec = createErasureCodec(2, 2);
    const data = [seededBytes(1001, 1), seededBytes(1001, 2)];
    const parity = [new Uint8Array(1001).fill(0xaa), new Uint8Array(1001).fill(0x55)];
    codec.encodeInto(data, parity);
    expect(parity.map((p) => Array.from(p))).toEqual(codec.encode(data).map((p) => Array.from(p)));
  });

  it('refuses parity buffers of the wrong number or length', () => {
    const codec = createErasureCodec(2, 2);
    const data = [new Uint8Array(8), new Uint8Array(8)];
    expect(() => codec.encodeInto(data, [new Uint8Array(8)])).toThrow(RangeError);
    expect(() => codec.encodeInto(data, [new Uint8Array(8), new Uint8Array(7)])).toThrow(RangeError);
  });
});
