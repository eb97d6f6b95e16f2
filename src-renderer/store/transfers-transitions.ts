import { type Transfer, type TransferState, isFinished, isStoppable } from '../../src-main/shared/app-models.js';

export { isFinished };

/**
 * Applies one `transfer.changed` report. A report that would bring a finished transfer back to an
 * active state is stale (events and `transfers.list()` can cross) and is ignored.
 */
export function mergeTransfer(list: readonly Transfer[], update: Transfer): Transfer[] {
  const at = list.findIndex((t) => t.id === update.id);
  if (at < 0) return [...list, update];
  const current = list[at] as Transfer;
  if (isFinished(current) && !isFinished(update)) return list as Transfer[];
  const next = [...list];
  next[at] = update;
  return next;
}

/** Ids of uploads the page still holds back (not yet handed to the host) start with this. */
const WAITING_PREFIX = 'waiting:';

/** True for an upload the page holds back until a slot is free: the host does not know it yet. */
export function isWaiting(transfer: Pick<Transfer, 'id'>): boolean {
  return transfer.id.startsWith(WAITING_PREFIX);
}

/** Shows uploads the page is about to send as queued rows until the host reports them (ids: `waiting:<key>:<n>`). */
export function addWaitingUploads(list: readonly Transfer[], items: ReadonlyArray<{ path: string; size: number }>, key: string, now: number): Transfer[] {
  const waiting = items.map(({ path, size }, n): Transfer => ({ id: `${WAITING_PREFIX}${key}:${n}`, direction: 'upload', path, size, done: 0, state: 'queued', startedAt: now, bytesPerSecond: 0 }));
  return [...list, ...waiting];
}

/** Applies a host report, which takes the place of the waiting row of the same upload. */
export function mergeHostTransfer(list: readonly Transfer[], update: Transfer): Transfer[] {
  const waitingRow = update.direction === 'upload' ? list.find((t) => isWaiting(t) && t.state === 'queued' && t.path === update.path) : undefined;
  return mergeTransfer(waitingRow ? list.filter((t) => t !== waitingRow) : list, update);
}

/** A waiting upload the user cancelled before its turn. */
export function cancelWaiting(list: readonly Transfer[], id: string, now: number): Transfer[] {
  return list.map((t) => (t.id === id && isWaiting(t) && !isFinished(t) ? { ...t, state: 'cancelled', finishedAt: now } : t));
}

/** Drops the waiting rows of batch `key` still queued once the batch is over (the host reported, or failed, the rest). */
export function dropWaiting(list: readonly Transfer[], key: string): Transfer[] {
  return list.filter((t) => !(t.id.startsWith(`${WAITING_PREFIX}${key}:`) && t.state === 'queued'));
}

/** Merges a whole `transfers.list()` answer into what events already reported. */
export function mergeTransfers(list: readonly Transfer[], updates: readonly Transfer[]): Transfer[] {
  return updates.reduce<Transfer[]>((acc, t) => mergeHostTransfer(acc, t), [...list]);
}

/** Only the transfers still under way. */
export function clearFinished(list: readonly Transfer[]): Transfer[] {
  return list.filter((t) => !isFinished(t));
}

/** The panel's order: newest first. */
export function panelOrder(list: readonly Transfer[]): Transfer[] {
  return [...list].sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? -1 : 1));
}

/** Percent shown in a progress bar: 100 only once the host says done (the quorum committed), else at most 99. */
export function progressPercent(transfer: Pick<Transfer, 'state' | 'done' | 'size'>): number {
  if (transfer.state === 'done') return 100;
  if (transfer.size <= 0) return 0;
  return Math.max(0, Math.min(99, Math.floor((transfer.done / transfer.size) * 100)));
}

/**
 * The transfers of the stretch of work still going on: those under way, and those that ran alongside them (or
 * alongside those, and so on) since the last moment nothing was under way. None once everything has finished.
 */
function currentStretch(list: readonly Transfer[]): Transfer[] {
  let stretch: Transfer[] = [];
  let busyUntil = -Infinity;
  for (const t of [...list].sort((a, b) => a.startedAt - b.startedAt)) {
    // Nothing was under way between the stretch so far and this transfer: an earlier stretch, over.
    if (t.startedAt > busyUntil) stretch = [];
    stretch.push(t);
    busyUntil = Math.max(busyUntil, isFinished(t) ? (t.finishedAt ?? t.startedAt) : Infinity);
  }
  return busyUntil === Infinity ? stretch : [];
}

/**
 * How many transfers are under way, and the bytes done / total of the work they are part of. Those that finished
 * meanwhile still count (all their bytes done), so the total does not go backwards each time one of them ends;
 * failed and cancelled ones drop out, their bytes never to arrive.
 */
export function activeSummary(list: readonly Transfer[]): { count: number; done: number; size: number } {
  let count = 0;
  let done = 0;
  let size = 0;
  for (const t of currentStretch(list)) {
    if (t.state === 'failed' || t.state === 'cancelled') continue;
    if (!isFinished(t)) count += 1;
    done += t.state === 'done' ? t.size : t.done;
    size += t.size;
  }
  return { count, done, size };
}

const STATE_WORDS: Record<TransferState, string> = {
  queued: 'Queued',
  running: 'Running',
  committing: 'Committing',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** The state as a word for the panel. */
export function transferStateText(state: TransferState): string {
  return STATE_WORDS[state];
}

/** True while uploads are still sending: in the browser, this page sends their bytes, so leaving it ends them (not a commit, which the host finishes). */
export function uploadsUnderWay(transfers: readonly Transfer[]): boolean {
  return transfers.some((t) => t.direction === 'upload' && isStoppable(t));
}

/** The Sign out button's words: while signing out waits for uploads that are committing (up to 10 s), it says so. */
export function signOutLabel(signingOut: boolean, transfers: readonly Transfer[]): string {
  if (!signingOut) return 'Sign out';
  return transfers.some((t) => t.direction === 'upload' && t.state === 'committing') ? 'Finishing uploads…' : 'Signing out…';
}
