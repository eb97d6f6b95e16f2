import { join } from 'node:path';
import { lockPidFile, type PidLock } from '../node/pid-file.js';

/** A held lock on a cluster folder; release it when the nodes have stopped. */
export type ClusterLock = PidLock;

/**
 * Claims `dir` for one launcher process (a pid file), so two apps never run two sets of nodes on the same data.
 * A lock left by a process that no longer exists is taken over. Throws, naming the holder, when it is alive.
 */
export async function lockClusterDir(dir: string, pid = process.pid): Promise<ClusterLock> {
  const lock = await tryLockClusterDir(dir, pid);
  if ('heldBy' in lock) {
    throw new Error(`its data folder ${dir} is in use by another DFS Vault (process ${lock.heldBy}); quit that one first, or connect to its nodes by address`);
  }
  return lock;
}

/** Claims `dir` like lockClusterDir, or says which live process holds it. */
export async function tryLockClusterDir(dir: string, pid = process.pid): Promise<ClusterLock | { heldBy: number }> {
  return lockPidFile(join(dir, 'launcher.pid'), pid);
}
