import { crc32 } from './crc32.js';
import { crc32OfXor } from './crc32-algebra.js';
import type { ErasureCodec } from './erasure/reed-solomon.js';
import { CHUNK_CHECK_BYTES, type StripeLayout, chunkBytesAt, sealedBytesAt } from './stripe-layout.js';

/**
 * The CRC-32 stored after a chunk, seeded with the stripe and piece index so that a chunk moved to
 * another place in the piece, or into another piece, fails its check too.
 */
export function chunkCheck(chunk: Uint8Array | readonly Uint8Array[], stripe: number, piece: number): Buffer {
  let crc = checkSeed(stripe, piece);
  // A chunk received in slices is checked slice by slice: crc32(b, crc32(a, s)) = crc32(a ‖ b, s).
  for (const part of chunk instanceof Uint8Array ? [chunk] : chunk) crc = crc32(part, crc);
  return checkBytes(crc);
}

/**
 * The checks of one encoded stripe's n chunks (k data, then parity), as chunkCheck would compute
 * them, reading a quarter fewer bytes for a 2 + 2 code: parity 0 is the XOR of the data chunks (see
 * parityRows), so its CRC follows from theirs.
 */
export function stripeChecks(chunks: readonly Uint8Array[], stripe: number, k: number): Buffer[] {
  const data = chunks.slice(0, k).map((chunk, piece) => {
    const seed = checkSeed(stripe, piece);
    return { seed, crc: crc32(chunk, seed) };
  });
  return chunks.map((chunk, piece) => {
    if (piece < k) return checkBytes(data[piece]!.crc);
    if (piece === k) return checkBytes(crc32OfXor(data, checkSeed(stripe, piece), chunk.length));
    return chunkCheck(chunk, stripe, piece);
  });
}

function checkSeed(stripe: number, piece: number): number {
  return ((stripe * 251 + piece) >>> 0) % 0xffffffff;
}

function checkBytes(crc: number): Buffer {
  const check = Buffer.allocUnsafe(CHUNK_CHECK_BYTES);
  check.writeUInt32BE(crc, 0);
  return check;
}

/** One chunk as one buffer: its slices joined (a copy only when there are several). */
export function joinChunk(parts: readonly Buffer[]): Buffer {
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/**
 * Cuts one sealed stripe into k data chunks (zero-padded; no copy when `stripe` is already k chunks long) and adds the m parity chunks, written
 * into `parityBuffers` when given (each at least a chunk long), else freshly allocated.
 */
export function encodeStripe(stripe: Buffer, layout: StripeLayout, codec: ErasureCodec, index: number, parityBuffers?: readonly Buffer[]): Buffer[] {
  const chunkBytes = chunkBytesAt(layout, index);
  const padded = stripe.length === chunkBytes * layout.k ? stripe : Buffer.concat([stripe, Buffer.alloc(chunkBytes * layout.k - stripe.length)]);
  const data = Array.from({ length: layout.k }, (_, i) => padded.subarray(i * chunkBytes, (i + 1) * chunkBytes));
  const parity = parityBuffers ? parityBuffers.map((p) => p.subarray(0, chunkBytes)) : Array.from({ length: codec.m }, () => Buffer.allocUnsafe(chunkBytes));
  codec.encodeInto(data, parity);
  return [...data, ...parity];
}

/** Turns k data chunks (each one buffer or a list of slices) back into the sealed stripe, as slices in order (no copy, padding dropped). */
export function sealedStripe(data: ReadonlyArray<Uint8Array | readonly Uint8Array[]>, layout: StripeLayout, index: number): Buffer[] {
  let remaining = sealedBytesAt(layout, index);
  const out: Buffer[] = [];
  for (const chunk of data) {
    for (const part of chunk instanceof Uint8Array ? [chunk] : chunk) {
      if (remaining <= 0) return out;
      const take = Math.min(remaining, part.length);
      out.push(Buffer.from(part.buffer, part.byteOffset, take));
      remaining -= take;
    }
  }
  return out;
}
