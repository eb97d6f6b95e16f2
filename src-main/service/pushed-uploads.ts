import { VaultError } from '../shared/errors.js';
import type { ByteSource } from '../vault/byte-source.js';
import { ChunkSource } from './chunk-source.js';

/** Pushed uploads open at once; more is a runaway sender. */
const MAX_PUSHED_UPLOADS = 16;
/** How long a finished pushed upload stays known, so a late `end` still gets its outcome. */
const SETTLED_UPLOAD_MEMORY_MS = 60_000;

interface PushedUpload {
  source: ChunkSource;
  result: Promise<unknown>;
}

/**
 * Uploads whose bytes the UI sends chunk by chunk (a dropped File without a local path): one ChunkSource each,
 * found by transfer id, bounded in number, forgotten once settled.
 */
export class PushedUploads {
  private readonly uploads = new Map<string, PushedUpload>();

  constructor(private readonly idleTimeoutMs?: number) {}

  /**
   * Opens an upload: `start` runs the transfer that reads from the given source and returns its id and outcome.
   * A failed upload also fails the sender's next write.
   */
  open(start: (source: ByteSource) => { id: string; result: Promise<unknown> }): { id: string } {
    if (this.uploads.size >= MAX_PUSHED_UPLOADS) {
      throw new VaultError('INVALID_REQUEST', `${MAX_PUSHED_UPLOADS} uploads are already waiting for their bytes; let them finish or cancel some.`);
    }
    const source = new ChunkSource(this.idleTimeoutMs);
    const { id, result } = start(source);
    const settled = result.catch((error: Error) => {
      source.fail(error);
      throw error;
    });
    // endUpload holds the promise, so a sender still learns the outcome after the entry is gone.
    settled.catch(() => undefined).finally(() => setTimeout(() => this.uploads.delete(id), SETTLED_UPLOAD_MEMORY_MS).unref());
    this.uploads.set(id, { source, result: settled });
    return { id };
  }

  /** Hands over the next chunk; resolves once the upload has taken it. */
  async write(id: string, bytes: Uint8Array): Promise<void> {
    await this.get(id).source.push(bytes);
  }

  /** No more chunks; resolves once the upload is committed. */
  async end(id: string): Promise<void> {
    const upload = this.get(id);
    upload.source.end();
    try {
      await upload.result;
    } finally {
      this.uploads.delete(id);
    }
  }

  /** Fails an upload's source (Cancel): its reader and its sender are told at once. */
  fail(id: string, error: Error): void {
    this.uploads.get(id)?.source.fail(error);
  }

  /** Fails and forgets every upload (sign-out). */
  failAll(error: Error): void {
    for (const upload of this.uploads.values()) upload.source.fail(error);
    this.uploads.clear();
  }

  private get(id: string): PushedUpload {
    const upload = this.uploads.get(id);
    if (!upload) throw new VaultError('NOT_FOUND', 'That upload has ended or never began.');
    return upload;
  }
}
