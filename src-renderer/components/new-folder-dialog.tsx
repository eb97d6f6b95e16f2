import { type FormEvent, useId, useState } from 'react';
import { ModalDialog } from './modal-dialog.js';
import { useVault } from './store-context.js';

/** Asks for a folder name and makes it in the current folder; problems show next to the field. */
export function NewFolderDialog() {
  const closeDialog = useVault((s) => s.closeDialog);
  const makeFolder = useVault((s) => s.makeFolder);
  const busy = useVault((s) => s.folderWork === 'mkdir');
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const inputId = useId();
  const problemId = useId();
  const formId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const failure = await makeFolder(name);
    if (failure) setProblem(failure);
    else closeDialog();
  };

  return (
    <ModalDialog
      title="New folder"
      onClose={closeDialog}
      footer={
        <>
          <button type="button" className="button" onClick={closeDialog}>
            Cancel
          </button>
          <button type="submit" form={formId} className="button button-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create'}
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={inputId}>Folder name</label>
          <input
            id={inputId}
            className="input"
            value={name}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={problem !== null}
            aria-describedby={problem ? problemId : undefined}
            onChange={(e) => {
              setName(e.target.value);
              setProblem(null);
            }}
            data-autofocus
          />
          {problem && (
            <p id={problemId} className="field-problem">
              {problem}
            </p>
          )}
        </div>
      </form>
    </ModalDialog>
  );
}
