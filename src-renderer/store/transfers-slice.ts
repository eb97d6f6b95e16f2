import type { Transfer } from '../../src-main/shared/app-models.js';
import type { VaultEntry } from '../../src-main/shared/models.js';
import type { UploadItem } from '../api/file-transfers.js';
import type { SliceCreator } from './state.js';
import { addWaitingUploads, cancelWaiting, clearFinished, dropWaiting, isWaiting, mergeHostTransfer, mergeTransfers } from './transfers-transitions.js';
import { folderContents, keepingBoth, replacedPaths } from './upload-clashes.js';
import { baseName } from './vault-paths.js';

/** The transfer panel, fed by `transfer.changed` events. */
export interface TransfersSlice {
  transfers: Transfer[];
  loadTransfers(): Promise<void>;
  applyTransfer(transfer: Transfer): void;
  cancelTransfer(id: string): Promise<void>;
  clearFinishedTransfers(): Promise<void>;
  /**
   * Uploads Files to vault paths (and makes dropped folders that were empty); failures become notices. Files that would
   * replace others are first put to the user (`ask`, the default), unless the answer is given: replace them, or keep
   * both (the upload takes a free "name (2).ext").
   */
  uploadItems(items: readonly UploadItem[], emptyFolders?: readonly string[], ifExists?: 'ask' | 'replace' | 'keep-both'): Promise<void>;
  downloadEntries(entries: readonly VaultEntry[]): Promise<void>;
}

/** Numbers each batch of uploads, whose waiting rows carry it; unique within the page. */
let uploadBatches = 0;

/** Builds the transfers slice. */
export const createTransfersSlice: SliceCreator<TransfersSlice> = ({ api, files }) => (set, get) => ({
  transfers: [],

  async loadTransfers() {
    try {
      const list = await api.transfers.list();
      set((s) => ({ transfers: mergeTransfers(s.transfers, list) }));
    } catch (error) {
      get().reportError(error);
    }
  },

  applyTransfer: (transfer) => set((s) => ({ transfers: mergeHostTransfer(s.transfers, transfer) })),

  async cancelTransfer(id) {
    const transfer = get().transfers.find((t) => t.id === id);
    // The host does not know an upload still waiting here: keeping it from starting is all there is to do.
    if (transfer && isWaiting(transfer)) {
      files.stopUpload(transfer.path);
      set((s) => ({ transfers: cancelWaiting(s.transfers, id, Date.now()) }));
      return;
    }
    try {
      await api.transfers.cancel({ id });
    } catch (error) {
      get().reportError(error);
    } finally {
      // Only now stop the bytes this page sends: cut first, the upload reached the host as a broken request, and a
      // loaded machine could mark it failed ("aborted") before the cancel arrived.
      if (transfer?.direction === 'upload') files.stopUpload(transfer.path);
    }
  },

  async clearFinishedTransfers() {
    set((s) => ({ transfers: clearFinished(s.transfers) }));
    try {
      await api.transfers.clearFinished();
    } catch (error) {
      get().reportError(error);
    }
  },

  async uploadItems(requested, emptyFolders = [], ifExists = 'ask') {
    if (get().phase !== 'signed-in') return;
    let items = requested;
    if (ifExists !== 'replace' && items.length > 0) {
      const contents = await folderContents(api, items.map((i) => i.path));
      if (ifExists === 'keep-both') items = keepingBoth(items, contents);
      else {
        const replaced = replacedPaths(items.map((i) => i.path), contents);
        if (replaced.length > 0) return get().openDialog({ kind: 'confirm-replace', items: [...items], emptyFolders: [...emptyFolders], replaced });
      }
    }
    for (const path of emptyFolders) {
      await api.files.mkdir({ path }).catch((error: unknown) => get().reportError(error, `Could not make the folder ${baseName(path)}`));
    }
    if (items.length === 0) {
      if (emptyFolders.length > 0) await get().refreshFolder();
      return;
    }
    // Until the host reports an upload, it waits here for a free slot: show it as queued meanwhile.
    const batch = String(++uploadBatches);
    set((s) => ({ transfers: addWaitingUploads(s.transfers, items.map(({ file, path }) => ({ path, size: file.size })), batch, Date.now()) }));
    const failures = await files.uploadFiles(items).finally(() => set((s) => ({ transfers: dropWaiting(s.transfers, batch) })));
    const [first] = failures;
    if (first && failures.length === 1) get().notify('error', `Could not upload ${baseName(first.path)}: ${first.error.message}`, first.error.code);
    else if (first) get().notify('error', `${failures.length} uploads failed. ${baseName(first.path)}: ${first.error.message}`, first.error.code);
    // files.changed events refresh the list as commits land; one more refresh covers a host that batches them.
    await get().refreshFolder();
  },

  async downloadEntries(entries) {
    if (entries.length === 0) return;
    try {
      await files.downloadEntries(entries);
    } catch (error) {
      get().reportError(error, 'Download failed');
    }
  },
});
