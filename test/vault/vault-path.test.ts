import { describe, expect, it } from 'vitest';
import { baseName, normalizeVaultPath, parentOf } from '../../src-main/vault/vault-path.js';

describe('vault paths', () => {
  it('normalizes slashes and backslashes', () => {
    expect(normalizeVaultPath('/trips//2026/photo.jpg/')).toBe('trips/2026/photo.jpg');
    expect(normalizeVaultPath('trips\\2026\\photo.jpg')).toBe('trips/2026/photo.jpg');
    expect(normalizeVaultPath('/', { allowRoot: true })).toBe('');
  });

  it('rejects names that could escape a folder or break listings', () => {
    for (const bad of ['..', 'a/../b', './a', 'a\0b', 'tab\there', '', `${'x'.repeat(256)}`]) {
      expect(() => normalizeVaultPath(bad)).toThrow(expect.objectContaining({ code: 'INVALID_PATH' }));
    }
  });

  it('writes every name in Unicode NFC, so composed and decomposed spellings are one name', () => {
    const decomposed = 'Gru\u0308\u00dfe/cafe\u0301.txt';
    expect(normalizeVaultPath(decomposed)).toBe('Gr\u00fc\u00dfe/caf\u00e9.txt');
    expect(normalizeVaultPath(decomposed)).toBe(normalizeVaultPath('Grüße/café.txt'));
  });

  it('splits parent and base name', () => {
    expect(parentOf('a/b/c.txt')).toBe('a/b');
    expect(parentOf('c.txt')).toBe('');
    expect(baseName('a/b/c.txt')).toBe('c.txt');
  });
});
