import type { InputHTMLAttributes } from 'react';
import { Icon } from './icons.js';

/** Props of a labelled text or password field. */
export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'> {
  id: string;
  label: string;
  value: string;
  onValue(value: string): void;
  /** What is wrong with the value, shown under the field and tied to it with aria-describedby. */
  problem?: string | undefined;
  hint?: string;
}

/** A labelled input with an optional hint and problem, both announced with the field. */
export function TextField({ id, label, value, onValue, problem, hint, className, ...input }: TextFieldProps) {
  const describedBy = [hint ? `${id}-hint` : '', problem ? `${id}-problem` : ''].filter((s) => s !== '').join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        {...input}
        id={id}
        className={`input${className ? ` ${className}` : ''}`}
        value={value}
        aria-invalid={problem !== undefined}
        aria-describedby={describedBy || undefined}
        onChange={(event) => onValue(event.target.value)}
      />
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {problem && (
        <p id={`${id}-problem`} className="field-problem">
          {problem}
        </p>
      )}
    </div>
  );
}

/** A message about a whole form (a node down, say), announced when it appears. */
export function FormAlert({ text }: { text: string | undefined }) {
  return (
    <div role="alert" className="form-alert-region">
      {text && (
        <p className="callout callout-error">
          <Icon name="alert" className="callout-icon" />
          <span>{text}</span>
        </p>
      )}
    </div>
  );
}

/** A boxed warning or note inside a form or dialog. */
export function Callout({ kind, children, id }: { kind: 'warning' | 'info'; children: string; id?: string }) {
  return (
    <p className={`callout callout-${kind}`} id={id}>
      <Icon name={kind === 'info' ? 'info' : 'alert'} className="callout-icon" />
      <span>{children}</span>
    </p>
  );
}

/** The signed-in user's password, asked again before an account change; it takes the dialog's first focus. */
export function CurrentPasswordField(props: Omit<TextFieldProps, 'type' | 'autoComplete'>) {
  return <TextField {...props} type="password" autoComplete="current-password" data-autofocus />;
}

const NEW_PASSWORD_LABELS = { next: 'New password', repeat: 'Repeat new password' } as const;

/** The "new password" and "repeat" pair of fields, keyed `next` and `repeat` in their form. */
export function NewPasswordFields({
  ids,
  form,
  problems,
  update,
}: {
  ids: { next: string; repeat: string };
  form: { next: string; repeat: string };
  problems: { next?: string | undefined; repeat?: string | undefined };
  update(field: 'next' | 'repeat'): (value: string) => void;
}) {
  return (['next', 'repeat'] as const).map((field) => (
    <TextField
      key={field}
      id={ids[field]}
      label={NEW_PASSWORD_LABELS[field]}
      type="password"
      autoComplete="new-password"
      value={form[field]}
      onValue={update(field)}
      problem={problems[field]}
    />
  ));
}

/** Props of a primary submit button that shows a spinner and another label while its work runs. */
export interface SubmitButtonProps {
  label: string;
  /** Shown instead of `label` while `busy`. */
  busyLabel: string;
  busy: boolean;
  /** The id of the form it submits, when the button sits outside it (a dialog footer). */
  form?: string;
  large?: boolean;
}

/** A primary submit button, disabled and marked aria-busy with a spinner while its work runs. */
export function SubmitButton({ label, busyLabel, busy, form, large = false }: SubmitButtonProps) {
  return (
    <button type="submit" form={form} className={`button button-primary${large ? ' button-large' : ''}`} disabled={busy} aria-busy={busy || undefined}>
      {busy && <span className="spinner" aria-hidden="true" />}
      {busy ? busyLabel : label}
    </button>
  );
}
