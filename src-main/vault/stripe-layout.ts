/** Bytes of the CRC-32 that follows each piece chunk. */
export const CHUNK_CHECK_BYTES = 4;

/** Default plaintext bytes per stripe. */
export const DEFAULT_STRIPE_BYTES = 1024 * 1024;

/** How a file of a given size is cut into stripes and each piece into chunks. */
export interface StripeLayout {
  size: number;
  stripeBytes: number;
  k: number;
  stripeCount: number;
  /** Chunk bytes of every full stripe (each of the k data chunks and each parity chunk). */
  fullChunkBytes: number;
  /** Bytes each piece holds in total, checks included. */
  pieceBytes: number;
}

/** Computes the layout of a `size`-byte file cut in `stripeBytes` stripes over k data chunks. */
export function stripeLayout(size: number, stripeBytes: number, k: number): StripeLayout {
  const stripeCount = Math.ceil(size / stripeBytes);
  const fullChunkBytes = Math.ceil(stripeBytes / k);
  const lastStripeBytes = stripeCount === 0 ? 0 : size - (stripeCount - 1) * stripeBytes;
  const lastChunkBytes = Math.ceil(lastStripeBytes / k);
  const pieceBytes = stripeCount === 0 ? 0 : (stripeCount - 1) * (fullChunkBytes + CHUNK_CHECK_BYTES) + lastChunkBytes + CHUNK_CHECK_BYTES;
  return { size, stripeBytes, k, stripeCount, fullChunkBytes, pieceBytes };
}

/** Plaintext bytes in stripe `index`. */
export function stripeBytesAt(layout: StripeLayout, index: number): number {
  return Math.min(layout.stripeBytes, layout.size - index * layout.stripeBytes);
}

/** Chunk bytes (without the check) of stripe `index`. */
export function chunkBytesAt(layout: StripeLayout, index: number): number {
  return Math.ceil(stripeBytesAt(layout, index) / layout.k);
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
