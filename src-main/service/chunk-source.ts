import { VaultError } from '../shared/errors.js';
import type { ByteSource } from '../vault/byte-source.js';

/**
 * A byte source fed by chunks pushed from outside (the UI sending a File's bytes): `push` resolves once the
 * upload has taken the chunk, so a sender that awaits each push never has more than one chunk in flight.
 */
export class ChunkSource implements ByteSource {
  /**
   * @param idleTimeoutMs how long the reader waits for the next chunk before the upload is failed: a sender that
   *   went away (a reloaded or crashed window) must not hold a transfer slot forever.
   */
  constructor(private readonly idleTimeoutMs = 60_000) {}

  private current: Uint8Array | undefined;
  private offset = 0;
  private ended = false;
  private failure: Error | undefined;
  private taken: (() => void) | undefined;
  private arrived: (() => void) | undefined;

  /** Hands one chunk to the reader; resolves when every byte of it has been read. */
  async push(chunk: Uint8Array): Promise<void> {
    if (this.ended || this.failure) throw this.failure ?? new VaultError('INVALID_REQUEST', 'This upload has already ended.');
    if (this.current) throw new VaultError('INVALID_REQUEST', 'Send the next chunk of an upload only after the previous one is taken.');
    if (chunk.length === 0) return;
    this.current = chunk;
    this.offset = 0;
    const taken = new Promise<void>((resolve) => (this.taken = resolve));
    this.wake();
    await taken;
    if (this.failure) throw this.failure;
  }

  /** No more chunks: the next read past the data returns 0. */
  end(): void {
    this.ended = true;
    this.wake();
  }

  /** Fails the reader and any waiting sender (a cancel, or the upload failed). */
  fail(error: Error): void {
    this.failure ??= error;
    this.taken?.();
    this.wake();
  }

  async read(target: Buffer): Promise<number> {
    let filled = 0;
    while (filled < target.length) {
      if (this.failure) throw this.failure;
      const chunk = this.current;
      if (!chunk) {
        if (this.ended) break;
        await this.nextChunk();
        continue;
      }
      const take = Math.min(chunk.length - this.offset, target.length - filled);
      target.set(chunk.subarray(this.offset, this.offset + take), filled);
      this.offset += take;
      filled += take;
      if (this.offset === chunk.length) {
        this.current = undefined;
        const taken = this.taken;
        this.taken = undefined;
        taken?.();
      }
    }
    return filled;
  }

  private async nextChunk(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve) => {
        this.arrived = resolve;
        timer = setTimeout(() => {
          this.fail(new VaultError('CANCELLED', `The upload stalled: no bytes arrived for ${Math.round(this.idleTimeoutMs / 1000)} s, so it was cancelled and nothing was stored.`));
        }, this.idleTimeoutMs);
      });
    } finally {
      clearTimeout(timer);
    }
  }

  private wake(): void {
    const arrived = this.arrived;
    this.arrived = undefined;
    arrived?.();
  }
}
