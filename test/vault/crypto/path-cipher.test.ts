import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { objectIdKey } from '../../../src-main/vault/crypto/key-hierarchy.js';
import { objectIdFor } from '../../../src-main/vault/crypto/path-cipher.js';

const master = Buffer.alloc(32, 5);
const ids = objectIdKey(master);

describe('object ids', () => {
  it('are the HMAC-SHA256 of the normalized path, 32 bytes', () => {
    const expected = createHmac('sha256', ids).update('trips/2026/photo.jpg').digest();
    expect(objectIdFor(ids, 'trips/2026/photo.jpg')).toEqual(expected);
    expect(objectIdFor(ids, '/trips//2026/photo.jpg/')).toEqual(expected);
    expect(expected).toHaveLength(32);
  });

  it('differ between paths and between vaults', () => {
    expect(objectIdFor(ids, 'a.txt')).not.toEqual(objectIdFor(ids, 'b.txt'));
    expect(objectIdFor(objectIdKey(Buffer.alloc(32, 6)), 'a.txt')).not.toEqual(objectIdFor(ids, 'a.txt'));
  });

  it('are the same for composed and decomposed spellings of a name', () => {
    expect(objectIdFor(ids, 'Gru\u0308\u00dfe.txt')).toEqual(objectIdFor(ids, 'Gr\u00fc\u00dfe.txt'));
  });

  it('refuse paths the vault refuses', () => {
    expect(() => objectIdFor(ids, 'a/../b')).toThrow(expect.objectContaining({ code: 'INVALID_PATH' }));
  });
});
