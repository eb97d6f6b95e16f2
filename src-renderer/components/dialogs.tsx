import { ChangePasswordDialog } from './change-password-dialog.js';
import { CheckResultsDialog } from './check-results-dialog.js';
import { ConfirmDeleteDialog } from './confirm-delete-dialog.js';
import { ConfirmReplaceDialog } from './confirm-replace-dialog.js';
import { ConfirmSignOutDialog } from './confirm-sign-out-dialog.js';
import { NewFolderDialog } from './new-folder-dialog.js';
import { RecoveryKeyDialog } from './recovery-key-dialog.js';
import { RepairResultsDialog } from './repair-results-dialog.js';
import type { Dialog } from '../store/dialog-slice.js';
import { useVault } from './store-context.js';

const dialogKeys = new WeakMap<Dialog, number>();
let lastDialogKey = 0;

/** A key per dialog shown, so the next one waiting (of the same kind, say) starts afresh rather than inherit state. */
function keyOf(dialog: Dialog): number {
  let key = dialogKeys.get(dialog);
  if (key === undefined) dialogKeys.set(dialog, (key = ++lastDialogKey));
  return key;
}

/** The open dialog, if any. */
export function Dialogs() {
  const dialog = useVault((s) => s.dialog);
  if (!dialog) return null;
  return <OpenDialog key={keyOf(dialog)} dialog={dialog} />;
}

function OpenDialog({ dialog }: { dialog: Dialog }) {
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
    case 'confirm-sign-out':
      return <ConfirmSignOutDialog forget={dialog.forget} transfers={dialog.transfers} />;
  }
}
