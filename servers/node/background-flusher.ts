import type { FileHandle } from 'node:fs/promises';

/** Bytes written after which a flush to disk starts in the background. */
export const BACKGROUND_FLUSH_BYTES = 16 * 1024 * 1024;

/**
 * Starts an fdatasync in the background each time another `thresholdBytes` have been written to a
 * file, so the final fsync before an acknowledgement finds little left to write. Errors are left to
 * that final fsync, which reports them.
 */
export class BackgroundFlusher {
  private unflushed = 0;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly handle: FileHandle,
    private readonly thresholdBytes = BACKGROUND_FLUSH_BYTES,
  ) {}

  /** Records `bytes` more written; may start a background flush. */
  wrote(bytes: number): void {
    this.unflushed += bytes;
    if (this.unflushed < this.thresholdBytes || this.flushing) return;
    this.unflushed = 0;
    const done = (): void => {
      this.flushing = undefined;
    };
    this.flushing = this.handle.datasync().then(done, done);
  }

  /** Waits for a flush in progress (before the final fsync, or before closing the file). */
  async settle(): Promise<void> {
    await this.flushing;
  }
}
