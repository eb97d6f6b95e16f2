import type { VaultEntry } from '../../src-main/shared/models.js';
import { Icon } from './icons.js';
import { ModalDialog } from './modal-dialog.js';
import { useVault } from './store-context.js';

const SHOWN = 8;

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
      {entries.length > 1 && (
        <ul className="item-list">
          {entries.slice(0, SHOWN).map((e) => (
            <li key={e.path}>
              <Icon name={e.type === 'folder' ? 'folder' : 'file'} />
              <span className="item-name" title={e.name}>
                {e.name}
              </span>
            </li>
          ))}
        </ul>
      )}
      {/* Under the list, not in it: the list scrolls, and what it does not show must stay in sight. */}
      {entries.length > SHOWN && <p className="item-list-more">and {entries.length - SHOWN} more</p>}
    </ModalDialog>
  );
}
