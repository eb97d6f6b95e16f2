import { describe, expect, it } from 'vitest';
import { objectIdFor } from '../../src-main/vault/crypto/path-cipher.js';
import { CHUNK_CHECK_BYTES, chunkBytesAt, nodeForPiece, pieceOffsetOf, pieceOnNode, stripeLayout } from '../../src-main/vault/stripe-layout.js';

describe('stripe layout', () => {
  it('cuts a file into stripes and each stripe into k chunks plus a check', () => {
    const layout = stripeLayout(2_500_000, 1_000_000, 2);
    expect(layout.stripeCount).toBe(3);
    expect([0, 1, 2].map((i) => chunkBytesAt(layout, i))).toEqual([500_000, 500_000, 250_000]);
    expect(layout.pieceBytes).toBe(500_000 * 2 + 250_000 + 3 * CHUNK_CHECK_BYTES);
    expect(pieceOffsetOf(layout, 2)).toBe(2 * (500_000 + CHUNK_CHECK_BYTES));
  });

  it('has no stripes for an empty file and pads odd stripes up', () => {
    expect(stripeLayout(0, 1024, 2)).toMatchObject({ stripeCount: 0, pieceBytes: 0 });
    expect(chunkBytesAt(stripeLayout(5, 1024, 2), 0)).toBe(3);
  });

  it('rotates pieces over nodes by the key, one piece per node, and inverts', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 400; i++) {
      const key = objectIdFor(Buffer.alloc(32, 1), `file-${i}.txt`);
      const nodes = [0, 1, 2, 3].map((p) => nodeForPiece(key, p, 4));
      expect(new Set(nodes).size).toBe(4);
      nodes.forEach((node, piece) => expect(pieceOnNode(key, node, 4)).toBe(piece));
      counts[nodes[0]!]!++;
    }
    // Piece 0 lands on every node for some keys: load spreads.
    expect(counts.every((c) => c > 50)).toBe(true);
  });
});
