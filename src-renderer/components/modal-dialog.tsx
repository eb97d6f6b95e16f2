import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef } from 'react';
import { SubmitButton, type SubmitButtonProps } from './form-fields.js';
import { Icon } from './icons.js';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Props of a modal dialog. */
export interface ModalDialogProps {
  title: string;
  onClose(): void;
  children: ReactNode;
  /** The action buttons along the bottom. */
  footer: ReactNode;
  /** "alertdialog" for confirmations. */
  role?: 'dialog' | 'alertdialog';
  wide?: boolean;
}

/**
 * A native modal `<dialog>` (the page behind it is inert): focus moves in (to `[data-autofocus]` or the first
 * control), Tab cycles inside, Escape closes, and focus returns where it was.
 */
export function ModalDialog({ title, onClose, children, footer, role = 'dialog', wide = false }: ModalDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    let mounted = true;
    // Chrome may close a dialog itself after repeated Escapes; keep the store in step when it does.
    const closedByBrowser = () => {
      if (mounted) onCloseRef.current();
    };
    dialog.addEventListener('close', closedByBrowser);
    if (!dialog.open) dialog.showModal();
    const first = dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector<HTMLElement>(`.dialog-body ${FOCUSABLE}`) ?? dialog.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      mounted = false;
      dialog.removeEventListener('close', closedByBrowser);
      if (dialog.open) dialog.close();
      if (returnTo?.isConnected) returnTo.focus();
    };
  }, []);

  const trapTab = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      className={`dialog${wide ? ' dialog-wide' : ''}`}
      role={role}
      aria-labelledby={titleId}
      aria-modal="true"
      onKeyDown={trapTab}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      <div className="dialog-body">{children}</div>
      <footer className="dialog-footer">{footer}</footer>
    </dialog>
  );
}

/** A form dialog's footer: Cancel, then the button that submits the form `form`. */
export function FormDialogActions({ onCancel, cancelDisabled, ...submit }: SubmitButtonProps & { form: string; onCancel(): void; cancelDisabled?: boolean }) {
  return (
    <>
      <button type="button" className="button" onClick={onCancel} disabled={cancelDisabled}>
        Cancel
      </button>
      <SubmitButton {...submit} />
    </>
  );
}
