import { describe, expect, it } from 'vitest';
import type { Transfer } from '../../src-main/shared/app-models.js';
import {
  activeSummary,
  addWaitingUploads,
  cancelWaiting,
  clearFinished,
  dropWaiting,
  isWaiting,
  mergeHostTransfer,
  mergeTransfer,
  mergeTransfers,
  panelOrder,
  progressPercent,
  signOutLabel,
  uploadsUnderWay,
} from '../../src-renderer/store/transfers-transitions.js';

const transfer = (id: string, patch: Partial<Transfer> = {}): Transfer => ({
  id,
  direction: 'upload',
  path: `${id}.bin`,
  size: 1000,
  done: 0,
  state: 'running',
  startedAt: 1,
  bytesPerSecond: 0,
  ...patch,
});

describe('transfer transitions', () => {
  it('adds a new transfer and replaces a known one', () => {
    const one = mergeTransfer([], transfer('a'));
    expect(one).toHaveLength(1);
    const two = mergeTransfer(one, transfer('a', { done: 500 }));
    expect(two).toEqual([transfer('a', { done: 500 })]);
  });

  it('ignores a stale report that would revive a finished transfer', () => {
    const done = [transfer('a', { state: 'done', done: 1000 })];
    expect(mergeTransfer(done, transfer('a', { state: 'running', done: 900 }))).toBe(done);
  });

  it('merges a whole list into what events reported', () => {
    const merged = mergeTransfers([transfer('a', { state: 'done', done: 1000 })], [transfer('a'), transfer('b')]);
    expect(merged.map((t) => [t.id, t.state])).toEqual([
      ['a', 'done'],
      ['b', 'running'],
    ]);
  });

  it('shows uploads the page holds back as queued until the host reports them, one row per upload', () => {
    let list = addWaitingUploads([transfer('old', { state: 'done' })], [{ path: 'a.bin', size: 5 }, { path: 'b.bin', size: 7 }], '1', 100);
    expect(list.filter(isWaiting).map((t) => [t.path, t.state, t.size, t.done])).toEqual([
      ['a.bin', 'queued', 5, 0],
      ['b.bin', 'queued', 7, 0],
    ]);
    list = mergeHostTransfer(list, transfer('host-a', { path: 'a.bin', state: 'running' }));
    expect(list.map((t) => t.id)).toEqual(['old', 'waiting:1:1', 'host-a']);
    // A download of the same name is another transfer.
    expect(mergeHostTransfer(list, transfer('d', { path: 'b.bin', direction: 'download' })).filter(isWaiting)).toHaveLength(1);
    expect(mergeTransfers(list, [transfer('host-b', { path: 'b.bin', state: 'queued' })]).filter(isWaiting)).toEqual([]);
  });

  it('cancels a waiting upload in place, and drops the rows of a batch still waiting when it is over', () => {
    const list = addWaitingUploads(addWaitingUploads([], [{ path: 'a.bin', size: 5 }, { path: 'b.bin', size: 7 }], '1', 100), [{ path: 'c.bin', size: 1 }], '2', 200);
    const cancelled = cancelWaiting(list, 'waiting:1:0', 300);
    expect(cancelled[0]).toMatchObject({ path: 'a.bin', state: 'cancelled', finishedAt: 300 });
    expect(dropWaiting(cancelled, '1').map((t) => [t.path, t.state])).toEqual([
      ['a.bin', 'cancelled'],
      ['c.bin', 'queued'],
    ]);
  });

  it('clears done, failed and cancelled transfers', () => {
    const list = [transfer('a', { state: 'done' }), transfer('b', { state: 'failed' }), transfer('c', { state: 'cancelled' }), transfer('d', { state: 'committing' }), transfer('e', { state: 'queued' })];
    expect(clearFinished(list).map((t) => t.id)).toEqual(['d', 'e']);
  });

  it('shows 100% only once the host says done', () => {
    expect(progressPercent(transfer('a', { done: 1000, state: 'committing' }))).toBe(99);
    expect(progressPercent(transfer('a', { done: 1000, state: 'done' }))).toBe(100);
    expect(progressPercent(transfer('a', { done: 250 }))).toBe(25);
    expect(progressPercent(transfer('a', { size: 0, done: 0, state: 'done' }))).toBe(100);
    expect(progressPercent(transfer('a', { size: 0, done: 0 }))).toBe(0);
  });

  it('lists the newest first and sums what is under way', () => {
    const list = [transfer('old', { startedAt: 1, done: 100 }), transfer('new', { startedAt: 5, done: 300 }), transfer('fin', { startedAt: 3, state: 'done', done: 1000 })];
    expect(panelOrder(list).map((t) => t.id)).toEqual(['new', 'fin', 'old']);
    // "fin" ran alongside the two still under way: its bytes count as done.
    expect(activeSummary(list)).toEqual({ count: 2, done: 1400, size: 3000 });
  });

  it('never takes back the bytes done of a batch as its transfers finish one by one', () => {
    const batch = (aDone: number, bDone: number, aState: Transfer['state'] = 'running', bState: Transfer['state'] = 'running') => [
      transfer('earlier', { startedAt: 0, state: 'done', done: 1000, finishedAt: 1 }),
      transfer('a', { startedAt: 10, done: aDone, state: aState, ...(aState === 'done' ? { finishedAt: 20 } : {}) }),
      transfer('b', { startedAt: 11, done: bDone, state: bState, ...(bState === 'done' ? { finishedAt: 30 } : {}) }),
      transfer('c', { startedAt: 12, done: 0, state: 'queued' }),
    ];
    const steps = [batch(900, 500), batch(1000, 600, 'done'), batch(1000, 1000, 'done', 'done')].map(activeSummary);
    // "earlier" ended before this batch began: not part of it.
    expect(steps).toEqual([
      { count: 3, done: 1400, size: 3000 },
      { count: 2, done: 1600, size: 3000 },
      { count: 1, done: 2000, size: 3000 },
    ]);
    expect(activeSummary([transfer('x', { state: 'done', done: 1000, finishedAt: 2 })])).toEqual({ count: 0, done: 0, size: 0 });
    expect(activeSummary([transfer('x', { state: 'failed', finishedAt: 2 }), transfer('y', { startedAt: 1, done: 10 })])).toEqual({ count: 1, done: 10, size: 1000 });
  });
});

const leaving = (direction: Transfer['direction'], state: Transfer['state']): Transfer => transfer(`${direction}-${state}`, { direction, state, size: 10, done: 5 });

describe('leaving the page while uploads are under way', () => {
  it('matters only for uploads whose bytes the page still sends: queued or running, not committing, finished or downloads', () => {
    expect(uploadsUnderWay([leaving('upload', 'running')])).toBe(true);
    expect(uploadsUnderWay([leaving('upload', 'queued')])).toBe(true);
    expect(uploadsUnderWay([leaving('upload', 'committing'), leaving('upload', 'done'), leaving('upload', 'failed'), leaving('download', 'running')])).toBe(false);
  });
});

describe('the Sign out button', () => {
  it('says it is finishing uploads while signing out waits for a commit, else that it is signing out', () => {
    expect(signOutLabel(false, [leaving('upload', 'committing')])).toBe('Sign out');
    expect(signOutLabel(true, [leaving('upload', 'committing')])).toBe('Finishing uploads…');
    expect(signOutLabel(true, [leaving('upload', 'done'), leaving('download', 'running')])).toBe('Signing out…');
  });
});
