import { type FormEvent, useId, useState } from 'react';
import { type ChangePasswordForm, EMPTY_CHANGE_PASSWORD, type Problems, firstProblem } from '../store/account-forms.js';
import { CurrentPasswordField, FormAlert, NewPasswordFields } from './form-fields.js';
import { FormDialogActions, ModalDialog } from './modal-dialog.js';
import { useVault } from './store-context.js';

const ORDER = ['current', 'next', 'repeat'] as const;

/** Asks for the current password and a new one twice; problems show next to their field, success as a notice. */
export function ChangePasswordDialog() {
  const closeDialog = useVault((s) => s.closeDialog);
  const changePassword = useVault((s) => s.changePassword);
  const busy = useVault((s) => s.accountWork === 'change-password');
  const [form, setForm] = useState<ChangePasswordForm>(EMPTY_CHANGE_PASSWORD);
  const [problems, setProblems] = useState<Problems<keyof ChangePasswordForm>>({});
  const id = useId();
  const ids = { form: `${id}-form`, current: `${id}-current`, next: `${id}-next`, repeat: `${id}-repeat` };

  // Closing while the nodes are being changed would hide how it ended.
  const close = () => {
    if (!busy) closeDialog();
  };

  const update = (field: keyof ChangePasswordForm) => (value: string) => {
    setForm((f) => ({ ...f, [field]: value }));
    setProblems((p) => ({ ...p, [field]: undefined, form: undefined }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const found = await changePassword(form);
    const bad = firstProblem(found, ORDER);
    if (!bad && found.form === undefined) {
      closeDialog();
      return;
    }
    setProblems(found);
    if (bad) document.getElementById(ids[bad])?.focus();
  };

  return (
    <ModalDialog
      title="Change password"
      onClose={close}
      footer={<FormDialogActions form={ids.form} onCancel={close} cancelDisabled={busy} busy={busy} label="Change password" busyLabel="Changing…" />}
    >
      <form id={ids.form} className="dialog-form" onSubmit={submit} noValidate>
        <p>Every node must be up. Your files stay as they are; only the key that unlocks them is sealed again with the new password.</p>
        <FormAlert text={problems.form} />
        <CurrentPasswordField id={ids.current} label="Current password" value={form.current} onValue={update('current')} problem={problems.current} />
        <NewPasswordFields ids={ids} form={form} problems={problems} update={update} />
      </form>
    </ModalDialog>
  );
}
