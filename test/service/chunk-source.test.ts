import { describe, expect, it } from 'vitest';
import { ChunkSource } from '../../src-main/service/chunk-source.js';
import { VaultError } from '../../src-main/shared/errors.js';

/** Lets every pending promise reaction run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Tracks whether a promise has settled yet, and how. */
function watch<T>(promise: Promise<T>): { readonly state: 'pending' | 'resolved' | 'rejected'; readonly error: unknown; readonly promise: Promise<T> } {
  const tracker = { state: 'pending' as 'pending' | 'resolved' | 'rejected', error: undefined as unknown, promise };
  promise.then(
    () => (tracker.state = 'resolved'),
    (error: unknown) => {
      tracker.state = 'rejected';
      tracker.error = error;
    },
  );
  return tracker;
}

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('chunk source', () => {
  it('resolves a push only once the reader has taken every byte of it', async () => {
    const source = new ChunkSource();
    const pushed = watch(source.push(bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)));
    await settle();
    expect(pushed.state).toBe('pending');

    const first = Buffer.alloc(4);
    expect(await source.read(first)).toBe(4);
    expect([...first]).toEqual([1, 2, 3, 4]);
    await settle();
    expect(pushed.state).toBe('pending');

    const second = Buffer.alloc(4);
    expect(await source.read(second)).toBe(4);
    expect([...second]).toEqual([5, 6, 7, 8]);
    await settle();
    expect(pushed.state).toBe('pending');

    const last = watch(source.read(Buffer.alloc(4)));
    await settle();
    expect(pushed.state).toBe('resolved');
    source.end();
    await last.promise;
  });

  it('fills one read from several chunks across their boundaries', async () => {
    const source = new ChunkSource();
    const sender = (async () => {
      await source.push(bytes(1, 2, 3));
      await source.push(bytes(4, 5, 6, 7));
      await source.push(bytes(8, 9));
      source.end();
    })();
    const target = Buffer.alloc(9);
    expect(await source.read(target)).toBe(9);
    expect([...target]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await sender;
  });

  it('reads a chunk pushed before the reader asked for it', async () => {
    const source = new ChunkSource();
    const pushed = source.push(bytes(7, 8));
    source.end();
    const target = Buffer.alloc(2);
    expect(await source.read(target)).toBe(2);
    expect([...target]).toEqual([7, 8]);
    await pushed;
  });

  it('after end, returns the partial count and then 0', async () => {
    const source = new ChunkSource();
    const sender = (async () => {
      await source.push(bytes(1, 2, 3));
      source.end();
    })();
    const target = Buffer.alloc(8);
    expect(await source.read(target)).toBe(3);
    expect([...target.subarray(0, 3)]).toEqual([1, 2, 3]);
    expect(await source.read(Buffer.alloc(8))).toBe(0);
    expect(await source.read(Buffer.alloc(8))).toBe(0);
    await sender;
  });

  it('wakes a waiting reader with 0 when the upload ends without data', async () => {
    const source = new ChunkSource();
    const read = source.read(Buffer.alloc(4));
    await settle();
    source.end();
    expect(await read).toBe(0);
  });

  it('rejects a waiting reader when it fails', async () => {
    const source = new ChunkSource();
    const read = watch(source.read(Buffer.alloc(4)));
    await settle();
    expect(read.state).toBe('pending');
    const failure = new VaultError('CANCELLED', 'Cancelled.');
    source.fail(failure);
    await settle();
    expect(read.state).toBe('rejected');
    expect(read.error).toBe(failure);
  });

  it('rejects a waiting sender when it fails', async () => {
    const source = new ChunkSource();
    const pushed = watch(source.push(bytes(1, 2, 3)));
    await settle();
    expect(pushed.state).toBe('pending');
    const failure = new VaultError('QUORUM_FAILED', 'Only one node answered.');
    source.fail(failure);
    await settle();
    expect(pushed.state).toBe('rejected');
    expect(pushed.error).toBe(failure);
  });

  it('keeps the first failure and refuses later pushes and reads with it', async () => {
    const source = new ChunkSource();
    const first = new Error('first');
    source.fail(first);
    source.fail(new Error('second'));
    await expect(source.push(bytes(1))).rejects.toBe(first);
    await expect(source.read(Buffer.alloc(1))).rejects.toBe(first);
  });

  it('refuses a chunk pushed before the previous one is taken, and keeps the previous one intact', async () => {
    const source = new ChunkSource();
    const first = watch(source.push(bytes(1, 2)));
    const error = await source.push(bytes(3, 4)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({ code: 'INVALID_REQUEST' });
    expect((error as Error).message).toMatch(/previous one is taken/);

    const target = Buffer.alloc(2);
    expect(await source.read(target)).toBe(2);
    expect([...target]).toEqual([1, 2]);
    await settle();
    expect(first.state).toBe('resolved');
  });

  it('refuses a push after the end', async () => {
    const source = new ChunkSource();
    source.end();
    await expect(source.push(bytes(1))).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: 'This upload has already ended.' });
  });

  it('resolves an empty push at once without waiting for a reader', async () => {
    const source = new ChunkSource();
    const pushed = watch(source.push(new Uint8Array(0)));
    await settle();
    expect(pushed.state).toBe('resolved');
  });

  it('cancels a read that waits longer than the idle limit for the next chunk (a sender that went away)', async () => {
    const source = new ChunkSource(30);
    const reading = source.read(Buffer.alloc(8));
    await expect(reading).rejects.toMatchObject({ code: 'CANCELLED', message: expect.stringContaining('no bytes arrived') });
    await expect(source.push(new Uint8Array(1))).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
