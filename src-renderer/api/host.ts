import { buildVaultApi, type VaultApi } from '../../src-main/shared/contract.js';
import { createElectronFileTransfers } from './electron-file-transfers.js';
import type { FileTransfers } from './file-transfers.js';
import { findPreload } from './preload-api.js';
import { createWebFileTransfers } from './web-file-transfers.js';
import { takeWebToken } from './web-token.js';
import type { HostConnection } from './host-connection.js';
import { createWebTransport } from './web-transport.js';

/** Everything the UI needs from the program it runs in. */
export interface Host {
  kind: 'electron' | 'web';
  api: VaultApi;
  files: FileTransfers;
  /** Hears when the page loses the host (its event stream broke) and when it is back (events may have been missed). */
  onConnection(listener: (state: HostConnection) => void): () => void;
}

/** The desktop bridge when `window.dfsVault` exists, else the browser host; `no-token` when the page lacks its token. */
export function connectHost(): Host | { kind: 'no-token' } {
  const preload = findPreload(window);
  if (preload) {
    const api = buildVaultApi(preload.transport);
    // The desktop window and its main process live and die together: the connection is never lost.
    return { kind: 'electron', api, files: createElectronFileTransfers(preload.files, api), onConnection: () => () => undefined };
  }
  const token = takeWebToken(window);
  if (!token) return { kind: 'no-token' };
  const connectionListeners = new Set<(state: HostConnection) => void>();
  const api = buildVaultApi(createWebTransport(token, (state) => connectionListeners.forEach((l) => l(state))));
  return {
    kind: 'web',
    api,
    files: createWebFileTransfers(token, api),
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
  };
}
