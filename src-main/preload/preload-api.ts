import type { ApiTransport } from '../shared/contract.js';

/**
 * What the preload exposes as `window.dfsVault`: the contract's transport (calls by contract name, answered with a
 * `CallOutcome`; events by contract name) plus the local path of a dropped file. The renderer builds its `VaultApi`
 * on it with `buildVaultApi(window.dfsVault)`, in its own world, so a failed call arrives there as a real VaultError
 * with its `code` (an error thrown across contextBridge keeps only its message).
 */
export type PreloadApi = ApiTransport & {
  /**
   * The dropped or picked file's path on disk, or '' when it has none (a file made in the page, say). A path given
   * here is also what lets `transfers.uploadPaths` read it: main refuses any source not reported this way.
   */
  pathForFile(file: File): string;
};
