import { SEAL_OVERHEAD_BYTES } from './crypto/stripe-seal.js';

/** Bytes of the CRC-32 that follows each piece chunk. */
export const CHUNK_CHECK_BYTES = 4;

/** Default plaintext bytes per stripe. */
export const DEFAULT_STRIPE_BYTES = 1024 * 1024;

/**
 * How a file of a given size is cut into stripes and each piece into chunks. Each stripe of plaintext
 * is sealed (growing by SEAL_OVERHEAD_BYTES) and the sealed stripe is what is cut into k chunks; an
 * empty file still has one, empty, sealed stripe, so its end is authenticated like any other.
 */
export interface StripeLayout {
  size: number;
  /** Plaintext bytes per full stripe. */
  stripeBytes: number;
  k: number;
  stripeCount: number;
  /** Chunk bytes of every full stripe (each of the k data chunks and each parity chunk). */
  fullChunkBytes: number;
  /** Bytes each piece holds in total, checks included. */
  pieceBytes: number;
}

/** Computes the layout of a `size`-byte file cut in `stripeBytes` stripes, each sealed, over k data chunks. */
export function stripeLayout(size: number, stripeBytes: number, k: number): StripeLayout {
  const stripeCount = Math.max(1, Math.ceil(size / stripeBytes));
  const fullChunkBytes = Math.ceil((stripeBytes + SEAL_OVERHEAD_BYTES) / k);
  const lastStripeBytes = size - (stripeCount - 1) * stripeBytes;
  const lastChunkBytes = Math.ceil((lastStripeBytes + SEAL_OVERHEAD_BYTES) / k);
  const pieceBytes = (stripeCount - 1) * (fullChunkBytes + CHUNK_CHECK_BYTES) + lastChunkBytes + CHUNK_CHECK_BYTES;
  return { size, stripeBytes, k, stripeCount, fullChunkBytes, pieceBytes };
}

/** The layout of an object without a body (a folder marker or a tombstone): no stripes at all. */
export function bodylessLayout(stripeBytes: number, k: number): StripeLayout {
  return { ...stripeLayout(0, stripeBytes, k), stripeCount: 0, pieceBytes: 0 };
}

/** Plaintext bytes in stripe `index`. */
export function stripeBytesAt(layout: StripeLayout, index: number): number {
  return Math.min(layout.stripeBytes, layout.size - index * layout.stripeBytes);
}

/** Sealed bytes of stripe `index` (its plaintext and the seal's tag). */
export function sealedBytesAt(layout: StripeLayout, index: number): number {
  return stripeBytesAt(layout, index) + SEAL_OVERHEAD_BYTES;
}

/** Chunk bytes (without the check) of stripe `index`. */
export function chunkBytesAt(layout: StripeLayout, index: number): number {
  return Math.ceil(sealedBytesAt(layout, index) / layout.k);
}

/** Offset inside a piece where stripe `index`'s chunk begins. */
export function pieceOffsetOf(layout: StripeLayout, index: number): number {
  return index * (layout.fullChunkBytes + CHUNK_CHECK_BYTES);
}

/** Which node (0-based) holds piece `piece` of an object, rotated by the key's hash like the classic `hash % 4` table. */
export function nodeForPiece(key: Uint8Array, piece: number, nodeCount: number): number {
  const rotation = (((key[0] ?? 0) << 24) | ((key[1] ?? 0) << 16) | ((key[2] ?? 0) << 8) | (key[3] ?? 0)) >>> 0;
  return (rotation + piece) % nodeCount;
}

/** The piece index node `node` holds for an object (inverse of nodeForPiece). */
export function pieceOnNode(key: Uint8Array, node: number, nodeCount: number): number {
  const first = nodeForPiece(key, 0, nodeCount);
  return (node - first + nodeCount) % nodeCount;
}
