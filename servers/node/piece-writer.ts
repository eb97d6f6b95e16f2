import { link, rm, type FileHandle } from 'node:fs/promises';
import { ProtocolError } from '../protocol/errors.js';
import { BackgroundFlusher } from './background-flusher.js';
import { exists, isErrno } from './durable-files.js';

/** A second upload of a version already stored: nodes never replace a version's piece. */
export function versionTaken(): ProtocolError {
  return new ProtocolError('BAD_REQUEST', 'That version of the object is already stored; use a new version.');
}

/** A file-system error as the client should hear it: a full disk as NO_SPACE, anything else as it is. */
export function storageError(error: unknown): Error {
  if (isErrno(error, 'ENOSPC')) return new ProtocolError('NO_SPACE', 'The node has no space left for this piece.', { cause: error });
  return error as Error;
}

/** Streams a piece's body into a temp file; `finish` makes it a durable pending piece. */
export class PieceWriter {
  private written = 0;
  private done = false;
  // Flushing as the body arrives leaves little for the final fsync, so the acknowledgement comes sooner.
  private readonly flusher: BackgroundFlusher;

  constructor(
    private readonly handle: FileHandle,
    private readonly tempPath: string,
    private readonly pendingPath: string,
    private readonly committedPath: string,
    private readonly headerBytes: number,
    readonly size: number,
  ) {
    this.flusher = new BackgroundFlusher(handle);
  }

  /** Appends body bytes (one buffer or several, written with one system call); refuses more than the declared size. */
  async write(...parts: Buffer[]): Promise<void> {
    const length = parts.reduce((sum, part) => sum + part.length, 0);
    if (this.written + length > this.size) {
      throw new ProtocolError('BAD_REQUEST', `More body bytes than the declared ${this.size}.`);
    }
    let written;
    try {
      written = (await this.handle.writev(parts, this.headerBytes + this.written)).bytesWritten;
    } catch (error) {
      throw storageError(error);
    }
    // A short write means the disk or a file-size limit is full.
    if (written !== length) throw new ProtocolError('NO_SPACE', 'The node could not write the whole piece (disk full?).');
    this.written += length;
    this.flusher.wrote(length);
  }

  /**
   * Checks the length, fsyncs, and links the temp file under the pending name (never over an existing one);
   * refuses a version committed meanwhile.
   */
  async finish(): Promise<void> {
    if (this.written !== this.size) {
      await this.discard();
      throw new ProtocolError('BAD_REQUEST', `Body ended after ${this.written} of ${this.size} bytes.`);
    }
    try {
      await this.flusher.settle();
      await this.handle.sync();
      await this.handle.close();
      this.done = true;
      // link() refuses to replace: a second upload of the same version can never overwrite the first.
      await link(this.tempPath, this.pendingPath);
      await rm(this.tempPath, { force: true });
    } catch (error) {
      await this.discard();
      if (isErrno(error, 'EEXIST')) throw versionTaken();
      throw storageError(error);
    }
    // beginPut found the version free, but another upload of it may have been committed since; left, this
    // piece would wait for a commit bound to refuse it.
    if (await exists(this.committedPath)) {
      await rm(this.pendingPath, { force: true });
      throw versionTaken();
    }
  }

  /** Drops the temp file (after a failure or an abandoned upload). */
  async discard(): Promise<void> {
    if (!this.done) {
      this.done = true;
      await this.flusher.settle();
      await this.handle.close().catch(() => undefined);
    }
    await rm(this.tempPath, { force: true });
  }
}
