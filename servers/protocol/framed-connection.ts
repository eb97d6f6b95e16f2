import type { Socket } from 'node:net';
import { MAX_DATA_CHUNK_BYTES } from './constants.js';
import { ProtocolError } from './errors.js';
import { FrameDecoder } from './frame-decoder.js';
import { type DataMessage, type Message, Op } from './messages.js';
import { encodeDataHeader, encodeMessage } from './serializer.js';

/** Bytes of decoded-but-unread messages above which the socket stops reading (backpressure). */
const RECEIVE_HIGH_WATER_BYTES = 4 * 1024 * 1024;

/** Bytes a connection may queue for sending before a send waits for 'drain'. */
const SEND_BUFFER_BYTES = 1024 * 1024;

interface Waiter {
  resolve: (message: Message) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

/** The TIMEOUT of a receive that waited `ms` in vain. */
export function noAnswerWithin(ms: number): ProtocolError {
  return new ProtocolError('TIMEOUT', `No answer within ${formatDuration(ms)}.`);
}

/** "250 ms" below a second, "15 s" above. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 1000)} s`;
}

/**
 * About how much memory a decoded value holds: its bytes, strings (two bytes a character, as V8 may
 * store them) and every nested field, plus a little for each object, so that no message, an empty
 * DATA frame or a request full of long strings alike, counts as nearly free.
 */
function heldBytes(value: unknown): number {
  if (typeof value === 'string') return 16 + 2 * value.length;
  if (value instanceof Uint8Array) return 64 + value.length;
  if (typeof value !== 'object' || value === null) return 8;
  let bytes = 64;
  for (const field of Array.isArray(value) ? value : Object.values(value)) bytes += heldBytes(field);
  return bytes;
}

/**
 * A socket that sends and receives whole protocol messages. Sends wait for 'drain' when the
 * socket's buffer is full; receives pause the socket while unread messages pile up. A malformed
 * frame, a close or an error fails every pending and later receive and destroys the socket.
 */
export class FramedConnection {
  private readonly decoder = new FrameDecoder();
  private readonly inbox: Message[] = [];
  private inboxBytes = 0;
  private readonly waiters: Waiter[] = [];
  private closedWith: ProtocolError | undefined;
  private receiveError: ProtocolError | undefined;
  private ending = false;
  private drainWaiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  /** Bytes received from the wire, frame headers included. */
  bytesReceived = 0;
  /** Bytes handed to the wire, frame headers included. */
  bytesSent = 0;

  /** How long a send may wait for the peer to read before the connection is given up. */
  writeTimeoutMs = 30_000;

  constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.fail(new ProtocolError('CONNECTION_CLOSED', `Connection failed: ${error.message}`, { cause: error })));
    socket.on('close', () => this.fail(new ProtocolError('CONNECTION_CLOSED', 'Connection closed.')));
    socket.on('drain', () => this.releaseDrainWaiters());
  }

  /** True once the connection has failed or closed. */
  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  /** Sends one message; resolves once the socket can take more (after 'drain' if needed). */
  async send(message: Message): Promise<void> {
    await this.write([encodeMessage(message)]);
  }

  /** Sends the concatenation of `payloads` as DATA frames (see sendBody). */
  async sendData(...payloads: Buffer[]): Promise<void> {
    await this.sendBody(payloads);
  }

  /**
   * Sends the concatenation of `payloads` as DATA frames of at most MAX_DATA_CHUNK_BYTES each,
   * without copying them. Resolves once they are queued within the send buffer (waiting for 'drain'
   * when it is full); `flushed` settles once the kernel has taken every byte, or the connection has
   * closed, after which the caller may reuse the buffers.
   */
  async sendBody(payloads: readonly Buffer[]): Promise<{ flushed: Promise<void> }> {
    // All frames of one call go out under one cork, and the wait for 'drain' happens once at the end.
    const parts: Buffer[] = [];
    let frame: Buffer[] = [];
    let frameBytes = 0;
    const close = (): void => {
      parts.push(encodeDataHeader(frameBytes), ...frame);
      frame = [];
      frameBytes = 0;
    };
    for (const payload of payloads) {
      for (let at = 0; at < payload.length; ) {
        const take = Math.min(payload.length - at, MAX_DATA_CHUNK_BYTES - frameBytes);
        frame.push(payload.subarray(at, at + take));
        frameBytes += take;
        at += take;
        if (frameBytes === MAX_DATA_CHUNK_BYTES) close();
      }
    }
    if (frameBytes > 0) close();
    if (parts.length === 0) return { flushed: Promise.resolve() };
    let flushedNow!: () => void;
    const flushed = new Promise<void>((resolve) => (flushedNow = resolve));
    await this.write(parts, flushedNow);
    return { flushed };
  }

  /** Waits for the next message; rejects on close, protocol error or after `timeoutMs`. */
  receive(timeoutMs?: number): Promise<Message> {
    const ready = this.shiftInbox();
    if (ready) return Promise.resolve(ready);
    const failure = this.receiveError ?? this.closedWith;
    if (failure) return Promise.reject(failure);
    return new Promise<Message>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, timer: undefined };
      if (timeoutMs !== undefined && timeoutMs > 0) {
        waiter.timer = setTimeout(() => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(noAnswerWithin(timeoutMs));
        }, timeoutMs);
      }
      this.waiters.push(waiter);
    });
  }

  /**
   * Takes the DATA payloads already received and waiting at the head of the inbox, up to about
   * `maxBytes`, without waiting: lets a receiver write a streamed body in large batches.
   */
  takeQueuedData(maxBytes: number, maxParts = 256): Buffer[] {
    const taken: Buffer[] = [];
    let bytes = 0;
    while (bytes < maxBytes && taken.length < maxParts) {
      if (this.inbox[0]?.op !== Op.Data) break;
      const { data } = this.shiftInbox() as DataMessage;
      taken.push(data);
      bytes += data.length;
    }
    return taken;
  }

  /** Removes the oldest unread message; below half the high-water mark the socket flows again. */
  private shiftInbox(): Message | undefined {
    const message = this.inbox.shift();
    if (!message) return undefined;
    this.inboxBytes -= heldBytes(message);
    if (this.socket.isPaused() && this.inboxBytes < RECEIVE_HIGH_WATER_BYTES / 2) this.socket.resume();
    return message;
  }

  /** Half-closes after pending writes flush; the peer sees a clean end. */
  end(): void {
    // Whatever the peer still sends is dropped unread: nothing will consume it.
    this.ending = true;
    this.inbox.length = 0;
    this.inboxBytes = 0;
    this.socket.end();
    // A peer that never closes its side must not hold the socket open forever.
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  /** Closes at once and fails anything pending. */
  destroy(reason = 'Connection closed.'): void {
    this.fail(new ProtocolError('CONNECTION_CLOSED', reason));
  }

  /** Queues `parts`; `onFlushed` runs once the socket has handed the last of them to the kernel (or failed). */
  private async write(parts: Buffer[], onFlushed?: () => void): Promise<void> {
    if (this.closedWith) throw this.closedWith;
    let ok = true;
    const last = parts.length - 1;
    this.socket.cork();
    parts.forEach((part, i) => {
      ok = i === last && onFlushed ? this.socket.write(part, () => onFlushed()) : this.socket.write(part);
    });
    this.socket.uncork();
    for (const part of parts) this.bytesSent += part.length;
    // Keep up to SEND_BUFFER_BYTES queued, so the kernel always has data while the sender prepares more.
    if (!ok && this.socket.writableLength > SEND_BUFFER_BYTES) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await new Promise<void>((resolve, reject) => {
          if (this.closedWith) return reject(this.closedWith);
          this.drainWaiters.push({ resolve, reject });
          timer = setTimeout(() => {
            this.fail(new ProtocolError('TIMEOUT', `The peer stopped reading for ${formatDuration(this.writeTimeoutMs)}.`));
          }, this.writeTimeoutMs);
        });
      } finally {
        clearTimeout(timer);
      }
    }
  }

  private releaseDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const waiter of waiters) waiter.resolve();
  }

  private onData(chunk: Buffer): void {
    this.bytesReceived += chunk.length;
    if (this.ending) return;
    let messages: Message[];
    try {
      messages = this.decoder.push(chunk);
    } catch (error) {
      // The read side is poisoned, but the writer may still tell the peer why before closing.
      this.receiveError = error as ProtocolError;
      this.socket.pause();
      this.socket.removeAllListeners('data');
      for (const waiter of this.waiters.splice(0)) {
        if (waiter.timer) clearTimeout(waiter.timer);
        waiter.reject(this.receiveError);
      }
      return;
    }
    for (const message of messages) {
      const waiter = this.waiters.shift();
      if (waiter) {
        if (waiter.timer) clearTimeout(waiter.timer);
        waiter.resolve(message);
      } else {
        this.inbox.push(message);
        this.inboxBytes += heldBytes(message);
      }
    }
    if (this.inboxBytes >= RECEIVE_HIGH_WATER_BYTES) this.socket.pause();
  }

  private fail(error: ProtocolError): void {
    if (this.closedWith) return;
    this.closedWith = error;
    for (const waiter of this.waiters.splice(0)) {
      if (waiter.timer) clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    for (const waiter of this.drainWaiters.splice(0)) waiter.reject(error);
    if (!this.socket.destroyed) this.socket.destroy();
  }
}
