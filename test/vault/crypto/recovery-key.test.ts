import { describe, expect, it } from 'vitest';
import { RECOVERY_ALPHABET, RECOVERY_KEY_CHARS, formatRecoveryKey, parseRecoveryKey } from '../../../src-main/vault/crypto/recovery-key.js';

const key = Buffer.from('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'hex');
const typo = expect.objectContaining({ code: 'INVALID_REQUEST', message: expect.stringMatching(/check the recovery key for typos/) });

describe('recovery key', () => {
  it('prints as 11 groups of 5 Crockford base32 characters and reads back to the same master key', () => {
    const text = formatRecoveryKey(key);
    expect(text).toMatch(/^([0-9A-HJKMNP-TV-Z]{5}-){10}[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(parseRecoveryKey(text)).toEqual(key);
    for (const k of [Buffer.alloc(32), Buffer.alloc(32, 0xff)]) expect(parseRecoveryKey(formatRecoveryKey(k))).toEqual(k);
  });

  it('forgives case, spaces, missing dashes and the look-alikes I, L and O', () => {
    const text = formatRecoveryKey(key);
    expect(parseRecoveryKey(text.toLowerCase())).toEqual(key);
    expect(parseRecoveryKey(` ${text.replace(/-/g, ' ')} \n`)).toEqual(key);
    expect(parseRecoveryKey(text.replace(/-/g, ''))).toEqual(key);
    const lookalikes = text.replace(/1/g, (_, i: number) => (i % 2 ? 'I' : 'l')).replace(/0/g, 'O');
    expect(parseRecoveryKey(lookalikes)).toEqual(key);
  });

  it('detects every single mistyped character', () => {
    const chars = formatRecoveryKey(key).replace(/-/g, '');
    expect(chars).toHaveLength(RECOVERY_KEY_CHARS);
    let tried = 0;
    for (let i = 0; i < chars.length; i++) {
      for (const c of RECOVERY_ALPHABET) {
        if (c === chars[i]) continue;
        const wrong = chars.slice(0, i) + c + chars.slice(i + 1);
        expect(() => parseRecoveryKey(wrong), `${c} at ${i}`).toThrow(typo);
        tried++;
      }
    }
    expect(tried).toBe(55 * 31);
  });

  it('detects every swap of two neighbouring characters', () => {
    const chars = formatRecoveryKey(key).replace(/-/g, '');
    for (let i = 0; i + 1 < chars.length; i++) {
      if (chars[i] === chars[i + 1]) continue;
      const swapped = chars.slice(0, i) + chars[i + 1] + chars[i] + chars.slice(i + 2);
      expect(() => parseRecoveryKey(swapped), `swap at ${i}`).toThrow(typo);
    }
  });

  it('detects a missing or extra character and characters a key never has', () => {
    const text = formatRecoveryKey(key);
    expect(() => parseRecoveryKey(text.slice(0, -1))).toThrow(typo);
    expect(() => parseRecoveryKey(`${text}0`)).toThrow(typo);
    expect(() => parseRecoveryKey(`U${text.slice(1)}`)).toThrow(typo);
    expect(() => parseRecoveryKey(`${text.slice(0, -1)}!`)).toThrow(typo);
    expect(() => parseRecoveryKey('')).toThrow(typo);
  });

  it('refuses to format a key of the wrong size', () => {
    expect(() => formatRecoveryKey(Buffer.alloc(16))).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
  });
});
