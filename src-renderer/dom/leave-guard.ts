import type { VaultStore } from '../store/store.js';
import { uploadsUnderWay } from '../store/transfers-transitions.js';

/**
 * Asks the browser to confirm a reload or a closed tab while uploads are under way (the page streams them: gone with
 * it, they would be cancelled without a word). Only for the browser host: in Electron the window's close is the app's.
 * Returns the function that stops guarding.
 */
export function guardLeaving(target: Pick<Window, 'addEventListener' | 'removeEventListener'>, store: VaultStore): () => void {
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (!uploadsUnderWay(store.getState().transfers)) return;
    event.preventDefault();
    // Older Chromium asks only when returnValue is set.
    event.returnValue = '';
  };
  target.addEventListener('beforeunload', onBeforeUnload);
  return () => target.removeEventListener('beforeunload', onBeforeUnload);
}
