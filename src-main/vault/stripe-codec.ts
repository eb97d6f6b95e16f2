import { crc32 } from 'node:zlib';
import type { ErasureCodec } from './erasure/reed-solomon.js';
import { CHUNK_CHECK_BYTES, type StripeLayout, chunkBytesAt, stripeBytesAt } from './stripe-layout.js';

/**
 * The CRC-32 stored after a chunk, seeded with the stripe and piece index so that a chunk moved to
 * another place in the piece, or into another piece, fails its check too.
 */
export function chunkCheck(chunk: Uint8Array, stripe: number, piece: number): Buffer {
  const check = Buffer.allocUnsafe(CHUNK_CHECK_BYTES);
  check.writeUInt32BE(crc32(chunk, ((stripe * 251 + piece) >>> 0) % 0xffffffff), 0);
  return check;
}

/** Cuts one stripe of plaintext into k data chunks (zero-padded) and adds the m parity chunks. */
export function encodeStripe(stripe: Buffer, layout: StripeLayout, codec: ErasureCodec, index: number): Buffer[] {
  const chunkBytes = chunkBytesAt(layout, index);
  const padded = stripe.length === chunkBytes * layout.k ? stripe : Buffer.concat([stripe, Buffer.alloc(chunkBytes * layout.k - stripe.length)]);
  const data = Array.from({ length: layout.k }, (_, i) => padded.subarray(i * chunkBytes, (i + 1) * chunkBytes));
  const parity = codec.encode(data).map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength));
  return [...data, ...parity];
}

/** Turns k data chunks back into the stripe's plaintext, as buffers to write in order (no copy). */
export function stripePlaintext(data: readonly Uint8Array[], layout: StripeLayout, index: number): Buffer[] {
  let remaining = stripeBytesAt(layout, index);
  const parts: Buffer[] = [];
  for (const chunk of data) {
    if (remaining <= 0) break;
    const take = Math.min(remaining, chunk.length);
    parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, take));
    remaining -= take;
  }
  return parts;
}
