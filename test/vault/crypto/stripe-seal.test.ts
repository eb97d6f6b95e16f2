import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentKey, fileKey } from '../../../src-main/vault/crypto/key-hierarchy.js';
import { SEAL_OVERHEAD_BYTES, type StripeBinding, openStripe, openStripeParts, sealStripe } from '../../../src-main/vault/crypto/stripe-seal.js';

const content = contentKey(Buffer.alloc(32, 3));
const fileA = { objectId: Buffer.alloc(32, 0xa), version: '0000019a2b3c4d5e6f708192' };
const fileB = { objectId: Buffer.alloc(32, 0xb), version: '0000019a2b3c4d5e6f708193' };
const keyA = fileKey(content, fileA.objectId, fileA.version);
const keyB = fileKey(content, fileB.objectId, fileB.version);
const MARKER = Buffer.from('MARKER-7f3a9c-PLAINTEXT');

/** A file of `count` stripes, each `MARKER` plus its index, sealed with its binding. */
function sealFile(key: Buffer, file: typeof fileA, count: number): { plain: Buffer[]; sealed: Buffer[] } {
  const plain = Array.from({ length: count }, (_, i) => Buffer.concat([MARKER, Buffer.from(` stripe ${i} `), randomBytes(100)]));
  const sealed = plain.map((p, index) => sealStripe(key, { ...file, index, last: index === count - 1 }, p));
  return { plain, sealed };
}

function at(file: typeof fileA, index: number, last: boolean): StripeBinding {
  return { ...file, index, last };
}

const rejected = expect.objectContaining({ code: 'PROTOCOL', message: expect.stringMatching(/integrity check/) });

describe('stripe sealing', () => {
  it('opens a stripe received in slices cut at every offset, tag split included, and seals into a given buffer', () => {
    const plain = randomBytes(50);
    const out = Buffer.alloc(200, 0xee);
    const sealed = sealStripe(keyA, at(fileA, 4, true), plain, out);
    expect(sealed.buffer).toBe(out.buffer);
    expect(sealed).toEqual(sealStripe(keyA, at(fileA, 4, true), plain));
    for (let a = 0; a <= sealed.length; a++) {
      for (const b of [a, Math.min(a + 7, sealed.length), sealed.length]) {
        const parts = [sealed.subarray(0, a), sealed.subarray(a, b), sealed.subarray(b)];
        expect(Buffer.concat(openStripeParts(keyA, at(fileA, 4, true), parts))).toEqual(plain);
      }
    }
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => openStripeParts(keyA, at(fileA, 4, true), [tampered.subarray(0, 20), tampered.subarray(20)])).toThrow(rejected);
    expect(() => openStripeParts(keyA, at(fileA, 4, false), [sealed])).toThrow(rejected);
    expect(Buffer.concat(openStripeParts(keyA, at(fileA, 0, true), [sealStripe(keyA, at(fileA, 0, true), Buffer.alloc(0))]))).toHaveLength(0);
  });

  it('seals in place, over a plaintext longer than one update, and refuses an output overlapping it at another offset', () => {
    const plain = randomBytes(100_000);
    const buffer = Buffer.concat([plain, Buffer.alloc(SEAL_OVERHEAD_BYTES + 3)]);
    const sealed = sealStripe(keyA, at(fileA, 1, false), buffer.subarray(0, plain.length), buffer);
    expect(sealed.buffer).toBe(buffer.buffer);
    expect(sealed).toEqual(sealStripe(keyA, at(fileA, 1, false), plain));
    expect(openStripe(keyA, at(fileA, 1, false), sealed)).toEqual(plain);
    const shifted = Buffer.concat([plain, Buffer.alloc(SEAL_OVERHEAD_BYTES + 1)]);
    expect(() => sealStripe(keyA, at(fileA, 1, false), shifted.subarray(0, plain.length), shifted.subarray(1))).toThrow(
      expect.objectContaining({ code: 'INTERNAL' }),
    );
  });

  it('opens every stripe of a file at the place it was sealed for', () => {
    const { plain, sealed } = sealFile(keyA, fileA, 3);
    sealed.forEach((s, i) => expect(openStripe(keyA, at(fileA, i, i === 2), s)).toEqual(plain[i]));
  });

  it('adds exactly SEAL_OVERHEAD_BYTES and leaves no plaintext in the sealed bytes', () => {
    const { plain, sealed } = sealFile(keyA, fileA, 2);
    expect(SEAL_OVERHEAD_BYTES).toBe(16);
    expect(sealed[0]).toHaveLength(plain[0]!.length + 16);
    for (const s of sealed) expect(s.includes(MARKER)).toBe(false);
  });

  it('round-trips full 1 MiB stripes and odd sizes, and rejects a flip deep inside them', () => {
    for (const size of [1024 * 1024, 64 * 1024, 64 * 1024 + 1, 3 * 65536 - 7]) {
      const plain = randomBytes(size);
      MARKER.copy(plain, size - MARKER.length - 1);
      const sealed = sealStripe(keyA, at(fileA, 4, false), plain);
      expect(sealed).toHaveLength(size + SEAL_OVERHEAD_BYTES);
      expect(sealed.includes(MARKER)).toBe(false);
      expect(openStripe(keyA, at(fileA, 4, false), sealed).equals(plain)).toBe(true);
      sealed[size - 2]! ^= 0x80;
      expect(() => openStripe(keyA, at(fileA, 4, false), sealed)).toThrow(rejected);
    }
  });

  it('seals an empty last stripe (an empty file still has one) and opens it', () => {
    const sealed = sealStripe(keyA, at(fileA, 0, true), Buffer.alloc(0));
    expect(sealed).toHaveLength(16);
    expect(openStripe(keyA, at(fileA, 0, true), sealed)).toHaveLength(0);
  });

  it('gives different ciphertexts for the same plaintext at different places', () => {
    const p = Buffer.alloc(64, 1);
    const places = [at(fileA, 0, false), at(fileA, 1, false), at(fileA, 0, true), at(fileA, 2 ** 40, false)];
    const outs = places.map((b) => sealStripe(keyA, b, p).toString('hex'));
    expect(new Set(outs).size).toBe(places.length);
    expect(openStripe(keyA, places[3]!, Buffer.from(outs[3]!, 'hex'))).toEqual(p);
  });

  it('rejects reordered stripes', () => {
    const { sealed } = sealFile(keyA, fileA, 3);
    expect(() => openStripe(keyA, at(fileA, 0, false), sealed[1]!)).toThrow(rejected);
    expect(() => openStripe(keyA, at(fileA, 1, false), sealed[0]!)).toThrow(rejected);
  });

  it('rejects a truncated file: without its last stripe, the new last one was sealed as not last', () => {
    const { sealed } = sealFile(keyA, fileA, 3);
    expect(() => openStripe(keyA, at(fileA, 1, true), sealed[1]!)).toThrow(rejected);
  });

  it('rejects an extended file: the old last stripe does not open as a middle one, nor a stripe past the end', () => {
    const { sealed } = sealFile(keyA, fileA, 3);
    expect(() => openStripe(keyA, at(fileA, 2, false), sealed[2]!)).toThrow(rejected);
    expect(() => openStripe(keyA, at(fileA, 3, true), sealed[2]!)).toThrow(rejected);
  });

  it('rejects a stripe swapped in from another file', () => {
    const b = sealFile(keyB, fileB, 3);
    expect(() => openStripe(keyA, at(fileA, 0, false), b.sealed[0]!)).toThrow(rejected);
    // Even under one key, the associated data binds the object id.
    const shared = sealStripe(keyA, at(fileB, 0, false), Buffer.from('x'));
    expect(() => openStripe(keyA, at(fileA, 0, false), shared)).toThrow(rejected);
  });

  it('rejects a stripe of another version of the same file', () => {
    const v2 = { ...fileA, version: '0000019a2b3c4d5e6f7081ff' };
    const old = sealFile(keyA, fileA, 1);
    expect(() => openStripe(fileKey(content, v2.objectId, v2.version), at(v2, 0, true), old.sealed[0]!)).toThrow(rejected);
    expect(() => openStripe(keyA, at(v2, 0, true), old.sealed[0]!)).toThrow(rejected);
  });

  it('rejects a stripe opened with the wrong key', () => {
    const { sealed } = sealFile(keyA, fileA, 1);
    expect(() => openStripe(randomBytes(32), at(fileA, 0, true), sealed[0]!)).toThrow(rejected);
  });

  it('rejects every single flipped bit, in the ciphertext and in the tag', () => {
    const sealed = sealStripe(keyA, at(fileA, 0, true), Buffer.alloc(48, 0x42));
    for (let bit = 0; bit < sealed.length * 8; bit++) {
      const altered = Buffer.from(sealed);
      altered[bit >> 3]! ^= 1 << (bit & 7);
      expect(() => openStripe(keyA, at(fileA, 0, true), altered), `bit ${bit}`).toThrow(rejected);
    }
  });

  it('rejects a stripe cut short or with bytes added', () => {
    const { sealed } = sealFile(keyA, fileA, 1);
    const s = sealed[0]!;
    expect(() => openStripe(keyA, at(fileA, 0, true), s.subarray(0, s.length - 1))).toThrow(rejected);
    expect(() => openStripe(keyA, at(fileA, 0, true), s.subarray(1))).toThrow(rejected);
    expect(() => openStripe(keyA, at(fileA, 0, true), Buffer.concat([s, Buffer.of(0)]))).toThrow(rejected);
    expect(() => openStripe(keyA, at(fileA, 0, true), s.subarray(0, 15))).toThrow(expect.objectContaining({ code: 'PROTOCOL' }));
  });

  it('works on slices of larger buffers without touching the bytes around them', () => {
    const big = Buffer.concat([Buffer.alloc(7, 0xee), MARKER, Buffer.alloc(9, 0xdd)]);
    const snapshot = Buffer.from(big);
    const sealed = sealStripe(keyA, at(fileA, 0, true), big.subarray(7, 7 + MARKER.length));
    const framed = Buffer.concat([Buffer.alloc(5), sealed, Buffer.alloc(5)]);
    expect(openStripe(keyA, at(fileA, 0, true), framed.subarray(5, 5 + sealed.length))).toEqual(MARKER);
    expect(big).toEqual(snapshot);
  });

  it('refuses bindings that are not a place in a file', () => {
    const p = Buffer.from('x');
    for (const bad of [at(fileA, -1, false), at(fileA, 1.5, false), at(fileA, 2 ** 53, false), { ...fileA, objectId: Buffer.alloc(0), index: 0, last: true }, { ...fileA, version: '', index: 0, last: true }]) {
      expect(() => sealStripe(keyA, bad, p)).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
    }
    expect(() => sealStripe(Buffer.alloc(16), at(fileA, 0, true), p)).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
  });
});
