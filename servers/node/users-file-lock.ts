import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPidFile, releasePidFile, removeIfStillHeldBy } from './pid-file.js';

/** How long a writer waits for another one before giving up. */
const WAIT_MS = 10_000;
const RETRY_MS = 15;

/**
 * Another live process held the users file's lock for longer than a writer waits. The message names
 * the file and the lock for the administrator; a node tells its clients only that it is busy.
 */
export class UsersFileLockedError extends Error {
  override readonly name = 'UsersFileLockedError';
  readonly code = 'USERS_FILE_LOCKED';
}

/**
 * Runs `change` while holding `<usersFile>.lock`, so the nodes sharing one users file (a local
 * cluster's four processes) never lose each other's changes in a read-modify-write. The lock file
 * holds the owner's pid; one left by a process that has exited is taken over.
 */
export async function withUsersFileLock<T>(usersFile: string, change: () => Promise<T>, options: { waitMs?: number } = {}): Promise<T> {
  // Callers in this process take turns before they touch the lock file: its takeover rules tell a leftover
  // of this pid from a live holder by bookkeeping that two callers of one process could race on (one
  // releasing while another reads the pid it is removing).
  const key = resolve(usersFile);
  const before = turns.get(key) ?? Promise.resolve();
  const mine = before.then(() => withLockFile(usersFile, change, options));
  const settled = mine.then(
    () => undefined,
    () => undefined,
  );
  turns.set(key, settled);
  void settled.then(() => {
    if (turns.get(key) === settled) turns.delete(key);
  });
  return mine;
}

/** Per users file (its absolute path): the end of the last turn this process queued for its lock. */
const turns = new Map<string, Promise<void>>();

async function withLockFile<T>(usersFile: string, change: () => Promise<T>, options: { waitMs?: number }): Promise<T> {
  const lockPath = `${usersFile}.lock`;
  const waitMs = options.waitMs ?? WAIT_MS;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const holder = await createPidFile(lockPath, process.pid);
    if (!holder) break;
    if (holder.pid > 0 && !holder.alive) await removeIfStillHeldBy(lockPath, holder.pid);
    else if (Date.now() > deadline) {
      throw new UsersFileLockedError(`${usersFile} is locked by process ${holder.pid || '?'} for more than ${waitMs / 1000} s; try again, or remove ${lockPath} if that process is gone.`);
    } else await sleep(RETRY_MS);
  }
  try {
    return await change();
  } finally {
    await releasePidFile(lockPath);
  }
}
