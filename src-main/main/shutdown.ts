import { settledWithin } from '../service/settled-within.js';
import { confirmationGate } from './confirmation-gate.js';

/** The parts of Electron's `app` the quit sequence uses. */
export interface QuittingApp {
  on(event: 'before-quit' | 'will-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
  exit(exitCode?: number): void;
}

/** What `closeBeforeQuit` gives back. */
export interface QuitControl {
  /** Quits without asking (a signal, the system shutting down, a window close already confirmed). */
  quitNow(): void;
}

/** How long a quit waits for the service before exiting anyway (a hung node must not keep the app open forever). */
export const DEFAULT_CLOSE_TIMEOUT_MS = 15_000;

/**
 * Holds the app's quit until `close` (the service: transfers cancelled, signed out, local nodes stopped) has finished
 * or timed out, then exits. A second quit request while closing just waits for the first. With `confirmQuit`, a quit
 * the user asked for (a menu's Quit, Cmd+Q) first asks it, and goes ahead only on yes; `quitNow` skips the question.
 * With `needsConfirming` too, only a quit for which it answers true is held to ask (as the close guard does:
 * nothing running, nothing to ask, and the quit goes straight on).
 */
export function closeBeforeQuit(
  app: QuittingApp,
  close: () => Promise<void>,
  options: { timeoutMs?: number; log?: (line: string) => void; confirmQuit?: () => Promise<boolean>; needsConfirming?: () => boolean } = {},
): QuitControl {
  const { timeoutMs = DEFAULT_CLOSE_TIMEOUT_MS, log = () => undefined, confirmQuit, needsConfirming = () => true } = options;
  let closing = false;
  const gate = confirmQuit && confirmationGate(confirmQuit, () => app.quit(), (error) => log(`Asking before quitting failed: ${(error as Error).message}`));
  const onBeforeQuit = (event: { preventDefault(): void }): void => {
    if (!closing && gate && needsConfirming() && gate.hold()) event.preventDefault();
    else onQuit(event);
  };
  const onQuit = (event: { preventDefault(): void }): void => {
    event.preventDefault();
    if (closing) return;
    closing = true;
    settledWithin(close(), timeoutMs)
      .then((inTime) => {
        if (!inTime) log(`Quitting without waiting longer: closing took more than ${timeoutMs / 1000} s.`);
      })
      .catch((error: unknown) => log(`Closing failed: ${(error as Error).message}`))
      .finally(() => app.exit(0));
  };
  app.on('before-quit', onBeforeQuit);
  // will-quit as well: a second net for quits whose before-quit this listener did not see.
  app.on('will-quit', onQuit);
  return {
    quitNow() {
      gate?.open();
      app.quit();
    },
  };
}
