import { describe, expect, it } from 'vitest';
import { type TransferContext, TransferManager } from '../../src-main/service/transfer-manager.js';
import type { Transfer } from '../../src-main/shared/app-models.js';
import { VaultError } from '../../src-main/shared/errors.js';

/** A promise the test settles by hand. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise reaction run (no timers involved in what is awaited). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A manager on a hand-moved clock that records everything it announces. */
function harness(concurrency = 2) {
  const clock = { now: 1_000_000 };
  const announced: Transfer[] = [];
  const manager = new TransferManager((t) => announced.push(t), concurrency, () => clock.now);
  return { manager, announced, clock };
}

/** A task that waits for the test to finish it, exposing its context once it has started. */
function controlledTask<T = string>() {
  const gate = deferred<T>();
  const started = deferred<TransferContext>();
  let calls = 0;
  const task = (context: TransferContext): Promise<T> => {
    calls++;
    started.resolve(context);
    return gate.promise;
  };
  return { task, gate, started: started.promise, calls: () => calls };
}

const info = (path: string, size = 1000) => ({ direction: 'upload' as const, path, size });

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('transfer manager', () => {
  it('announces a new transfer as queued with nothing done', () => {
    const { manager, announced } = harness();
    const { id } = manager.start(info('a.txt'), controlledTask().task);
    expect(announced).toEqual([expect.objectContaining({ id, path: 'a.txt', direction: 'upload', size: 1000, done: 0, state: 'queued', startedAt: 1_000_000 })]);
  });

  it('resolves with the task’s result and ends done', async () => {
    const { manager } = harness();
    const work = controlledTask<{ saved: boolean }>();
    const { id, result } = manager.start(info('a.txt'), work.task);
    await work.started;
    expect(manager.list()[0]).toMatchObject({ id, state: 'running' });
    work.gate.resolve({ saved: true });
    await expect(result).resolves.toEqual({ saved: true });
    expect(manager.list()[0]).toMatchObject({ id, state: 'done', done: 1000, finishedAt: 1_000_000 });
  });

  it('runs no more tasks at once than its concurrency: the third waits until one finishes', async () => {
    const { manager } = harness(2);
    const tasks = [controlledTask(), controlledTask(), controlledTask()];
    const runs = tasks.map((t, i) => manager.start(info(`${i}.txt`), t.task));
    await settle();
    expect(tasks.map((t) => t.calls())).toEqual([1, 1, 0]);
    expect(manager.list().map((t) => t.state)).toEqual(['running', 'running', 'queued']);

    tasks[1]!.gate.resolve('second');
    await runs[1]!.result;
    await tasks[2]!.started;
    expect(tasks.map((t) => t.calls())).toEqual([1, 1, 1]);
    expect(manager.list().map((t) => t.state)).toEqual(['running', 'done', 'running']);
  });

  it('starts queued transfers in the order they were added', async () => {
    const { manager } = harness(1);
    const order: string[] = [];
    const first = controlledTask();
    manager.start(info('first'), first.task);
    const later = ['b', 'c', 'd'].map((name) =>
      manager.start(info(name), async () => {
        order.push(name);
        return name;
      }),
    );
    await first.started;
    first.gate.resolve('first');
    await Promise.all(later.map((l) => l.result));
    expect(order).toEqual(['b', 'c', 'd']);
  });

  it('cancels a queued transfer: it rejects with CANCELLED and its task never runs', async () => {
    const { manager } = harness(1);
    const blocker = controlledTask();
    const blocking = manager.start(info('blocker'), blocker.task);
    const queued = controlledTask();
    const { id, result } = manager.start(info('queued'), queued.task);

    manager.cancel(id);
    expect(await rejection(result)).toMatchObject({ code: 'CANCELLED' });
    expect(manager.list().find((t) => t.id === id)).toMatchObject({ state: 'cancelled' });
    expect(manager.list().find((t) => t.id === id)?.error).toBeUndefined();

    blocker.gate.resolve('done');
    await blocking.result;
    await settle();
    expect(queued.calls()).toBe(0);
  });

  it('gives the slot of a cancelled queued transfer to the next one in line', async () => {
    const { manager } = harness(1);
    const blocker = controlledTask();
    const blocking = manager.start(info('blocker'), blocker.task);
    const cancelled = manager.start(info('cancelled'), controlledTask().task);
    const next = controlledTask();
    manager.start(info('next'), next.task);
    manager.cancel(cancelled.id);
    await rejection(cancelled.result);

    blocker.gate.resolve('x');
    await blocking.result;
    await next.started;
    expect(next.calls()).toBe(1);
  });

  it('cancels a running transfer by aborting its signal, and it ends cancelled', async () => {
    const { manager } = harness();
    let signal: AbortSignal | undefined;
    const { id, result } = manager.start(info('a.txt'), (context) => {
      signal = context.signal;
      return new Promise((_resolve, reject) => context.signal.addEventListener('abort', () => reject(context.signal.reason)));
    });
    await settle();
    expect(signal?.aborted).toBe(false);

    manager.cancel(id);
    expect(signal?.aborted).toBe(true);
    const error = await rejection(result);
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({ code: 'CANCELLED', message: 'The transfer of "a.txt" was cancelled.' });
    const [transfer] = manager.list();
    expect(transfer).toMatchObject({ state: 'cancelled' });
    expect(transfer?.error).toBeUndefined();
  });

  it('ends done when a Cancel came too late to stop its task: what the task did stands (a saved file is not called cancelled)', async () => {
    const { manager } = harness();
    const work = controlledTask();
    const { id, result } = manager.start(info('a.txt', 10), work.task);
    await work.started;
    manager.cancel(id);
    work.gate.resolve('finished regardless');
    expect(await result).toBe('finished regardless');
    expect(manager.list()[0]).toMatchObject({ state: 'done', done: 10 });
  });

  it('ends failed with the error’s code and message when the task fails', async () => {
    const { manager } = harness();
    const { result } = manager.start(info('a.txt'), async () => {
      throw new VaultError('QUORUM_FAILED', 'Only one node took the file.');
    });
    expect(await rejection(result)).toMatchObject({ code: 'QUORUM_FAILED' });
    const [transfer] = manager.list();
    expect(transfer?.state).toBe('failed');
    expect(transfer?.error).toStrictEqual({ code: 'QUORUM_FAILED', message: 'Only one node took the file.' });
  });

  it('reports an unexpected failure as INTERNAL', async () => {
    const { manager } = harness();
    const { result } = manager.start(info('a.txt'), async () => {
      throw new TypeError('x is undefined');
    });
    await rejection(result);
    expect(manager.list()[0]?.error).toStrictEqual({ code: 'INTERNAL', message: 'x is undefined' });
  });

  it('frees the slot of a failed transfer', async () => {
    const { manager } = harness(1);
    const failing = manager.start(info('fails'), async () => {
      throw new VaultError('NODE_UNREACHABLE', 'down');
    });
    const next = controlledTask();
    manager.start(info('next'), next.task);
    await rejection(failing.result);
    await next.started;
    expect(next.calls()).toBe(1);
  });

  it('never shows the whole size before the task resolves, and shows it exactly when the state becomes done', async () => {
    const { manager, announced, clock } = harness();
    const work = controlledTask();
    const { result } = manager.start(info('a.txt', 1000), work.task);
    const context = await work.started;
    for (const done of [200, 600, 1000, 5000]) {
      clock.now += 1000;
      context.progress(done);
      expect(manager.list()[0]!.done).toBeLessThan(1000);
    }
    clock.now += 1000;
    context.committing();
    expect(manager.list()[0]!.done).toBeLessThan(1000);
    clock.now += 1000;
    work.gate.resolve('ok');
    await result;

    const whole = announced.filter((t) => t.done === 1000);
    expect(whole.map((t) => t.state)).toEqual(['done']);
    expect(announced.at(-1)).toMatchObject({ state: 'done', done: 1000 });
  });

  it('shows 0 of 0 bytes until an empty file is done', async () => {
    const { manager, announced } = harness();
    const work = controlledTask();
    const { result } = manager.start(info('empty.txt', 0), work.task);
    const context = await work.started;
    context.progress(0);
    work.gate.resolve('ok');
    await result;
    expect(announced.map((t) => [t.state, t.done])).toContainEqual(['done', 0]);
    expect(manager.list()[0]).toMatchObject({ state: 'done', done: 0, size: 0 });
  });

  it('announces the committing state', async () => {
    const { manager, announced } = harness();
    const work = controlledTask();
    manager.start(info('a.txt'), work.task);
    const context = await work.started;
    context.progress(999);
    context.committing();
    expect(announced.at(-1)).toMatchObject({ state: 'committing', done: 999 });
    expect(manager.list()[0]?.state).toBe('committing');
  });

  it('refuses a Cancel once the transfer is committing: it ends with its real outcome', async () => {
    const { manager } = harness();
    const committed = controlledTask();
    const failing = controlledTask();
    const a = manager.start(info('a.txt'), committed.task);
    const b = manager.start(info('b.txt'), failing.task);
    (await committed.started).committing();
    (await failing.started).committing();
    expect(manager.cancel(a.id)).toBe(false);
    manager.cancelAll();
    expect((await committed.started).signal.aborted).toBe(false);
    committed.gate.resolve('stored');
    failing.gate.reject(new VaultError('QUORUM_FAILED', 'Only two nodes took the file.'));
    expect(await a.result).toBe('stored');
    expect(await rejection(b.result)).toMatchObject({ code: 'QUORUM_FAILED' });
    expect(manager.list().map((t) => t.state)).toEqual(['done', 'failed']);
  });

  it('tells when the transfers committing now have ended, and not before', async () => {
    const { manager } = harness();
    const work = controlledTask();
    manager.start(info('a.txt'), work.task);
    (await work.started).committing();
    let ended = false;
    const waiting = manager.commitsEnded().then(() => (ended = true));
    await settle();
    expect(ended).toBe(false);
    work.gate.resolve('stored');
    await waiting;
    expect(manager.list()[0]?.state).toBe('done');
  });

  it('throttles progress announcements but always announces state changes', async () => {
    const { manager, announced, clock } = harness();
    const work = controlledTask();
    const { result } = manager.start(info('a.txt', 10_000), work.task);
    const context = await work.started;
    const afterRunning = announced.length;
    expect(announced.at(-1)?.state).toBe('running');

    for (let i = 1; i <= 10; i++) {
      clock.now += 10;
      context.progress(i * 100);
    }
    expect(announced.length).toBe(afterRunning);
    expect(manager.list()[0]?.done).toBe(1000);

    clock.now += 50;
    context.progress(1100);
    expect(announced.length).toBe(afterRunning + 1);
    expect(announced.at(-1)).toMatchObject({ state: 'running', done: 1100 });

    clock.now += 1;
    context.committing();
    expect(announced.at(-1)).toMatchObject({ state: 'committing' });
    clock.now += 1;
    work.gate.resolve('ok');
    await result;
    expect(announced.at(-1)).toMatchObject({ state: 'done' });
    expect(announced.map((t) => t.state)).toEqual(['queued', 'running', 'running', 'committing', 'done']);
  });

  it('reports speed and time left from the progress it is given', async () => {
    const { manager, clock } = harness();
    const work = controlledTask();
    manager.start(info('a.txt', 10_000), work.task);
    const context = await work.started;
    context.progress(0);
    clock.now += 1000;
    context.progress(2000);
    expect(manager.list()[0]).toMatchObject({ bytesPerSecond: 2000, secondsLeft: 4 });
  });

  it('drops the time left once a transfer is finished', async () => {
    const { manager, clock } = harness();
    const work = controlledTask();
    const { result } = manager.start(info('a.txt', 10_000), work.task);
    const context = await work.started;
    context.progress(0);
    clock.now += 1000;
    context.progress(2000);
    work.gate.resolve('ok');
    await result;
    expect(manager.list()[0]).not.toHaveProperty('secondsLeft');
  });

  it('refuses to cancel a transfer it does not know, with NOT_FOUND', () => {
    const { manager } = harness();
    expect(() => manager.cancel('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('leaves a finished transfer as it is when cancelled', async () => {
    const { manager } = harness();
    const { id, result } = manager.start(info('a.txt'), async () => 'ok');
    await result;
    manager.cancel(id);
    expect(manager.list()[0]?.state).toBe('done');
  });

  it('clears finished transfers but keeps running and queued ones', async () => {
    const { manager } = harness(1);
    const running = controlledTask();
    const runningId = manager.start(info('running'), running.task).id;
    const queuedId = manager.start(info('queued'), controlledTask().task).id;
    await running.started;
    const cancelled = manager.start(info('cancelled'), controlledTask().task);
    manager.cancel(cancelled.id);
    await rejection(cancelled.result);

    manager.clearFinished();
    expect(manager.list().map((t) => [t.id, t.state])).toEqual([
      [runningId, 'running'],
      [queuedId, 'queued'],
    ]);
  });

  it('cancels every unfinished transfer with cancelAll', async () => {
    const { manager } = harness(1);
    const queued = controlledTask();
    const a = manager.start(info('a'), (context) => new Promise((_resolve, reject) => context.signal.addEventListener('abort', () => reject(context.signal.reason))));
    const b = manager.start(info('b'), queued.task);
    const outcomes = Promise.all([rejection(a.result), rejection(b.result)]);
    await settle();
    manager.cancelAll();
    expect(await outcomes).toEqual([expect.objectContaining({ code: 'CANCELLED' }), expect.objectContaining({ code: 'CANCELLED' })]);
    expect(queued.calls()).toBe(0);
    expect(manager.list().map((t) => t.state)).toEqual(['cancelled', 'cancelled']);
  });

  it('lists copies, so a caller cannot change a transfer', () => {
    const { manager } = harness();
    manager.start(info('a.txt'), controlledTask().task);
    manager.list()[0]!.state = 'done';
    expect(manager.list()[0]?.state).not.toBe('done');
  });
});
