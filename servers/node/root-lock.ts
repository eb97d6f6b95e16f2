import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { lockPidFile, type PidLock } from './pid-file.js';

/**
 * Claims a node's data folder for this process (`<root>/node.pid`), so that two nodes never share one:
 * the second would take the first's writes in progress for leftovers of a crash and delete them. A lock
 * left by a process that has exited is taken over. Throws a one-line message naming the holder.
 */
export async function lockNodeRoot(root: string, pid = process.pid): Promise<PidLock> {
  await mkdir(root, { recursive: true });
  const path = join(root, 'node.pid');
  const lock = await lockPidFile(path, pid);
  if ('heldBy' in lock) {
    const { heldBy } = lock;
    throw new Error(`The data folder ${root} is in use by another node (process ${heldBy}). Stop that node or choose another --root; if process ${heldBy} is not a DFS Vault node, delete ${path}.`);
  }
  return lock;
}
