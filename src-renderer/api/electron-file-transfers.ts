import type { VaultApi } from '../../src-main/shared/contract.js';
import type { VaultEntry } from '../../src-main/shared/models.js';
import { baseName, parentOf } from '../store/vault-paths.js';
import { expandEntries } from './expand-entries.js';
import type { FileTransfers, UploadFailure, UploadItem } from './file-transfers.js';
import type { PathForFile } from './preload-api.js';
import { runLimited } from './run-limited.js';
import { streamUpload } from './stream-upload.js';
import { isCancelled, toSerializedError } from './thrown-errors.js';
import { createWaitingUploads } from './waiting-uploads.js';

const PATHS_PER_CALL = 500;
const STREAMS_AT_ONCE = 2;

/** Joins a chosen local folder and a `/`-separated relative path with the separator the folder uses. */
export function localJoin(folder: string, relative: string): string {
  const separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  const base = folder.endsWith(separator) ? folder.slice(0, -1) : folder;
  return `${base}${separator}${relative.split('/').join(separator)}`;
}

/**
 * Desktop transfers: Files with a path on disk are handed to the host, which streams them itself; others are streamed
 * chunk by chunk over IPC. Downloads go where a native dialog says.
 */
export function createElectronFileTransfers(preload: PathForFile, api: VaultApi): FileTransfers {
  const waiting = createWaitingUploads();
  return {
    // The desktop host reads dropped files itself, and a streamed upload stops at its next write once the host has
    // cancelled it: only an upload still waiting for its turn here is stopped on this side.
    stopUpload(path) {
      waiting.cancel(path);
    },
    async uploadFiles(files: readonly UploadItem[]): Promise<UploadFailure[]> {
      const failures: UploadFailure[] = [];
      const batch: Array<{ source: string; folder: string; path: string }> = [];
      const streamed: UploadItem[] = [];
      const sendBatch = async (): Promise<void> => {
        const sent = batch.splice(0).filter(({ path }) => waiting.take(path));
        if (sent.length === 0) return;
        try {
          await api.transfers.uploadPaths({ items: sent.map(({ source, folder }) => ({ source, folder })) });
        } catch (error) {
          failures.push(...sent.map(({ path }) => ({ path, error: toSerializedError(error) })));
        }
      };
      waiting.hold(files.map((item) => item.path));
      // pathForFile also lets the host read that path, and the host keeps a bounded number of such grants: each
      // batch goes out before more paths are read, so a drop of any size never outruns them.
      for (const item of files) {
        const source = preload.pathForFile(item.file);
        // The host names the upload after the local file, so only hand over paths whose name matches.
        if (source && baseName(item.path) === item.file.name) {
          batch.push({ source, folder: parentOf(item.path), path: item.path });
          if (batch.length === PATHS_PER_CALL) await sendBatch();
        } else streamed.push(item);
      }
      if (batch.length > 0) await sendBatch();
      await runLimited(streamed, STREAMS_AT_ONCE, async ({ file, path }) => {
        if (!waiting.take(path)) return;
        try {
          await streamUpload(api, file, path);
        } catch (error) {
          if (!isCancelled(error)) failures.push({ path, error: toSerializedError(error) });
        }
      });
      return failures;
    },

    async downloadEntries(entries: readonly VaultEntry[]): Promise<void> {
      const files = await expandEntries(api, entries);
      if (files.length === 0) return;
      const target = await api.dialogs.chooseDownloadTarget({ names: files.map((f) => f.relative) });
      if (target.kind === 'cancelled') return;
      const items =
        target.kind === 'file'
          ? files.slice(0, 1).map((f) => ({ path: f.path, destination: target.path }))
          : files.map((f) => ({ path: f.path, destination: localJoin(target.path, f.relative), ifExists: 'keep-both' as const }));
      await api.transfers.download({ items });
    },
  };
}
