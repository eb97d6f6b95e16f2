import { describe, expect, it } from 'vitest';
import { affectsFolder, baseName, breadcrumbs, entryTowards, joinVaultPath, keepBothPaths, nameProblem, parentOf } from '../../src-renderer/store/vault-paths.js';

describe('vault paths in the UI', () => {
  it('joins a folder and a relative path without doubled or leading slashes', () => {
    expect(joinVaultPath('', 'a.txt')).toBe('a.txt');
    expect(joinVaultPath('trips', '2026/beach.jpg')).toBe('trips/2026/beach.jpg');
    expect(joinVaultPath('trips/', '/x')).toBe('trips/x');
  });

  it('splits parent and base name', () => {
    expect(parentOf('a/b/c.txt')).toBe('a/b');
    expect(parentOf('c.txt')).toBe('');
    expect(baseName('a/b/c.txt')).toBe('c.txt');
  });

  it('finds the entry that leads back to the folder that was left when going up', () => {
    expect(entryTowards('a/b/c', 'a')).toBe('a/b');
    expect(entryTowards('a/b/c', '')).toBe('a');
    expect(entryTowards('a', '')).toBe('a');
    expect(entryTowards('a/b', 'x')).toBeNull();
    expect(entryTowards('ab/c', 'a')).toBeNull();
    expect(entryTowards('', '')).toBeNull();
  });

  it('gives "keep both" uploads free numbered names, never the same one twice', () => {
    const taken = new Map([
      ['', new Set(['report.pdf', 'report (2).pdf', 'notes'])],
      ['docs', new Set(['a.txt'])],
    ]);
    // "report (3).pdf" is uploaded too: it does not get the name just given to "report.pdf".
    const renamed = keepBothPaths(['report.pdf', 'notes', 'docs/a.txt', 'docs/b.txt', 'new/a.txt', 'report (3).pdf'], taken);
    expect([...renamed]).toEqual([
      ['report.pdf', 'report (3).pdf'],
      ['notes', 'notes (2)'],
      ['docs/a.txt', 'docs/a (2).txt'],
      ['report (3).pdf', 'report (3) (2).pdf'],
    ]);
  });

  it('builds breadcrumbs from the top folder down', () => {
    expect(breadcrumbs('')).toEqual([{ name: 'Vault', path: '' }]);
    expect(breadcrumbs('a/b')).toEqual([
      { name: 'Vault', path: '' },
      { name: 'a', path: 'a' },
      { name: 'b', path: 'a/b' },
    ]);
  });

  it('refuses names that are not one path segment', () => {
    expect(nameProblem('photos')).toBeNull();
    expect(nameProblem('  ')).toBe('Enter a name.');
    expect(nameProblem('..')).toMatch(/cannot be used/);
    expect(nameProblem('a/b')).toMatch(/cannot contain/);
    expect(nameProblem('x'.repeat(256))).toMatch(/255 bytes/);
  });

  it('knows which changes can alter a folder listing', () => {
    expect(affectsFolder(['a/b.txt'], '')).toBe(true);
    expect(affectsFolder(['a/b.txt'], 'a')).toBe(true);
    expect(affectsFolder(['a/sub/deep.txt'], 'a')).toBe(true);
    expect(affectsFolder(['a'], 'a/sub')).toBe(true);
    expect(affectsFolder(['b/c.txt'], 'a')).toBe(false);
    expect(affectsFolder(['ab/c.txt'], 'a')).toBe(false);
  });
});
