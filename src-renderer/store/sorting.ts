import type { Health, VaultEntry } from '../../src-main/shared/models.js';

/** A column the file list sorts by. */
export type SortColumn = 'name' | 'size' | 'modified' | 'health';

/** Which column and which way. */
export interface SortOrder {
  column: SortColumn;
  direction: 'ascending' | 'descending';
}

/** Name ascending, the order a folder opens with. */
export const DEFAULT_SORT: SortOrder = { column: 'name', direction: 'ascending' };

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

const HEALTH_RANK: Record<Health, number> = { unavailable: 0, 'at-risk': 1, degraded: 2, healthy: 3 };

function compareBy(column: SortColumn, a: VaultEntry, b: VaultEntry): number {
  switch (column) {
    case 'name':
      return collator.compare(a.name, b.name);
    case 'size':
      return a.size - b.size;
    case 'modified':
      return (Date.parse(a.modified) || 0) - (Date.parse(b.modified) || 0);
    case 'health': {
      const ratio = (e: VaultEntry) => (e.pieces.total === 0 ? 1 : e.pieces.good / e.pieces.total);
      return HEALTH_RANK[a.health] - HEALTH_RANK[b.health] || ratio(a) - ratio(b);
    }
  }
}

/** A sorted copy: folders first, then by the column (ties by name, then path, so the order is stable). */
export function sortEntries(entries: readonly VaultEntry[], order: SortOrder): VaultEntry[] {
  const sign = order.direction === 'ascending' ? 1 : -1;
  return [...entries].sort((a, b) => {
    if (a.type !== b.type) return a.type === 'folder' ? -1 : 1;
    const primary = compareBy(order.column, a, b) * sign;
    return primary || collator.compare(a.name, b.name) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  });
}

/** Entries whose name contains `query` (case- and accent-insensitive); all of them for a blank query. */
export function filterEntries(entries: readonly VaultEntry[], query: string): VaultEntry[] {
  const needle = fold(query.trim());
  if (needle === '') return [...entries];
  return entries.filter((entry) => fold(entry.name).includes(needle));
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

/** The order after clicking a column header: the same column flips, a new one starts ascending. */
export function nextSort(current: SortOrder, column: SortColumn): SortOrder {
  if (current.column === column) return { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  return { column, direction: 'ascending' };
}

/** The rows the list shows: filtered, then sorted. */
export function visibleEntries(entries: readonly VaultEntry[], order: SortOrder, query: string): VaultEntry[] {
  return sortEntries(filterEntries(entries, query), order);
}
