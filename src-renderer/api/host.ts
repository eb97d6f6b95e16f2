import { buildVaultApi, type VaultApi } from '../../src-main/shared/contract.js';
import { createElectronFileTransfers } from './electron-file-transfers.js';
import type { FileTransfers } from './file-transfers.js';
import { findPreload } from './preload-api.js';
import { createWebFileTransfers } from './web-file-transfers.js';
import { takeWebToken } from './web-token.js';
import { createWebTransport } from './web-transport.js';

/** Everything the UI needs from the program it runs in. */
export interface Host {
  kind: 'electron' | 'web';
  api: VaultApi;
  files: FileTransfers;
  /** Called when the event stream came back after a drop (events may have been missed). */
  onReconnect(listener: () => void): () => void;
}

/** The desktop bridge when `window.dfsVault` exists, else the browser host; `no-token` when the page lacks its token. */
export function connectHost(): Host | { kind: 'no-token' } {
  const preload = findPreload(window);
  if (preload) {
    const api = buildVaultApi(preload.transport);
    return { kind: 'electron', api, files: createElectronFileTransfers(preload.files, api), onReconnect: () => () => undefined };
  }
  const token = takeWebToken(window);
  if (!token) return { kind: 'no-token' };
  const reconnectListeners = new Set<() => void>();
  const api = buildVaultApi(createWebTransport(token, () => reconnectListeners.forEach((l) => l())));
  return {
    kind: 'web',
    api,
    files: createWebFileTransfers(token, api),
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
  };
}
