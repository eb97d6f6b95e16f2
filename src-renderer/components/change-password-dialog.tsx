import { type FormEvent, useId, useState } from 'react';
import { type ChangePasswordForm, EMPTY_CHANGE_PASSWORD, type Problems, firstProblem } from '../store/account-forms.js';
import { FormAlert, TextField } from './form-fields.js';
import { ModalDialog } from './modal-dialog.js';
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
      footer={
        <>
          <button type="button" className="button" onClick={close} disabled={busy}>
            Cancel
          </button>
          <button type="submit" form={ids.form} className="button button-primary" disabled={busy} aria-busy={busy || undefined}>
            {busy && <span className="spinner" aria-hidden="true" />}
            {busy ? 'Changing…' : 'Change password'}
          </button>
        </>
      }
    >
      <form id={ids.form} className="dialog-form" onSubmit={submit} noValidate>
        <p>Every node must be up. Your files stay as they are; only the key that unlocks them is sealed again with the new password.</p>
        <FormAlert text={problems.form} />
        <TextField
          id={ids.current}
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={form.current}
          onValue={update('current')}
          problem={problems.current}
          data-autofocus
        />
        <TextField id={ids.next} label="New password" type="password" autoComplete="new-password" value={form.next} onValue={update('next')} problem={problems.next} />
        <TextField
          id={ids.repeat}
          label="Repeat new password"
          type="password"
          autoComplete="new-password"
          value={form.repeat}
          onValue={update('repeat')}
          problem={problems.repeat}
        />
      </form>
    </ModalDialog>
  );
}
