import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nameKey, objectIdKey } from '../../../src-main/vault/crypto/key-hierarchy.js';
import { MAX_SEALED_PATH_BYTES, decryptPath, encryptPath, objectIdFor } from '../../../src-main/vault/crypto/path-cipher.js';

const master = Buffer.alloc(32, 5);
const names = nameKey(master);
const ids = objectIdKey(master);
const MARKER = 'MARKER-d41d8c';

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

  it('refuse paths the vault refuses', () => {
    expect(() => objectIdFor(ids, 'a/../b')).toThrow(expect.objectContaining({ code: 'INVALID_PATH' }));
  });
});

describe('path encryption', () => {
  it('round-trips paths, including non-ASCII names, the longest path and the root', () => {
    const longest = Array.from({ length: 4 }, () => 'x'.repeat(255)).join('/');
    for (const path of ['a', 'trips/2026/photo.jpg', 'Räksmörgås/日本語/😀.txt', longest, '']) {
      expect(decryptPath(names, encryptPath(names, path))).toBe(path);
    }
    expect(encryptPath(names, longest)).toHaveLength(MAX_SEALED_PATH_BYTES);
  });

  it('gives the same stored name for the same path, however it is written', () => {
    expect(encryptPath(names, 'trips/photo.jpg')).toEqual(encryptPath(names, '/trips//photo.jpg'));
    expect(decryptPath(names, encryptPath(names, '/trips//photo.jpg'))).toBe('trips/photo.jpg');
  });

  it('gives unrelated stored names for different paths, even ones that differ by one character', () => {
    const a = encryptPath(names, 'report-1.pdf');
    const b = encryptPath(names, 'report-2.pdf');
    expect(a).toHaveLength(b.length);
    let equalBytes = 0;
    for (let i = 13; i < a.length; i++) if (a[i] === b[i]) equalBytes++;
    expect(equalBytes).toBeLessThan(8);
    expect(encryptPath(nameKey(Buffer.alloc(32, 6)), 'report-1.pdf')).not.toEqual(a);
  });

  it('leaves no plaintext in the stored name', () => {
    const sealed = encryptPath(names, `${MARKER}/secret/${MARKER}.txt`);
    expect(sealed.includes(Buffer.from(MARKER))).toBe(false);
    expect(sealed.includes(Buffer.from('secret'))).toBe(false);
  });

  it('pads names to 32-byte buckets, so nodes learn only a rough length', () => {
    expect(encryptPath(names, 'a')).toHaveLength(encryptPath(names, 'a'.repeat(32)).length);
    expect(encryptPath(names, 'a'.repeat(33)).length).toBe(encryptPath(names, 'a').length + 32);
  });

  it('detects any altered byte', () => {
    const sealed = encryptPath(names, 'trips/photo.jpg');
    for (let i = 1; i < sealed.length; i++) {
      const altered = Buffer.from(sealed);
      altered[i]! ^= 0x20;
      expect(() => decryptPath(names, altered), `byte ${i}`).toThrow(expect.objectContaining({ code: 'PROTOCOL' }));
    }
  });

  it('refuses names cut short, extended, random, or from another vault', () => {
    const sealed = encryptPath(names, 'trips/photo.jpg');
    const refused = expect.objectContaining({ code: 'PROTOCOL' });
    expect(() => decryptPath(names, sealed.subarray(0, sealed.length - 1))).toThrow(refused);
    expect(() => decryptPath(names, sealed.subarray(0, sealed.length - 32))).toThrow(refused);
    expect(() => decryptPath(names, Buffer.concat([sealed, Buffer.alloc(32)]))).toThrow(refused);
    expect(() => decryptPath(names, Buffer.concat([Buffer.of(1), randomBytes(60)]))).toThrow(refused);
    expect(() => decryptPath(names, Buffer.concat([Buffer.of(1), randomBytes(2000)]))).toThrow(refused);
    expect(() => decryptPath(nameKey(Buffer.alloc(32, 6)), sealed)).toThrow(refused);
  });

  it('refuses an unknown format version as needing an update', () => {
    const sealed = encryptPath(names, 'a');
    sealed[0] = 2;
    expect(() => decryptPath(names, sealed)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
    expect(() => decryptPath(names, Buffer.alloc(0))).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
  });
});
