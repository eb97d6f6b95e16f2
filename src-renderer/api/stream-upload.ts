import { MAX_UPLOAD_CHUNK_BYTES, type VaultApi } from '../../src-main/shared/contract.js';
import { uploadChunks } from './upload-chunks.js';

/** The part of a File a streamed upload reads. */
export interface UploadSource {
  size: number;
  lastModified: number;
  stream(): ReadableStream<Uint8Array>;
}

/**
 * Sends a File's bytes through `uploads.begin/write/end`, one chunk in flight at a time (each write resolves once
 * the host took it), so memory stays at one chunk whatever the file's size. Resolves once the quorum committed.
 */
export async function streamUpload(api: Pick<VaultApi, 'uploads' | 'transfers'>, file: UploadSource, path: string, maxChunk = MAX_UPLOAD_CHUNK_BYTES): Promise<void> {
  const { id } = await api.uploads.begin({ path, size: file.size, modified: file.lastModified });
  const chunks = uploadChunks(file.stream(), maxChunk);
  let reading = false;
  try {
    for (;;) {
      reading = true;
      const next = await chunks.next();
      reading = false;
      if (next.done) break;
      await api.uploads.write({ id, bytes: next.value });
    }
    await api.uploads.end({ id });
  } catch (error) {
    // A local read failure leaves the host waiting for bytes: cancel it there. A failed call already ended it.
    if (reading) await api.transfers.cancel({ id }).catch(() => undefined);
    throw error;
  } finally {
    await chunks.return(undefined);
  }
}
