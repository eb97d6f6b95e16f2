import type { UploadItem } from '../api/file-transfers.js';
import { baseName, parentOf } from '../store/vault-paths.js';
import { ModalDialog } from './modal-dialog.js';
import { NameList } from './name-list.js';
import { useVault } from './store-context.js';

/** Asks before an upload replaces files already in the vault: replace them, keep both, or upload nothing. */
export function ConfirmReplaceDialog({ items, emptyFolders, replaced }: { items: UploadItem[]; emptyFolders: string[]; replaced: string[] }) {
  const closeDialog = useVault((s) => s.closeDialog);
  const uploadItems = useVault((s) => s.uploadItems);
  const [only] = replaced;
  const answer = (ifExists: 'replace' | 'keep-both') => {
    closeDialog();
    void uploadItems(items, emptyFolders, ifExists);
  };
  return (
    <ModalDialog
      role="alertdialog"
      title={only !== undefined && replaced.length === 1 ? `Replace “${baseName(only)}”?` : `Replace ${replaced.length} files?`}
      onClose={closeDialog}
      footer={
        <>
          <button type="button" className="button" onClick={closeDialog}>
            Cancel
          </button>
          <button type="button" className="button" onClick={() => answer('keep-both')} data-autofocus>
            Keep both
          </button>
          <button type="button" className="button button-danger" onClick={() => answer('replace')}>
            Replace
          </button>
        </>
      }
    >
      <p>
        {replaced.length === 1
          ? `A file with this name is already in ${only && parentOf(only) ? `“${parentOf(only)}”` : 'the vault'}.`
          : 'Files with these names are already in the vault.'}{' '}
        Replace {replaced.length === 1 ? 'it' : 'them'} with the {replaced.length === 1 ? 'upload' : 'uploads'}, or keep both (the upload gets a name like
        “report (2).pdf”).
      </p>
      {replaced.length > 1 && <NameList items={replaced.map((path) => ({ path, name: path, folder: false }))} />}
    </ModalDialog>
  );
}
