import { ChangePasswordDialog } from './change-password-dialog.js';
import { CheckResultsDialog } from './check-results-dialog.js';
import { ConfirmDeleteDialog } from './confirm-delete-dialog.js';
import { ConfirmReplaceDialog } from './confirm-replace-dialog.js';
import { NewFolderDialog } from './new-folder-dialog.js';
import { RecoveryKeyDialog } from './recovery-key-dialog.js';
import { RepairResultsDialog } from './repair-results-dialog.js';
import { useVault } from './store-context.js';

/** The open dialog, if any. */
export function Dialogs() {
  const dialog = useVault((s) => s.dialog);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'confirm-delete':
      return <ConfirmDeleteDialog entries={dialog.entries} />;
    case 'confirm-replace':
      return <ConfirmReplaceDialog items={dialog.items} emptyFolders={dialog.emptyFolders} replaced={dialog.replaced} />;
    case 'new-folder':
      return <NewFolderDialog />;
    case 'check-results':
      return <CheckResultsDialog results={dialog.results} />;
    case 'repair-results':
      return <RepairResultsDialog results={dialog.results} />;
    case 'change-password':
      return <ChangePasswordDialog />;
    case 'recovery-key':
      return <RecoveryKeyDialog />;
  }
}
