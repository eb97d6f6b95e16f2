import type { OutcomeVerbs } from '../shared/contract.js';

/**
 * What the preload exposes as `window.dfsVault`: the contract's domain verbs (`files.list(request)`, each answered
 * with a `CallOutcome`), `on(event, listener)`, and the local path of a dropped file. The renderer turns the verbs
 * back into a VaultApi in its own world (`buildVaultApi(outcomeVerbsTransport(window.dfsVault))`), so a failed call
 * arrives there as a real VaultError with its `code` (an error thrown across contextBridge keeps only its message).
 */
export type PreloadApi = OutcomeVerbs & {
  /**
   * The dropped or picked file's path on disk, or '' when it has none (a file made in the page, say). A path given
   * here is also what lets `transfers.uploadPaths` read it: main refuses any source not reported this way.
   */
  pathForFile(file: File): string;
};
