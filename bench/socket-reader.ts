import type { Socket } from 'node:net';

/** Buffered bytes above which the socket is paused until they are read. */
const HIGH_WATER_BYTES = 4 * 1024 * 1024;

/** Reads exact amounts from a socket without copying, pausing it while too much is buffered. */
export class SocketReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      if (this.buffered >= HIGH_WATER_BYTES) socket.pause();
      this.notify();
    });
    socket.on('end', () => {
      this.ended = true;
      this.notify();
    });
    socket.on('close', () => {
      this.ended = true;
      this.notify();
    });
    socket.on('error', (error) => {
      this.failure = error;
      this.notify();
    });
  }

  /** Bytes received but not yet read. */
  get pending(): number {
    return this.buffered;
  }

  /** The next `bytes` bytes as one or more buffers; rejects if the stream ends first. */
  async readExactly(bytes: number): Promise<Buffer[]> {
    while (this.buffered < bytes) {
      if (this.failure) throw this.failure;
      if (this.ended) throw new Error(`The peer closed after ${this.buffered} of ${bytes} expected bytes.`);
      if (this.socket.isPaused()) this.socket.resume();
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    const parts: Buffer[] = [];
    let need = bytes;
    while (need > 0) {
      const head = this.chunks[0]!;
      if (head.length <= need) {
        parts.push(head);
        this.chunks.shift();
        need -= head.length;
      } else {
        parts.push(head.subarray(0, need));
        this.chunks[0] = head.subarray(need);
        need = 0;
      }
    }
    this.buffered -= bytes;
    if (this.socket.isPaused() && this.buffered < HIGH_WATER_BYTES / 2) this.socket.resume();
    return parts;
  }

  /** Resolves once the peer has ended its side; rejects if unread bytes remain. */
  async expectEnd(): Promise<void> {
    while (!this.ended && !this.failure && this.buffered === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.failure) throw this.failure;
    if (this.buffered > 0) throw new Error(`The peer sent ${this.buffered} bytes more than expected.`);
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
