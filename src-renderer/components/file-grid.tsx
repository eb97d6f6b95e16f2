import { type KeyboardEvent, type MouseEvent, useCallback, useEffect, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { VaultEntry } from '../../src-main/shared/models.js';
import { gridKeyOutcome } from '../store/grid-keys.js';
import { focusOn, selectAll, selectOnly, selectRange, toggle, EMPTY_SELECTION } from '../store/selection.js';
import { type SortColumn, visibleEntries } from '../store/sorting.js';
import { parentOf } from '../store/vault-paths.js';
import { FileRow } from './file-row.js';
import { Icon } from './icons.js';
import { useVault, useVaultStore } from './store-context.js';

const COLUMNS: Array<{ column: SortColumn; label: string }> = [
  { column: 'name', label: 'Name' },
  { column: 'size', label: 'Size' },
  { column: 'modified', label: 'Modified' },
  { column: 'health', label: 'Health' },
];

function SortHeader({ column, label }: { column: SortColumn; label: string }) {
  const direction = useVault((s) => (s.sort.column === column ? s.sort.direction : null));
  const setSort = useVault((s) => s.setSort);
  return (
    <th scope="col" className={`col-${column}`} aria-sort={direction ?? 'none'}>
      <button type="button" className="sort-button" onClick={() => setSort(column)}>
        {label}
        <span className={`sort-arrow${direction ? ' is-active' : ''}`} aria-hidden="true">
          {direction === 'descending' ? '↓' : '↑'}
        </span>
      </button>
    </th>
  );
}

function SelectAllBox({ order }: { order: readonly string[] }) {
  const count = useVault((s) => s.selection.selected.length);
  const setSelection = useVault((s) => s.setSelection);
  const store = useVaultStore();
  const all = order.length > 0 && count === order.length;
  return (
    <input
      type="checkbox"
      aria-label="Select all"
      checked={all}
      disabled={order.length === 0}
      ref={(el) => {
        if (el) el.indeterminate = count > 0 && !all;
      }}
      onChange={() => setSelection(all ? EMPTY_SELECTION : selectAll(store.getState().selection, order))}
    />
  );
}

/**
 * The folder's contents as an ARIA grid: sortable headers, click / ctrl-click / shift-click / checkbox selection,
 * and the keyboard (arrows, space, ctrl+a, Enter, Delete, Backspace).
 */
export function FileGrid() {
  const store = useVaultStore();
  const entries = useVault(useShallow((s) => visibleEntries(s.entries, s.sort, s.filter)));
  const listing = useVault((s) => s.listing);
  const filter = useVault((s) => s.filter);
  const total = useVault((s) => s.entries.length);
  const focused = useVault((s) => s.selection.focused);
  const folder = useVault((s) => s.folder);
  const dialogOpen = useVault((s) => s.dialog !== null);
  const tableRef = useRef<HTMLTableElement>(null);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const order = useMemo(() => entries.map((e) => e.path), [entries]);
  const tabStop = focused !== null && order.includes(focused) ? focused : order[0];

  const open = useCallback(
    (entry: VaultEntry) => {
      const s = store.getState();
      if (entry.type === 'folder') void s.openFolder(entry.path);
      else void s.downloadEntries([entry]);
    },
    [store],
  );

  const onRowClick = useCallback(
    (entry: VaultEntry, event: MouseEvent) => {
      const s = store.getState();
      const primary = event.ctrlKey || event.metaKey;
      if (event.shiftKey) s.setSelection(selectRange(s.selection, order, entry.path, primary));
      else if (primary) s.setSelection(toggle(s.selection, entry.path));
      else s.setSelection(selectOnly(entry.path));
    },
    [store, order],
  );

  const onFocusRow = useCallback((entry: VaultEntry) => {
    const s = store.getState();
    const next = focusOn(s.selection, entry.path);
    if (next !== s.selection) s.setSelection(next);
  }, [store]);

  const onToggle = useCallback((entry: VaultEntry) => store.getState().setSelection(toggle(store.getState().selection, entry.path)), [store]);

  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    if (event.target instanceof HTMLInputElement && event.key !== ' ' && event.key !== 'Enter') return;
    const s = store.getState();
    const outcome = gridKeyOutcome({ key: event.key, primary: event.ctrlKey || event.metaKey, shift: event.shiftKey, alt: event.altKey }, s.selection, order);
    if (!outcome) return;
    event.preventDefault();
    if (outcome.selection) s.setSelection(outcome.selection);
    const selection = store.getState().selection;
    const selected = entries.filter((e) => selection.selected.includes(e.path));
    switch (outcome.command) {
      case 'open': {
        const entry = entries.find((e) => e.path === selection.focused);
        if (entry) open(entry);
        break;
      }
      case 'delete':
        if (selected.length > 0) s.openDialog({ kind: 'confirm-delete', entries: selected });
        break;
      case 'up':
        if (s.folder !== '') void s.openFolder(parentOf(s.folder));
        break;
    }
  };

  // Alt+Up and Backspace go to the parent folder from anywhere but a text field, so an empty folder (no row to
  // hold focus) can be left from the keyboard too. The list's own handler runs first and marks the event handled.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent): void => {
      if (event.defaultPrevented || !(event.target instanceof Element) || event.target.closest('input, textarea, select, [contenteditable], dialog')) return;
      if (!((event.altKey && event.key === 'ArrowUp') || (event.key === 'Backspace' && !event.altKey && !event.ctrlKey && !event.metaKey))) return;
      const s = store.getState();
      if (s.folder === '') return;
      event.preventDefault();
      void s.openFolder(parentOf(s.folder));
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [store]);

  // Keyboard moves change the focused row in the store; move DOM focus with it while the list has focus.
  useEffect(() => {
    const body = bodyRef.current;
    if (!body || focused === null || !body.contains(document.activeElement)) return;
    const row = body.querySelector<HTMLElement>(`tr[data-path="${CSS.escape(focused)}"]`);
    if (row && row !== document.activeElement) {
      row.focus();
      row.scrollIntoView({ block: 'nearest' });
    }
  }, [focused]);

  // Focus that fell to the page — its row deleted, a folder opened or left, a dialog closed on a button that is now
  // disabled — comes back to the list: to its cursor row, or to the list itself while it has no rows.
  useEffect(() => {
    if (dialogOpen || listing === 'loading') return;
    const active = document.activeElement;
    if (active && active !== document.body && active !== tableRef.current) return;
    const row = bodyRef.current?.querySelector<HTMLElement>('tr[tabindex="0"]');
    (row ?? tableRef.current)?.focus();
  }, [dialogOpen, listing, order, folder]);

  return (
    <div className="grid-wrap" aria-busy={listing === 'loading'}>
      <table ref={tableRef} tabIndex={-1} role="grid" aria-label="Files" aria-multiselectable="true" aria-rowcount={entries.length + 1} className="file-grid">
        <thead>
          <tr>
            <th scope="col" className="col-check">
              <SelectAllBox order={order} />
            </th>
            {COLUMNS.map((c) => (
              <SortHeader key={c.column} {...c} />
            ))}
          </tr>
        </thead>
        <tbody ref={bodyRef} onKeyDown={onKeyDown}>
          {entries.map((entry) => (
            <FileRow key={entry.path} entry={entry} tabStop={entry.path === tabStop} onRowClick={onRowClick} onToggle={onToggle} onOpen={open} onFocusRow={onFocusRow} />
          ))}
        </tbody>
      </table>
      {entries.length === 0 && listing !== 'loading' && (
        <div className="empty-state">
          <Icon name={total > 0 ? 'search' : 'upload'} className="empty-icon" />
          {total > 0 ? (
            <p>No names contain “{filter}”.</p>
          ) : listing === 'failed' ? (
            <p>This folder could not be listed.</p>
          ) : (
            <>
              <p className="empty-title">This folder is empty</p>
              <p className="muted">Drop files or folders anywhere in the window, or use Upload.</p>
            </>
          )}
        </div>
      )}
      {listing === 'loading' && <div className="loading-bar" aria-hidden="true" />}
    </div>
  );
}
