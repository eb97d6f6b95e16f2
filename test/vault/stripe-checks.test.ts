import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32OfXor } from '../../src-main/vault/crc32-algebra.js';
import { createErasureCodec } from '../../src-main/vault/erasure/reed-solomon.js';
import { chunkCheck, stripeChecks } from '../../src-main/vault/stripe-codec.js';

// zlib.crc32 answers 0 for an empty buffer with no memory behind it (randomBytes(0) makes one); the CRC of nothing is its seed.
const crcOf = (message: Buffer, seed: number): number => (message.length === 0 ? seed : crc32(message, seed));

function xorAll(messages: readonly Buffer[]): Buffer {
  const out = Buffer.alloc(messages[0]!.length);
  for (const message of messages) for (let i = 0; i < out.length; i++) out[i]! ^= message[i]!;
  return out;
}

describe('the CRC-32 of an XOR, from the CRCs of its parts', () => {
  // Lengths around zlib's internal block sizes, 0 and 1, and the vault's 2 + 2 chunk sizes.
  const lengths = [0, 1, 3, 7, 8, 15, 16, 31, 64, 255, 4096, 5003, 262_152, 524_296];
  const seeds = [0, 1, 251, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

  it.each(lengths)('equals crc32 of the XOR for %i-byte messages, any number of parts and any seeds', (length) => {
    for (let count = 1; count <= 4; count++) {
      const messages = Array.from({ length: count }, () => randomBytes(length));
      const partSeeds = messages.map((_, i) => seeds[(i * 3 + length) % seeds.length]!);
      const parts = messages.map((message, i) => ({ crc: crcOf(message, partSeeds[i]!), seed: partSeeds[i]! }));
      for (const seed of seeds) expect(crc32OfXor(parts, seed, length)).toBe(crcOf(xorAll(messages), seed));
    }
  });

  it('changes when any part does: a wrong input gives a wrong check, not the right one by accident', () => {
    const a = randomBytes(1000);
    const b = randomBytes(1000);
    const parts = [
      { crc: crc32(a, 5), seed: 5 },
      { crc: crc32(b, 6), seed: 6 },
    ];
    const right = crc32OfXor(parts, 7, 1000);
    expect(crc32OfXor([parts[0]!, { ...parts[1]!, crc: parts[1]!.crc ^ 1 }], 7, 1000)).not.toBe(right);
    expect(crc32OfXor(parts, 8, 1000)).not.toBe(right);
    expect(crc32OfXor(parts, 7, 999)).not.toBe(right);
  });

  it('refuses a length that is not a byte count', () => {
    expect(() => crc32OfXor([], 0, -1)).toThrow(RangeError);
    expect(() => crc32OfXor([], 0, 1.5)).toThrow(RangeError);
  });
});

describe('the checks of an encoded stripe', () => {
  it('of an empty slice leave the CRC as it was, whatever memory the slice has behind it', () => {
    const chunk = randomBytes(100);
    expect(chunkCheck([randomBytes(0), chunk, Buffer.alloc(0)], 9, 1)).toEqual(chunkCheck(chunk, 9, 1));
  });

  it.each([
    [1, 1],
    [2, 2],
    [3, 2],
    [4, 3],
  ])('are chunkCheck of every chunk for a %i + %i code (parity 0 derived, not read)', (k, m) => {
    const codec = createErasureCodec(k, m);
    for (const [stripe, length] of [
      [0, 8],
      [1, 4097],
      [123_456, 65_536],
      [2 ** 32 + 17, 333],
    ] as const) {
      const data = Array.from({ length: k }, () => randomBytes(length));
      const chunks = [...data, ...codec.encode(data).map((p) => Buffer.from(p))];
      expect(stripeChecks(chunks, stripe, k)).toEqual(chunks.map((chunk, piece) => chunkCheck(chunk, stripe, piece)));
    }
  });
});
