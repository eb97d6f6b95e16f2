import { createStore, type StoreApi } from 'zustand/vanilla';
import { createAccountSlice } from './account-slice.js';
import { createClusterSlice } from './cluster-slice.js';
import { createDialogSlice } from './dialog-slice.js';
import { createFolderSlice } from './folder-slice.js';
import { createNoticesSlice } from './notices-slice.js';
import { createSelectionSlice } from './selection-slice.js';
import { createSessionSlice } from './session-slice.js';
import type { Services, State } from './state.js';
import { createTransfersSlice } from './transfers-slice.js';

/** The app's store. */
export type VaultStore = StoreApi<State>;

/**
 * Builds the store with the services its actions call. A store per app (not a module singleton) so the host is
 * injected at start-up and tests build their own with a fake API.
 */
export function createVaultStore(services: Services): VaultStore {
  return createStore<State>()((...a) => ({
    ...createSessionSlice(services)(...a),
    ...createAccountSlice(services)(...a),
    ...createClusterSlice(services)(...a),
    ...createFolderSlice(services)(...a),
    ...createSelectionSlice(services)(...a),
    ...createTransfersSlice(services)(...a),
    ...createNoticesSlice(services)(...a),
    ...createDialogSlice(services)(...a),
  }));
}
