import type { VaultApi } from '../../src-main/shared/contract.js';
import type { HostConnection } from '../api/host-connection.js';
import type { VaultStore } from './store.js';
import { affectsFolder } from './vault-paths.js';

/** Waits this long after a `files.changed` burst before listing the folder again. */
export const REFRESH_DEBOUNCE_MS = 150;

/** Feeds host events into the store; returns the function that stops it. */
export function connectEvents(api: Pick<VaultApi, 'on'>, store: VaultStore): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const scheduleRefresh = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void store.getState().refreshFolder(), REFRESH_DEBOUNCE_MS);
  };
  const stops = [
    api.on('session.changed', (state) => store.getState().applySession(state)),
    api.on('cluster.changed', (view) => store.getState().setCluster(view)),
    api.on('transfer.changed', (transfer) => store.getState().applyTransfer(transfer)),
    api.on('files.changed', ({ paths }) => {
      const { phase, folder } = store.getState();
      if (phase === 'signed-in' && affectsFolder(paths, folder)) scheduleRefresh();
    }),
  ];
  return () => {
    clearTimeout(timer);
    for (const stop of stops) stop();
  };
}

/** Fetches everything again after the event stream was down (events sent meanwhile are lost). */
export async function resync(store: VaultStore, api: Pick<VaultApi, 'session'>): Promise<void> {
  const s = store.getState();
  try {
    s.applySession(await api.session.state());
  } catch (error) {
    s.reportError(error);
  }
  await Promise.all([s.refreshCluster(), s.loadTransfers(), store.getState().phase === 'signed-in' ? s.refreshFolder() : undefined]);
}

/** What the page says while the browser host is gone; it stays until the host is back. */
export const HOST_LOST_TEXT =
  'The DFS Vault web host has stopped, so this page can do nothing for now. Start it again with `dfs-vault web` and open the address it prints (a restarted host gives this page\'s address a new token).';

/** Shows a lasting notice while the host is gone; once it is back, takes the notice away and fetches everything again. */
export function followHostConnection(state: HostConnection, store: VaultStore, api: Pick<VaultApi, 'session'>): void {
  const s = store.getState();
  const shown = s.notices.find((n) => n.text === HOST_LOST_TEXT);
  if (state === 'lost') {
    if (!shown) s.notify('error', HOST_LOST_TEXT, 'HOST_LOST', { persistent: true });
    return;
  }
  if (shown) s.dismissNotice(shown.id);
  void resync(store, api);
}
