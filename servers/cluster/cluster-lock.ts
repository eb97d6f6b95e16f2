import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createPidFile } from '../node/pid-file.js';

/** A held lock on a cluster folder; release it when the nodes have stopped. */
export interface ClusterLock {
  release(): Promise<void>;
}

/**
 * Claims `dir` for one launcher process (a pid file), so two apps never run two sets of nodes on the same data.
 * A lock left by a process that no longer exists is taken over. Throws, naming the holder, when it is alive.
 */
export async function lockClusterDir(dir: string, pid = process.pid): Promise<ClusterLock> {
  const path = join(dir, 'launcher.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    const holder = await createPidFile(path, pid);
    if (!holder) return { release: () => rm(path, { force: true }) };
    if (holder.alive) {
      throw new Error(`its data folder ${dir} is in use by another DFS Vault (process ${holder.pid}); quit that one first, or connect to its nodes by address`);
    }
    await rm(path, { force: true });
  }
  throw new Error(`cannot lock ${dir}`);
}
