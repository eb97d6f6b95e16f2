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
