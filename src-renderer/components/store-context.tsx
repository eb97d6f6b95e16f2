import { createContext, type ReactNode, useContext } from 'react';
import { useStore } from 'zustand';
import type { State } from '../store/state.js';
import type { VaultStore } from '../store/store.js';

const StoreContext = createContext<VaultStore | null>(null);

/** Makes the app's store available to every component below. */
export function StoreProvider({ store, children }: { store: VaultStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

/** Selects one field (or a derived value wrapped in `useShallow`) from the app's store. */
export function useVault<T>(selector: (state: State) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useVault needs a StoreProvider above it.');
  return useStore(store, selector);
}

/** The store itself, for event handlers that read the latest state without subscribing. */
export function useVaultStore(): VaultStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useVaultStore needs a StoreProvider above it.');
  return store;
}
