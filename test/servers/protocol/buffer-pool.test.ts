import { describe, expect, it } from 'vitest';
import { BufferPool } from '../../../servers/protocol/buffer-pool.js';

describe('BufferPool', () => {
  it('hands a released buffer out again, cut to the length asked for (whole by default), and never one still out', () => {
    const buffers = new BufferPool(1024, 2);
    const a = buffers.take(1024);
    const b = buffers.take(1000);
    expect(b.length).toBe(1000);
    expect(a.buffer).not.toBe(b.buffer);
    buffers.release([a]);
    const c = buffers.take(10);
    expect(c.buffer).toBe(a.buffer);
    expect(c.length).toBe(10);
    // b is still out: the next take is fresh memory.
    const d = buffers.take();
    expect(d.buffer).not.toBe(b.buffer);
    expect(d.length).toBe(1024);
  });

  it('takes back only its own buffers, each once, and keeps at most `keep`', () => {
    const buffers = new BufferPool(64, 2);
    const [a, b, c] = [buffers.take(64), buffers.take(64), buffers.take(64)];
    buffers.release([Buffer.alloc(64), a.subarray(5), a, a]);
    const again = buffers.take(64);
    expect(again.buffer).toBe(a.buffer);
    expect(buffers.take(64).buffer).not.toBe(a.buffer);
    buffers.release([a, b, c]);
    const taken = [buffers.take(64), buffers.take(64), buffers.take(64)].map((t) => t.buffer);
    expect(taken.filter((t) => t === a.buffer || t === b.buffer || t === c.buffer)).toHaveLength(2);
  });

  it('allocates a request larger than its buffers apart and never takes it back', () => {
    const buffers = new BufferPool(16, 2);
    const big = buffers.take(17);
    expect(big.length).toBe(17);
    buffers.release([big]);
    expect(buffers.take(16).buffer).not.toBe(big.buffer);
  });
});
