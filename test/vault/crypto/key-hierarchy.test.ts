import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentKey, deriveVaultKeys, fileKey, keyCheckValue, objectIdKey, recoveryLoginSecret } from '../../../src-main/vault/crypto/key-hierarchy.js';

const master = Buffer.alloc(32, 7);

// RFC 5869 written out with HMAC, to check the module independently of node's hkdf.
function hkdfSha256(ikm: Buffer, info: Buffer | string, length: number): Buffer {
  const prk = createHmac('sha256', Buffer.alloc(32)).update(ikm).digest();
  let block = Buffer.alloc(0);
  const out: Buffer[] = [];
  for (let i = 1; Buffer.concat(out).length < length; i++) {
    block = createHmac('sha256', prk).update(Buffer.concat([block, Buffer.from(info), Buffer.of(i)])).digest();
    out.push(block);
  }
  return Buffer.concat(out).subarray(0, length);
}

describe('key hierarchy', () => {
  it('derives the subkeys by HKDF-SHA256 with fixed labels (so stored data stays readable across releases)', () => {
    expect(contentKey(master)).toEqual(hkdfSha256(master, 'dfs-vault v1 content key', 32));
    expect(recoveryLoginSecret(master)).toBe(hkdfSha256(master, 'dfs-vault v1 recovery login', 32).toString('base64url'));
    expect(objectIdKey(master)).toEqual(hkdfSha256(master, 'dfs-vault v1 object id key', 32));
    expect(keyCheckValue(master)).toEqual(hkdfSha256(master, 'dfs-vault v1 key check', 16));
  });

  it('gives distinct 32-byte keys, none equal to the master key, the same every time', () => {
    const keys = deriveVaultKeys(master);
    const all = [master, keys.contentKey, keys.objectIdKey, Buffer.from(recoveryLoginSecret(master), 'base64url')].map((k) => k.toString('hex'));
    expect(new Set(all).size).toBe(4);
    expect(keys.contentKey).toHaveLength(32);
    expect(deriveVaultKeys(master)).toEqual(keys);
    expect(deriveVaultKeys(Buffer.alloc(32, 8)).contentKey).not.toEqual(keys.contentKey);
  });

  it('gives each file version its own key', () => {
    const content = contentKey(master);
    const id = Buffer.alloc(32, 1);
    const base = fileKey(content, id, '0001');
    expect(base).toHaveLength(32);
    expect(fileKey(content, id, '0001')).toEqual(base);
    expect(fileKey(content, id, '0002')).not.toEqual(base);
    expect(fileKey(content, Buffer.alloc(32, 2), '0001')).not.toEqual(base);
    expect(fileKey(contentKey(Buffer.alloc(32, 9)), id, '0001')).not.toEqual(base);
  });

  it('keeps (object id, version) pairs unambiguous when their bytes run together', () => {
    const content = contentKey(master);
    expect(fileKey(content, Buffer.from('ab'), 'c')).not.toEqual(fileKey(content, Buffer.from('a'), 'bc'));
  });

  it('refuses keys of the wrong size and empty or oversized ids and versions', () => {
    expect(() => contentKey(Buffer.alloc(16))).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
    const content = contentKey(master);
    expect(() => fileKey(content, Buffer.alloc(0), '1')).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
    expect(() => fileKey(content, Buffer.alloc(32), '')).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
    expect(() => fileKey(content, Buffer.alloc(32), 'v'.repeat(256))).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
  });
});
