import { setTimeout as sleep } from 'node:timers/promises';
import { createPidFile, releasePidFile, removeIfStillHeldBy } from './pid-file.js';

/** How long a writer waits for another one before giving up. */
const WAIT_MS = 10_000;
const RETRY_MS = 15;

/**
 * Runs `change` while holding `<usersFile>.lock`, so the nodes sharing one users file (a local
 * cluster's four processes) never lose each other's changes in a read-modify-write. The lock file
 * holds the owner's pid; one left by a process that has exited is taken over.
 */
export async function withUsersFileLock<T>(usersFile: string, change: () => Promise<T>): Promise<T> {
  const lockPath = `${usersFile}.lock`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const holder = await createPidFile(lockPath, process.pid);
    if (!holder) break;
    if (holder.pid > 0 && !holder.alive) await removeIfStillHeldBy(lockPath, holder.pid);
    else if (Date.now() > deadline) throw new Error(`${usersFile} is locked by process ${holder.pid || '?'} for more than ${WAIT_MS / 1000} s; try again, or remove ${lockPath} if that process is gone.`);
    else await sleep(RETRY_MS);
  }
  try {
    return await change();
  } finally {
    await releasePidFile(lockPath);
  }
}
