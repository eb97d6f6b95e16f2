/**
 * The plaintext buffers of one download, reused once the sink is done with them. Opening each stripe
 * into a fresh buffer made every GET touch as many fresh pages as the file is long: about a third
 * more CPU for opening (page faults, 44–117 ms of system time per GiB here), and more garbage. A
 * stripe is opened while the one before it is written, so two buffers go round.
 */
export class StripeBuffers {
  private readonly free: Buffer[] = [];
  /** Every buffer handed out, by its memory, so that release() knows its own (and no other) buffers. */
  private readonly mine = new WeakMap<ArrayBufferLike, Buffer>();

  constructor(
    /** Bytes each buffer holds: the largest plaintext stripe of the file. */
    readonly bytes: number,
    private readonly keep = 2,
  ) {}

  /** A buffer of `length` bytes (at most `bytes`; a larger one is allocated apart, never reused). */
  take(length: number): Buffer {
    if (length > this.bytes) return Buffer.allocUnsafe(length);
    const buffer = this.free.pop() ?? this.allocate();
    return buffer.subarray(0, length);
  }

  /** Gives back the buffers among `parts` that take() handed out; other buffers, and repeats, are ignored. */
  release(parts: readonly Uint8Array[]): void {
    for (const part of parts) {
      const whole = this.mine.get(part.buffer);
      if (whole && !this.free.includes(whole) && this.free.length < this.keep) this.free.push(whole);
    }
  }

  private allocate(): Buffer {
    // Its own memory, not a slice of Node's shared pool, so that `part.buffer` names it alone.
    const buffer = Buffer.allocUnsafeSlow(this.bytes);
    this.mine.set(buffer.buffer, buffer);
    return buffer;
  }
}
