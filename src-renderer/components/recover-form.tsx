import { type FormEvent, useEffect, useId, useState } from 'react';
import type { ClusterTarget } from '../../src-main/shared/app-models.js';
import { EMPTY_RECOVER, type Problems, type RecoverForm, firstProblem } from '../store/account-forms.js';
import { targetDescription } from '../store/connect-form.js';
import { FormAlert, NewPasswordFields, SubmitButton, TextField } from './form-fields.js';
import { Icon } from './icons.js';
import { useVault } from './store-context.js';

const ORDER = ['username', 'recoveryKey', 'next', 'repeat'] as const;

/** Props of the recover card: the connect screen's cluster, and where to go after. */
export interface RecoverCardProps {
  target: ClusterTarget;
  /** Why the connect screen's cluster fields cannot be used yet (an empty dfc.conf path, say). */
  targetProblem: string | undefined;
  username: string;
  /** Back to signing in, without a reset. */
  onBack(): void;
  /** The password was reset for `username`. */
  onDone(username: string): void;
}

/** "Forgot password?": sets a new password from the recovery key, on the cluster the connect screen points at. */
export function RecoverCard({ target, targetProblem, username, onBack, onDone }: RecoverCardProps) {
  const recoverPassword = useVault((s) => s.recoverPassword);
  const busy = useVault((s) => s.accountWork === 'recover');
  const [form, setForm] = useState<RecoverForm>({ ...EMPTY_RECOVER, username });
  const [problems, setProblems] = useState<Problems<keyof RecoverForm>>({});
  const id = useId();
  const ids = { title: `${id}-title`, username: `${id}-user`, recoveryKey: `${id}-key`, next: `${id}-next`, repeat: `${id}-repeat` };

  useEffect(() => {
    document.getElementById(username.trim() === '' ? ids.username : ids.recoveryKey)?.focus();
    // Only when the card appears: the first field to fill in.
  }, []);

  const update = (field: keyof RecoverForm) => (value: string) => {
    setForm((f) => ({ ...f, [field]: value }));
    setProblems((p) => ({ ...p, [field]: undefined, form: undefined }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (targetProblem) {
      setProblems({ form: `Choose the cluster first (back on the sign-in form): ${targetProblem}` });
      return;
    }
    const found = await recoverPassword(target, form);
    const bad = firstProblem(found, ORDER);
    if (!bad && found.form === undefined) {
      onDone(form.username.trim());
      return;
    }
    setProblems(found);
    if (bad) document.getElementById(ids[bad])?.focus();
  };

  return (
    <form className="card connect-card" onSubmit={submit} noValidate aria-labelledby={ids.title}>
      <div className="connect-head">
        <Icon name="key" className="connect-logo" />
        <h1 id={ids.title}>Reset your password</h1>
        <p className="muted">Set a new password with the recovery key you saved. Every node must be up.</p>
      </div>
      <p className="recover-target">
        <span className="field-label">Cluster</span> <span>{target.kind === 'local' ? 'Local cluster (started if it is stopped)' : targetDescription(target)}</span>
      </p>
      <FormAlert text={problems.form} />
      <TextField
        id={ids.username}
        label="Username"
        value={form.username}
        onValue={update('username')}
        problem={problems.username}
        autoComplete="username"
        spellCheck={false}
        autoCapitalize="off"
      />
      <TextField
        id={ids.recoveryKey}
        label="Recovery key"
        className="input-mono"
        value={form.recoveryKey}
        onValue={update('recoveryKey')}
        problem={problems.recoveryKey}
        hint="11 groups of 5 letters and digits; capitals, dashes and spaces do not matter."
        placeholder="XXXXX-XXXXX-XXXXX-…"
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="characters"
      />
      <NewPasswordFields ids={ids} form={form} problems={problems} update={update} />
      <SubmitButton large busy={busy} label="Reset password" busyLabel="Resetting…" />
      <button type="button" className="button button-quiet" onClick={onBack} disabled={busy}>
        Back to sign in
      </button>
    </form>
  );
}
