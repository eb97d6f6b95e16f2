import { type MouseEvent, memo } from 'react';
import type { VaultEntry } from '../../src-main/shared/models.js';
import { formatBytes, formatModified } from '../format.js';
import { HealthBadge } from './health-badge.js';
import { Icon } from './icons.js';
import { useVault } from './store-context.js';

/** Props of one row of the file list. */
export interface FileRowProps {
  entry: VaultEntry;
  /** This row is the list's tab stop. */
  tabStop: boolean;
  onRowClick(entry: VaultEntry, event: MouseEvent): void;
  onToggle(entry: VaultEntry): void;
  onOpen(entry: VaultEntry): void;
  /** The row received DOM focus (Tab into the list): it becomes the keyboard cursor. */
  onFocusRow(entry: VaultEntry): void;
}

/** One file or folder: checkbox, name, size, modified, health. Subscribes only to its own selected/focused flags. */
export const FileRow = memo(function FileRow({ entry, tabStop, onRowClick, onToggle, onOpen, onFocusRow }: FileRowProps) {
  const selected = useVault((s) => s.selection.selected.includes(entry.path));
  const isFolder = entry.type === 'folder';
  const incomplete = entry.type === 'file' && entry.health === 'unavailable';
  return (
    <tr
      className={`file-row${selected ? ' is-selected' : ''}`}
      data-path={entry.path}
      data-type={entry.type}
      aria-selected={selected}
      tabIndex={tabStop ? 0 : -1}
      onMouseDown={(e) => {
        // Shift-click selects a range; keep the browser from selecting text across rows.
        if (e.shiftKey) e.preventDefault();
      }}
      onClick={(e) => onRowClick(entry, e)}
      onFocus={(e) => {
        if (e.target === e.currentTarget) onFocusRow(entry);
      }}
      onDoubleClick={() => onOpen(entry)}
    >
      <td className="col-check">
        <input
          type="checkbox"
          tabIndex={-1}
          checked={selected}
          aria-label={`Select ${entry.name}`}
          onClick={(e) => {
            // Keep the keyboard cursor on the row, not on the checkbox.
            e.stopPropagation();
            e.currentTarget.closest('tr')?.focus();
          }}
          onChange={() => onToggle(entry)}
        />
      </td>
      <td className="col-name" data-col="name">
        <span className="name-cell">
          <Icon name={isFolder ? 'folder' : 'file'} className={isFolder ? 'folder-icon' : 'file-icon'} />
          {isFolder ? (
            <button
              type="button"
              className="name-link"
              tabIndex={-1}
              title={entry.name}
              onClick={(e) => {
                if (e.ctrlKey || e.metaKey || e.shiftKey) return;
                e.stopPropagation();
                onOpen(entry);
              }}
            >
              {entry.name}
            </button>
          ) : (
            <span className="name-text" title={entry.name} data-incomplete={incomplete || undefined}>
              {entry.name}
            </span>
          )}
        </span>
      </td>
      <td className="col-size" data-col="size" title={isFolder ? undefined : `${entry.size} bytes`}>
        {isFolder ? '—' : formatBytes(entry.size)}
      </td>
      <td className="col-modified" data-col="modified" title={entry.modified || undefined}>
        {formatModified(entry.modified)}
      </td>
      <td className="col-health" data-col="health">
        {isFolder && entry.pieces.total === 0 ? null : <HealthBadge health={entry.health} pieces={entry.pieces} />}
      </td>
    </tr>
  );
});
