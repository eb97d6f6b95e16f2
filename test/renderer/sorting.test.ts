import { describe, expect, it } from 'vitest';
import type { Health, VaultEntry } from '../../src-main/shared/models.js';
import { filterEntries, nextSort, sortEntries } from '../../src-renderer/store/sorting.js';

function file(name: string, size: number, modified: string, good = 4): VaultEntry {
  const health: Health = good === 4 ? 'healthy' : good === 3 ? 'degraded' : good === 2 ? 'at-risk' : 'unavailable';
  return { name, path: name, type: 'file', size, modified, pieces: { good, total: 4 }, health };
}
const folder = (name: string): VaultEntry => ({ name, path: name, type: 'folder', size: 0, modified: '', pieces: { good: 0, total: 0 }, health: 'healthy' });

const entries = [file('b10.txt', 30, '2026-01-03T00:00:00Z', 2), file('B2.txt', 10, '2026-01-01T00:00:00Z', 4), folder('zeta'), file('a.txt', 20, '2026-01-02T00:00:00Z', 3), folder('Alpha')];
const names = (list: VaultEntry[]) => list.map((e) => e.name);

describe('sorting and filtering', () => {
  it('sorts by name naturally and case-insensitively, folders first', () => {
    expect(names(sortEntries(entries, { column: 'name', direction: 'ascending' }))).toEqual(['Alpha', 'zeta', 'a.txt', 'B2.txt', 'b10.txt']);
  });

  it('keeps folders first when the order is reversed', () => {
    expect(names(sortEntries(entries, { column: 'name', direction: 'descending' }))).toEqual(['zeta', 'Alpha', 'b10.txt', 'B2.txt', 'a.txt']);
  });

  it('sorts by size, modification time and health', () => {
    expect(names(sortEntries(entries, { column: 'size', direction: 'ascending' })).slice(2)).toEqual(['B2.txt', 'a.txt', 'b10.txt']);
    expect(names(sortEntries(entries, { column: 'modified', direction: 'descending' })).slice(2)).toEqual(['b10.txt', 'a.txt', 'B2.txt']);
    expect(names(sortEntries(entries, { column: 'health', direction: 'ascending' })).slice(2)).toEqual(['b10.txt', 'a.txt', 'B2.txt']);
  });

  it('does not change the list it is given', () => {
    const copy = [...entries];
    sortEntries(entries, { column: 'size', direction: 'descending' });
    expect(entries).toEqual(copy);
  });

  it('filters by a piece of the name, ignoring case and accents', () => {
    expect(names(filterEntries(entries, 'B1'))).toEqual(['b10.txt']);
    expect(names(filterEntries([file('Résumé.pdf', 1, '')], 'resume'))).toEqual(['Résumé.pdf']);
    expect(filterEntries(entries, '  ')).toHaveLength(entries.length);
  });

  it('flips the direction when the same header is clicked again', () => {
    const byName = { column: 'name', direction: 'ascending' } as const;
    expect(nextSort(byName, 'name')).toEqual({ column: 'name', direction: 'descending' });
    expect(nextSort({ column: 'name', direction: 'descending' }, 'size')).toEqual({ column: 'size', direction: 'ascending' });
  });
});
