import { describe, expect, it } from 'vitest';
import { objectIdFor } from '../../src-main/vault/crypto/path-cipher.js';
import { SEAL_OVERHEAD_BYTES } from '../../src-main/vault/crypto/stripe-seal.js';
import { CHUNK_CHECK_BYTES, bodylessLayout, chunkBytesAt, nodeForPiece, pieceOffsetOf, pieceOnNode, stripeLayout } from '../../src-main/vault/stripe-layout.js';

describe('stripe layout', () => {
  it('cuts a file into sealed stripes and each stripe into k chunks plus a check', () => {
    expect(SEAL_OVERHEAD_BYTES).toBe(16);
    const layout = stripeLayout(2_500_000, 1_000_000, 2);
    expect(layout.stripeCount).toBe(3);
    expect([0, 1, 2].map((i) => chunkBytesAt(layout, i))).toEqual([500_008, 500_008, 250_008]);
    expect(layout.pieceBytes).toBe(500_008 * 2 + 250_008 + 3 * CHUNK_CHECK_BYTES);
    expect(pieceOffsetOf(layout, 2)).toBe(2 * (500_008 + CHUNK_CHECK_BYTES));
  });

  it('gives an empty file one empty sealed stripe, a folder none, and pads odd stripes up', () => {
    expect(stripeLayout(0, 1024, 2)).toMatchObject({ stripeCount: 1, pieceBytes: 8 + CHUNK_CHECK_BYTES });
    expect(bodylessLayout(1024, 2)).toMatchObject({ stripeCount: 0, pieceBytes: 0 });
    expect(chunkBytesAt(stripeLayout(5, 1024, 2), 0)).toBe(11);
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
