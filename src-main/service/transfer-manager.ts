import { randomUUID } from 'node:crypto';
import { type Transfer, isFinished, isStoppable } from '../shared/app-models.js';
import { VaultError, serializeError } from '../shared/errors.js';
import { type RateSample, addSample, rateOf, secondsLeft } from './transfer-rate.js';

/** How often a running transfer's progress is announced at most. */
const PROGRESS_INTERVAL_MS = 150;
/** Transfers running at once; the rest wait their turn, in order. */
const DEFAULT_CONCURRENCY = 2;

/** What a transfer's task gets: progress reporting and a signal that fires on Cancel (never once it is committing). */
export interface TransferContext {
  readonly signal: AbortSignal;
  progress(done: number): void;
  /** Every byte is sent and the commit begins: from now on a Cancel is refused and the task's own outcome stands. */
  committing(): void;
}

interface Entry {
  transfer: Transfer;
  samples: RateSample[];
  controller: AbortController;
  lastEmit: number;
  /** Settles when the transfer has finished, whatever its outcome. */
  ended: Promise<void>;
  end: () => void;
}

/** Runs uploads and downloads with a concurrency limit, tracks their progress, speed and ETA, and cancels them. */
export class TransferManager {
  private readonly entries = new Map<string, Entry>();
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly announce: (transfer: Transfer) => void,
    private readonly concurrency = DEFAULT_CONCURRENCY,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every transfer, oldest first. */
  list(): Transfer[] {
    return [...this.entries.values()].map((e) => ({ ...e.transfer }));
  }

  /**
   * Registers a transfer and runs `task` when a slot is free. Resolves with the task's result; rejects with its error
   * (a cancel rejects with CANCELLED). The transfer ends "done" with done = size only when the task resolves.
   */
  start<T>(
    info: Pick<Transfer, 'direction' | 'path' | 'size' | 'local'>,
    task: (context: TransferContext) => Promise<T>,
  ): { id: string; result: Promise<T> } {
    const id = randomUUID();
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const entry: Entry = {
      transfer: { id, ...info, done: 0, state: 'queued', startedAt: this.now(), bytesPerSecond: 0 },
      samples: [],
      controller: new AbortController(),
      lastEmit: 0,
      ended,
      end,
    };
    this.entries.set(id, entry);
    this.emit(entry);
    return { id, result: this.run(entry, task) };
  }

  /**
   * Cancels a queued or running transfer and returns true. Finished ones are left as they are, and so are committing
   * ones: their commit may already have landed on the nodes, so only its real outcome can be reported.
   */
  cancel(id: string): boolean {
    const entry = this.entries.get(id);
    if (!entry) throw new VaultError('NOT_FOUND', 'That transfer no longer exists.');
    if (!isStoppable(entry.transfer)) return false;
    entry.controller.abort(new VaultError('CANCELLED', `The transfer of "${entry.transfer.path}" was cancelled.`));
    return true;
  }

  /** Cancels everything not yet committing (the app is quitting or the user signed out); see `commitsEnded`. */
  cancelAll(): void {
    for (const entry of this.entries.values()) if (isStoppable(entry.transfer)) entry.controller.abort(new VaultError('CANCELLED', 'Cancelled.'));
  }

  /** Settles once every transfer committing now has finished (done or failed), so its connections can be closed. */
  async commitsEnded(): Promise<void> {
    await Promise.all([...this.entries.values()].filter((e) => e.transfer.state === 'committing').map((e) => e.ended));
  }

  /** Forgets finished transfers. */
  clearFinished(): void {
    for (const [id, entry] of this.entries) if (isFinished(entry.transfer)) this.entries.delete(id);
  }

  private async run<T>(entry: Entry, task: (context: TransferContext) => Promise<T>): Promise<T> {
    const { signal } = entry.controller;
    try {
      await this.acquire(signal);
    } catch (error) {
      this.finish(entry, 'cancelled', error);
      throw error;
    }
    try {
      this.update(entry, { state: 'running' }, true);
      const context: TransferContext = {
        signal,
        progress: (done) => this.progress(entry, done),
        committing: () => this.update(entry, { state: 'committing' }, true),
      };
      // A task that resolved did its work (the file is saved, the upload committed), even if a Cancel came too late to stop it.
      const result = await task(context);
      // Set without announcing: the whole size is shown only together with the "done" state.
      entry.transfer = { ...entry.transfer, done: entry.transfer.size };
      this.finish(entry, 'done');
      return result;
    } catch (error) {
      const cancelled = signal.aborted || (error instanceof VaultError && error.code === 'CANCELLED');
      this.finish(entry, cancelled ? 'cancelled' : 'failed', error);
      throw cancelled && signal.aborted ? signal.reason : error;
    } finally {
      this.release();
    }
  }

  private progress(entry: Entry, done: number): void {
    // Never 100% before the task resolves: that is when the quorum has acknowledged (or the file is saved).
    const shown = Math.min(done, Math.max(0, entry.transfer.size - 1));
    entry.samples = addSample(entry.samples, { at: this.now(), done: shown });
    this.update(entry, { done: shown }, false);
  }

  private update(entry: Entry, change: Partial<Transfer>, force: boolean): void {
    const rate = rateOf(entry.samples);
    entry.transfer = { ...entry.transfer, ...change, bytesPerSecond: rate, secondsLeft: secondsLeft(entry.transfer.size, change.done ?? entry.transfer.done, rate) };
    if (force || this.now() - entry.lastEmit >= PROGRESS_INTERVAL_MS) this.emit(entry);
  }

  private finish(entry: Entry, state: 'done' | 'failed' | 'cancelled', error?: unknown): void {
    const { secondsLeft: _, ...rest } = entry.transfer;
    entry.transfer = { ...rest, state, finishedAt: this.now(), ...(error && state === 'failed' ? { error: serializeError(error) } : {}) };
    this.emit(entry);
    entry.end();
  }

  private emit(entry: Entry): void {
    entry.lastEmit = this.now();
    this.announce({ ...entry.transfer });
  }

  private acquire(signal: AbortSignal): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const turn = (): void => {
        signal.removeEventListener('abort', onAbort);
        this.running++;
        resolve();
      };
      const onAbort = (): void => {
        this.waiting.splice(this.waiting.indexOf(turn), 1);
        reject(signal.reason);
      };
      this.waiting.push(turn);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private release(): void {
    this.running--;
    this.waiting.shift()?.();
  }
}
