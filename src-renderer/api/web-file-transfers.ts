import type { CallOutcome, VaultApi } from '../../src-main/shared/contract.js';
import { VaultError } from '../../src-main/shared/errors.js';
import type { VaultEntry } from '../../src-main/shared/models.js';
import { expandEntries } from './expand-entries.js';
import type { FileTransfers, UploadFailure, UploadItem } from './file-transfers.js';
import { runLimited } from './run-limited.js';
import { createWaitingUploads } from './waiting-uploads.js';
import { isCancelled, toSerializedError } from './thrown-errors.js';
import { failedSendError, outcomeOf } from './web-outcome.js';
import { TOKEN_HEADER } from './web-transport.js';

const UPLOADS_AT_ONCE = 3;
// Browsers drop or block downloads started in the same instant; space them out.
const DOWNLOAD_SPACING_MS = 300;

async function putFile(token: string, api: Pick<VaultApi, 'transfers'>, { file, path }: UploadItem, signal: AbortSignal): Promise<void> {
  const query = `path=${encodeURIComponent(path)}&size=${file.size}&modified=${Math.max(0, Math.floor(file.lastModified))}`;
  const sentAt = Date.now();
  let response: Response;
  try {
    // A File body is streamed from disk by the browser, never read into memory here.
    response = await fetch(`/api/upload?${query}`, {
      method: 'PUT',
      headers: { [TOKEN_HEADER]: token, 'Content-Type': 'application/octet-stream' },
      body: file,
      signal,
    });
  } catch {
    if (signal.aborted) throw new VaultError('CANCELLED', `The upload of ${file.name} was cancelled.`);
    const error = await failedSendError(api, path, file.name, sentAt);
    throw new VaultError(error.code, error.message);
  }
  valueOrThrow(await outcomeOf(response));
}

/** A single-use ticket for downloading `path` as `name`: the link then carries it, never the host's token. */
async function downloadTicket(token: string, path: string, name: string): Promise<string> {
  const response = await fetch(`/api/download-ticket?path=${encodeURIComponent(path)}&name=${encodeURIComponent(name)}`, { method: 'POST', headers: { [TOKEN_HEADER]: token } });
  return (valueOrThrow(await outcomeOf(response)) as { ticket: string }).ticket;
}

/** The value of a host answer, or its error thrown as a VaultError. */
function valueOrThrow(outcome: CallOutcome<unknown>): unknown {
  if (!outcome.ok) throw new VaultError(outcome.error.code, outcome.error.message);
  return outcome.value;
}

function saveLink(href: string, name: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
}

/** Browser transfers: uploads as streamed `PUT /api/upload`, downloads as one saved link per file. */
export function createWebFileTransfers(token: string, api: VaultApi): FileTransfers {
  // Uploads this page is sending, by vault path: Cancel must stop the browser sending, not only the host storing.
  const sending = new Map<string, AbortController>();
  const waiting = createWaitingUploads();
  return {
    stopUpload(path) {
      if (!waiting.cancel(path)) sending.get(path)?.abort();
    },

    async uploadFiles(files: readonly UploadItem[]): Promise<UploadFailure[]> {
      const failures: UploadFailure[] = [];
      waiting.hold(files.map((f) => f.path));
      await runLimited(files, UPLOADS_AT_ONCE, async (item) => {
        if (!waiting.take(item.path)) return;
        const controller = new AbortController();
        sending.set(item.path, controller);
        try {
          await putFile(token, api, item, controller.signal);
        } catch (error) {
          if (!isCancelled(error)) failures.push({ path: item.path, error: toSerializedError(error) });
        } finally {
          if (sending.get(item.path) === controller) sending.delete(item.path);
        }
      });
      return failures;
    },

    async downloadEntries(entries: readonly VaultEntry[]): Promise<void> {
      const files = await expandEntries(api, entries);
      for (const [i, file] of files.entries()) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, DOWNLOAD_SPACING_MS));
        // A browser download cannot make folders: a file inside a downloaded folder keeps its place in its name.
        const name = file.relative.split('/').join('_');
        // The host names the saved file (its Content-Disposition outranks the link's download attribute), so it is told.
        saveLink(`/api/download?ticket=${encodeURIComponent(await downloadTicket(token, file.path, name))}`, name);
      }
    },
  };
}
