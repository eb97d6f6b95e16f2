import type { StateCreator } from 'zustand/vanilla';
import type { VaultApi } from '../../src-main/shared/contract.js';
import type { FileTransfers } from '../api/file-transfers.js';
import type { AccountSlice } from './account-slice.js';
import type { ClusterSlice } from './cluster-slice.js';
import type { DialogSlice } from './dialog-slice.js';
import type { FolderSlice } from './folder-slice.js';
import type { NoticesSlice } from './notices-slice.js';
import type { SelectionSlice } from './selection-slice.js';
import type { SessionSlice } from './session-slice.js';
import type { TransfersSlice } from './transfers-slice.js';

/** What the store's actions talk to: the contract's API and the host's byte work. */
export interface Services {
  api: VaultApi;
  files: FileTransfers;
}

/** The whole UI state: one slice per capability. */
export type State = SessionSlice & AccountSlice & ClusterSlice & FolderSlice & SelectionSlice & TransfersSlice & NoticesSlice & DialogSlice;

/** A slice of the store, built with the services its actions call. */
export type SliceCreator<Slice> = (services: Services) => StateCreator<State, [], [], Slice>;
