import type { VaultEntry } from '../../src-main/shared/models.js';
import { ModalDialog } from './modal-dialog.js';
import { NameList } from './name-list.js';
import { useVault } from './store-context.js';

function question(entries: readonly VaultEntry[]): string {
  const [only] = entries;
  if (only && entries.length === 1) return only.type === 'folder' ? `Delete the folder “${only.name}”?` : `Delete “${only.name}”?`;
  return `Delete ${entries.length} items?`;
}

/** Asks before deleting; lists what goes (folders with everything in them). */
export function ConfirmDeleteDialog({ entries }: { entries: VaultEntry[] }) {
  const closeDialog = useVault((s) => s.closeDialog);
  const removeEntries = useVault((s) => s.removeEntries);
  const hasFolder = entries.some((e) => e.type === 'folder');
  const confirm = () => {
    closeDialog();
    void removeEntries(entries);
  };
  return (
    <ModalDialog
      role="alertdialog"
      title={question(entries)}
      onClose={closeDialog}
      footer={
        <>
          <button type="button" className="button" onClick={closeDialog}>
            Cancel
          </button>
          <button type="button" className="button button-danger" onClick={confirm} data-autofocus>
            Delete
          </button>
        </>
      }
    >
      <p>
        {hasFolder ? 'Folders are deleted with everything in them. ' : ''}This removes the {entries.length === 1 ? 'item' : 'items'} from every node and cannot be
        undone.
      </p>
      {entries.length > 1 && <NameList items={entries.map((e) => ({ path: e.path, name: e.name, folder: e.type === 'folder' }))} />}
    </ModalDialog>
  );
}
