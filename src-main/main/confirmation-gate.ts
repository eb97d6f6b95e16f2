/** An action held until the user confirms it (closing the window, quitting). */
export interface ConfirmationGate {
  /** True when the action must wait: asks (once, however often the action is tried meanwhile) unless already confirmed. */
  hold(): boolean;
  /** Lets the action through from now on without asking (a signal, a question already answered elsewhere). */
  open(): void;
}

/**
 * Holds an action the user started until `confirm` says yes, then opens and runs `retry` to start the action again;
 * a no leaves it held, to be asked again the next time it is tried.
 */
export function confirmationGate(confirm: () => Promise<boolean>, retry: () => void, onError: (error: unknown) => void = () => undefined): ConfirmationGate {
  let confirmed = false;
  let asking = false;
  return {
    hold() {
      if (confirmed) return false;
      if (!asking) {
        asking = true;
        confirm().then(
          (yes) => {
            asking = false;
            if (!yes) return;
            confirmed = true;
            retry();
          },
          (error: unknown) => {
            asking = false;
            onError(error);
          },
        );
      }
      return true;
    },
    open() {
      confirmed = true;
    },
  };
}
