import { confirmationGate } from './confirmation-gate.js';

/** The parts of a BrowserWindow the close guard uses. */
export interface GuardedWindow {
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown;
  close(): void;
  isDestroyed(): boolean;
}

/** What the guard asks: how many transfers are unfinished, and whether the user wants to close anyway. */
export interface CloseGuardOptions {
  unfinishedTransfers: () => number;
  /** Shows the question; resolves true for "close anyway". */
  confirmClose: (unfinished: number) => Promise<boolean>;
}

/**
 * Asks before a window close that would cancel running transfers (where closing the window quits the app):
 * the close waits for the answer, and goes ahead only when the user says so or nothing is left running.
 * Quits that do not come from the window (a signal, the system shutting down) are not held here.
 */
export function guardCloseWhileTransferring(window: GuardedWindow, options: CloseGuardOptions): void {
  const gate = confirmationGate(
    () => options.confirmClose(options.unfinishedTransfers()),
    () => {
      if (!window.isDestroyed()) window.close();
    },
  );
  window.on('close', (event) => {
    if (options.unfinishedTransfers() > 0 && gate.hold()) event.preventDefault();
  });
}

/** The question's text, for `dialog.showMessageBox`. */
export function closeQuestion(unfinished: number): { message: string; detail: string; buttons: [string, string] } {
  const what = unfinished === 1 ? 'A transfer is' : `${unfinished} transfers are`;
  return {
    message: `${what} still running.`,
    detail: 'Quitting now cancels them: such an upload stores nothing, such a download saves nothing. Files already done stay, and uploads already committing are finished first.',
    buttons: ['Keep Running', 'Quit Anyway'],
  };
}
