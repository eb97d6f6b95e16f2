import * as crypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { INVALID_LOGIN_TEXT } from '../../../src-main/shared/errors.js';

// Spy on scrypt to prove hostile parameters are refused before any key derivation starts.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, scrypt: vi.fn(actual.scrypt) };
});

const {
  DEFAULT_SCRYPT,
  WRAPPED_MASTER_KEY_BYTES,
  createMasterKey,
  decodeWrappedMasterKey,
  encodeWrappedMasterKey,
  matchesWrappedMasterKey,
  unwrapMasterKey,
  wrapMasterKey,
} = await import('../../../src-main/vault/crypto/master-key.js');

const N = 2 ** 10;
const scryptSpy = vi.mocked(crypto.scrypt);

beforeEach(() => {
  scryptSpy.mockClear();
});

describe('master key', () => {
  it('is 32 random bytes, different every time', () => {
    const a = createMasterKey();
    expect(a).toHaveLength(32);
    expect(createMasterKey()).not.toEqual(a);
  });

  it('uses scrypt N=2^17, r=8, p=1 unless told otherwise', () => {
    expect(DEFAULT_SCRYPT).toEqual({ N: 2 ** 17, r: 8, p: 1 });
  });

  it('unwraps with the password it was wrapped with, through the stored form', async () => {
    const key = createMasterKey();
    const stored = encodeWrappedMasterKey(await wrapMasterKey(key, 'correct horse', { N }));
    expect(stored).toHaveLength(WRAPPED_MASTER_KEY_BYTES);
    expect(await unwrapMasterKey(decodeWrappedMasterKey(stored), 'correct horse')).toEqual(key);
  });

  it('refuses a wrong password with the classic login message', async () => {
    const wrapped = await wrapMasterKey(createMasterKey(), 'correct horse', { N });
    await expect(unwrapMasterKey(wrapped, 'correct hors')).rejects.toMatchObject({ code: 'AUTH_FAILED', message: INVALID_LOGIN_TEXT });
    await expect(unwrapMasterKey(wrapped, '')).rejects.toMatchObject({ code: 'AUTH_FAILED' });
  });

  it('accepts the same password typed in another Unicode normalization', async () => {
    const key = createMasterKey();
    const wrapped = await wrapMasterKey(key, 'caf\u00e9', { N });
    expect(await unwrapMasterKey(wrapped, 'cafe\u0301')).toEqual(key);
  });

  it('salts every wrapping, so the same key and password never give the same record', async () => {
    const key = createMasterKey();
    const a = encodeWrappedMasterKey(await wrapMasterKey(key, 'pw', { N }));
    const b = encodeWrappedMasterKey(await wrapMasterKey(key, 'pw', { N }));
    expect(a).not.toEqual(b);
    expect(a.includes(key)).toBe(false);
  });

  it('fails to unwrap when any byte of the record is altered (salt, cost, nonce, sealed key, key check)', async () => {
    const stored = encodeWrappedMasterKey(await wrapMasterKey(createMasterKey(), 'pw', { N }));
    // Byte 5 holds log2 N: 10 → 11 is still a valid cost, so only the bound associated data catches it.
    for (const at of [5, 8, 23, 24, 35, 36, 60, 83, 84, 99]) {
      const altered = Buffer.from(stored);
      if (at === 5) altered[at] = 11;
      else altered[at]! ^= 0x01;
      await expect(unwrapMasterKey(decodeWrappedMasterKey(altered), 'pw'), `byte ${at}`).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    }
  });

  it('tells whether a master key (from a recovery key) belongs to a record, without the password', async () => {
    const key = createMasterKey();
    const wrapped = await wrapMasterKey(key, 'pw', { N });
    scryptSpy.mockClear();
    expect(matchesWrappedMasterKey(key, wrapped)).toBe(true);
    expect(matchesWrappedMasterKey(createMasterKey(), wrapped)).toBe(false);
    expect(scryptSpy).not.toHaveBeenCalled();
  });

  it('refuses an empty password and a master key of the wrong size when wrapping', async () => {
    await expect(wrapMasterKey(createMasterKey(), '', { N })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(wrapMasterKey(Buffer.alloc(31), 'pw', { N })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});

describe('stored master key record', () => {
  async function storedRecord(): Promise<Buffer> {
    return encodeWrappedMasterKey(await wrapMasterKey(createMasterKey(), 'pw', { N }));
  }

  it('refuses hostile scrypt costs before running scrypt', async () => {
    const stored = await storedRecord();
    scryptSpy.mockClear();
    const hostile: Array<[number, number]> = [
      [5, 21], // N = 2^21: over the 2^20 cap
      [5, 40],
      [5, 255],
      [5, 9], // N = 2^9: under the floor
      [6, 16], // r = 16
      [6, 0],
      [7, 2], // p = 2
      [7, 0],
    ];
    for (const [at, value] of hostile) {
      const altered = Buffer.from(stored);
      altered[at] = value;
      expect(() => decodeWrappedMasterKey(altered), `byte ${at} = ${value}`).toThrow(expect.objectContaining({ code: 'PROTOCOL' }));
    }
    const wrapped = decodeWrappedMasterKey(stored);
    await expect(unwrapMasterKey({ ...wrapped, kdf: { N: 2 ** 30, r: 8, p: 1 } }, 'pw')).rejects.toMatchObject({ code: 'PROTOCOL' });
    await expect(unwrapMasterKey({ ...wrapped, kdf: { N: 3 * 2 ** 12, r: 8, p: 1 } }, 'pw')).rejects.toMatchObject({ code: 'PROTOCOL' });
    await expect(unwrapMasterKey({ ...wrapped, kdf: { N: 2 ** 20, r: 1024, p: 1 } }, 'pw')).rejects.toMatchObject({ code: 'PROTOCOL' });
    await expect(wrapMasterKey(createMasterKey(), 'pw', { N: 2 ** 21 })).rejects.toMatchObject({ code: 'PROTOCOL' });
    expect(scryptSpy).not.toHaveBeenCalled();
  });

  it('refuses records of the wrong size, with a bad magic or with fields of the wrong size', async () => {
    const stored = await storedRecord();
    const wrapped = decodeWrappedMasterKey(stored);
    scryptSpy.mockClear();
    for (const bytes of [stored.subarray(0, 99), Buffer.concat([stored, Buffer.of(0)]), Buffer.alloc(0), Buffer.from('{"version":1}')]) {
      expect(() => decodeWrappedMasterKey(bytes)).toThrow(expect.objectContaining({ code: 'PROTOCOL' }));
    }
    const badMagic = Buffer.from(stored);
    badMagic[0] = 0x58;
    expect(() => decodeWrappedMasterKey(badMagic)).toThrow(expect.objectContaining({ code: 'PROTOCOL' }));
    await expect(unwrapMasterKey({ ...wrapped, salt: Buffer.alloc(8) }, 'pw')).rejects.toMatchObject({ code: 'PROTOCOL' });
    await expect(unwrapMasterKey({ ...wrapped, sealedKey: wrapped.sealedKey.subarray(0, 40) }, 'pw')).rejects.toMatchObject({ code: 'PROTOCOL' });
    expect(scryptSpy).not.toHaveBeenCalled();
  });

  it('refuses an unknown format version as needing an update', async () => {
    const altered = Buffer.from(await storedRecord());
    altered[4] = 2;
    expect(() => decodeWrappedMasterKey(altered)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
  });

  it('does not alias the buffer it was decoded from', async () => {
    const stored = await storedRecord();
    const wrapped = decodeWrappedMasterKey(stored);
    const before = Buffer.from(wrapped.sealedKey);
    stored.fill(0, 36);
    expect(wrapped.sealedKey).toEqual(before);
  });
});
