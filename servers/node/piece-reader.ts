import type { FileHandle } from 'node:fs/promises';
import { ProtocolError } from '../protocol/errors.js';

/**
 * A range of a committed piece, open for a GET: read into buffers the caller gives (and reuses), instead of a
 * stream that allocates a fresh buffer for every read.
 */
export class PieceReader {
  private closed = false;

  constructor(
    private readonly handle: FileHandle,
    /** Where the range's next byte is in the file. */
    private position: number,
    /** Bytes of the range not read yet. */
    private remaining: number,
  ) {}

  /** True once the whole range has been read. */
  get done(): boolean {
    return this.remaining === 0;
  }

  /** Reads the range's next bytes into `buffer`, as many as fit; answers the part of `buffer` filled. */
  async readInto(buffer: Buffer): Promise<Buffer> {
    if (this.remaining === 0) return buffer.subarray(0, 0);
    const { bytesRead } = await this.handle.read(buffer, 0, Math.min(buffer.length, this.remaining), this.position);
    // The piece was cut short on disk since it was opened (or damaged): the reply cannot be finished.
    if (bytesRead === 0) throw new ProtocolError('INTERNAL', 'A stored piece ended before its length.');
    this.position += bytesRead;
    this.remaining -= bytesRead;
    return buffer.subarray(0, bytesRead);
  }

  /** Closes the file; closing again does nothing. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}
