import { type FormEvent, Fragment, useEffect, useId, useRef, useState } from 'react';
import type { RecoveryKey } from '../../src-main/shared/app-models.js';
import { copyText } from '../dom/clipboard.js';
import { type Problems, notRegisteredWarning, recoveryKeyGroups } from '../store/account-forms.js';
import { Callout, CurrentPasswordField, FormAlert } from './form-fields.js';
import { Icon } from './icons.js';
import { FormDialogActions, ModalDialog } from './modal-dialog.js';
import { useVault } from './store-context.js';

/** The sentence shown with every recovery key. */
export const RECOVERY_KEY_WARNING = 'Anyone with this key can open your vault. Keep it somewhere safe, away from this computer.';

type CopyState = 'idle' | 'copied' | 'failed';

/** The key in a selectable monospace block (line breaks only between groups) with a Copy button. */
function RecoveryKeyView({ shown }: { shown: RecoveryKey }) {
  const keyRef = useRef<HTMLElement>(null);
  const copyRef = useRef<HTMLButtonElement>(null);
  const [copy, setCopy] = useState<CopyState>('idle');
  const id = useId();
  const groups = recoveryKeyGroups(shown.recoveryKey);
  const warning = notRegisteredWarning(shown.notRegisteredOn);

  // The dialog's first step (and the control that had focus) is gone: start again at Copy.
  useEffect(() => copyRef.current?.focus(), []);

  const copyKey = async () => {
    setCopy((await copyText(shown.recoveryKey, keyRef.current)) ? 'copied' : 'failed');
  };

  return (
    <>
      <Callout kind="warning">{RECOVERY_KEY_WARNING}</Callout>
      <div className="recovery-key-box" role="group" aria-labelledby={`${id}-label`}>
        <span id={`${id}-label`} className="field-label">
          Your recovery key
        </span>
        <code ref={keyRef} className="recovery-key">
          {groups.map((group, i) => (
            <Fragment key={i}>
              {group}
              {i < groups.length - 1 && '-'}
              <wbr />
            </Fragment>
          ))}
        </code>
        <div className="recovery-key-actions">
          <button type="button" className="button button-small" ref={copyRef} onClick={() => void copyKey()}>
            <Icon name="copy" />
            Copy
          </button>
          <span role="status" className="field-hint">
            {copy === 'copied' ? 'Copied to the clipboard.' : copy === 'failed' ? 'Copying is not allowed here: the key is selected, press Ctrl+C (⌘C on a Mac).' : ''}
          </span>
        </div>
      </div>
      {warning && <Callout kind="warning">{warning}</Callout>}
      <p>Write it down or print it and keep it with your important papers. It resets the password if you forget it; it stays the same when the password changes.</p>
    </>
  );
}

/** Confirms the password, then shows the vault's recovery key (kept in this dialog only, never in the store). */
export function RecoveryKeyDialog() {
  const closeDialog = useVault((s) => s.closeDialog);
  const revealRecoveryKey = useVault((s) => s.revealRecoveryKey);
  const busy = useVault((s) => s.accountWork === 'recovery-key');
  const [password, setPassword] = useState('');
  const [problems, setProblems] = useState<Problems<'password'>>({});
  const [shown, setShown] = useState<RecoveryKey | null>(null);
  const id = useId();
  const ids = { form: `${id}-form`, password: `${id}-password` };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const outcome = await revealRecoveryKey(password);
    if (outcome.ok) {
      setPassword('');
      setShown(outcome.key);
      return;
    }
    setProblems(outcome.problems);
    if (outcome.problems.password) document.getElementById(ids.password)?.focus();
  };

  const footer = shown ? (
    <button type="button" className="button button-primary" onClick={closeDialog}>
      Done
    </button>
  ) : (
    <FormDialogActions form={ids.form} onCancel={closeDialog} busy={busy} label="Show recovery key" busyLabel="Checking…" />
  );

  return (
    <ModalDialog title="Recovery key" onClose={closeDialog} footer={footer} wide={shown !== null}>
      {shown ? (
        <RecoveryKeyView shown={shown} />
      ) : (
        <form id={ids.form} className="dialog-form" onSubmit={submit} noValidate>
          <p>The recovery key sets a new password if you forget yours. Enter your password to show it.</p>
          <FormAlert text={problems.form} />
          <CurrentPasswordField
            id={ids.password}
            label="Password"
            value={password}
            onValue={(value) => {
              setPassword(value);
              setProblems({});
            }}
            problem={problems.password}
          />
        </form>
      )}
    </ModalDialog>
  );
}
