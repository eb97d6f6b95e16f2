/**
 * Buffers of one size, reused once whoever was given one is done with it. Reading a GiB into a fresh
 * buffer every MiB touches a GiB of fresh pages, and the page faults cost about a third more CPU than
 * reading (or decrypting) into memory already mapped: here 148–169 ms against 85–112 ms to read 512 MiB
 * of cached file, and 312–408 ms against 250 ms to open 1 GiB of stripes. The client opens a download's
 * stripes into one (GET to a file), a node reads the pieces it sends into another.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];
  /** Every buffer handed out, by its memory, so that release() knows its own (and no other) buffers. */
  private readonly mine = new WeakMap<ArrayBufferLike, Buffer>();

  constructor(
    /** Bytes each buffer holds. */
    readonly bytes: number,
    /** Most buffers kept for reuse; more released are left to the garbage collector. */
    private readonly keep: number,
  ) {}

  /** A buffer of `length` bytes (at most `bytes`; a larger one is allocated apart, never reused). */
  take(length = this.bytes): Buffer {
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
