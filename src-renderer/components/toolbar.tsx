import { useRef } from 'react';
import { pickedUploads } from '../dom/picked-files.js';
import { healthTargets } from '../store/folder-slice.js';
import { FilterBox } from './filter-box.js';
import { Icon, type IconName } from './icons.js';
import { useVault, useVaultStore } from './store-context.js';

function ToolButton({ icon, label, onClick, disabled, busy, danger, title }: { icon: IconName; label: string; onClick(): void; disabled?: boolean; busy?: boolean; danger?: boolean; title?: string }) {
  return (
    <button type="button" className={`tool-button${danger ? ' tool-danger' : ''}`} onClick={onClick} disabled={disabled || busy} aria-busy={busy || undefined} title={title ?? label}>
      {busy ? <span className="spinner" aria-hidden="true" /> : <Icon name={icon} />}
      <span>{label}</span>
    </button>
  );
}

/** Upload, New folder, Download, Delete, Check, Repair (on the selection; Check/Repair on every file when none is), and the filter. */
export function Toolbar() {
  const store = useVaultStore();
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const selectedCount = useVault((s) => s.selection.selected.length);
  const entryCount = useVault((s) => s.entries.length);
  const work = useVault((s) => s.folderWork);

  const selectedEntries = () => {
    const s = store.getState();
    return s.entries.filter((e) => s.selection.selected.includes(e.path));
  };
  const upload = (input: HTMLInputElement | null) => {
    if (!input) return;
    const items = pickedUploads(input.files, store.getState().folder);
    // Clear the input so choosing the same file again still fires a change.
    input.value = '';
    void store.getState().uploadItems(items);
  };
  const scope = selectedCount > 0 ? `the ${selectedCount} selected ${selectedCount === 1 ? 'item' : 'items'}` : 'everything in this folder';

  return (
    <div className="toolbar">
      <div className="tool-group">
        <button type="button" className="button button-primary" onClick={() => filesInput.current?.click()}>
          <Icon name="upload" />
          <span>Upload</span>
        </button>
        <ToolButton icon="folder-upload" label="Import folder" title="Upload a folder from this computer with everything in it" onClick={() => folderInput.current?.click()} />
        <ToolButton icon="folder-plus" label="New folder" onClick={() => store.getState().openDialog({ kind: 'new-folder' })} busy={work === 'mkdir'} />
        <input ref={filesInput} type="file" multiple hidden aria-label="Files to upload" data-upload="files" onChange={(e) => upload(e.currentTarget)} />
        <input
          ref={(el) => {
            folderInput.current = el;
            // React does not know webkitdirectory; set it on the element.
            if (el) el.webkitdirectory = true;
          }}
          type="file"
          multiple
          hidden
          aria-label="Folder to import"
          data-upload="folder"
          onChange={(e) => upload(e.currentTarget)}
        />
      </div>
      <span className="tool-separator" aria-hidden="true" />
      <div className="tool-group">
        <ToolButton icon="download" label="Download" disabled={selectedCount === 0} onClick={() => void store.getState().downloadEntries(selectedEntries())} />
        <ToolButton
          icon="trash"
          label="Delete"
          danger
          disabled={selectedCount === 0}
          busy={work === 'delete'}
          onClick={() => store.getState().openDialog({ kind: 'confirm-delete', entries: selectedEntries() })}
        />
      </div>
      <span className="tool-separator" aria-hidden="true" />
      <div className="tool-group">
        <ToolButton icon="check" label="Check" disabled={entryCount === 0} busy={work === 'check'} title={`Check the pieces of ${scope}`} onClick={() => void store.getState().checkPaths(healthTargets(store.getState()))} />
        <ToolButton icon="wrench" label="Repair" disabled={entryCount === 0} busy={work === 'repair'} title={`Rebuild missing pieces of ${scope}`} onClick={() => void store.getState().repairPaths(healthTargets(store.getState()))} />
      </div>
      <div className="toolbar-end">
        <FilterBox />
      </div>
    </div>
  );
}
