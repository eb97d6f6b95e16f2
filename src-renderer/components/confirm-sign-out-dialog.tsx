import { ModalDialog } from './modal-dialog.js';
import { useVault } from './store-context.js';

/** Asks before a sign-out cancels the uploads and downloads under way. */
export function ConfirmSignOutDialog({ forget, transfers }: { forget: boolean; transfers: number }) {
  const closeDialog = useVault((s) => s.closeDialog);
  const signOut = useVault((s) => s.signOut);
  const confirm = () => {
    closeDialog();
    void signOut(forget);
  };
  const some = transfers === 1 ? 'a transfer' : `${transfers} transfers`;
  return (
    <ModalDialog
      role="alertdialog"
      title={`Sign out and cancel ${some}?`}
      onClose={closeDialog}
      footer={
        <>
          <button type="button" className="button" onClick={closeDialog} data-autofocus>
            Keep working
          </button>
          <button type="button" className="button button-danger" onClick={confirm}>
            {forget ? 'Sign out and forget' : 'Sign out'}
          </button>
        </>
      }
    >
      <p>
        {transfers === 1 ? 'A transfer is' : `${transfers} transfers are`} still under way. Signing out cancels {transfers === 1 ? 'it' : 'them'}: a cancelled upload
        stores nothing, and the file in the vault stays as it was.
      </p>
    </ModalDialog>
  );
}
