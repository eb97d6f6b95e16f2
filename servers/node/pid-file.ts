import { open, readFile, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long a pid file with no pid in it is taken for one its owner is still writing. */
const UNREADABLE_WAIT_MS = 500;
const RETRY_MS = 25;
/** How long lockPidFile keeps trying to take over a dead holder's file while others do the same. */
const TAKEOVER_WAIT_MS = 5000;
/** A takeover gate older than this was left by a taker that died in the middle. */
const STALE_GATE_MS = 3000;

/** Whether a process with this pid exists (one owned by another user counts). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Pid files this process created and has not released. A file naming this process's own pid is stale
 * unless it is here: a node that is pid 1 in a container has the pid of its predecessor's leftover lock.
 */
const heldHere = new Set<string>();

/** The key of `path` in heldHere: one file under any spelling of its path. */
function heldKey(path: string): string {
  return resolve(path);
}

/** Who holds a pid file that already existed: the pid written in it (0 when unreadable, as while its owner is still writing it), and whether that process lives. */
export interface PidFileHolder {
  pid: number;
  alive: boolean;
}

/**
 * Creates `path` exclusively with `pid` in it (a lock): undefined once it is ours, else who holds it.
 * Whether a dead holder's file may be taken over, or an unreadable one waited for, is the caller's call.
 */
export async function createPidFile(path: string, pid: number): Promise<PidFileHolder | undefined> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number((await readHolder(path)).trim());
    const known = Number.isInteger(holder) && holder > 0 ? holder : 0;
    const alive = known > 0 && (known === process.pid ? heldHere.has(heldKey(path)) : isProcessAlive(known));
    return { pid: known, alive };
  }
  // Ours from here, before the pid is in it: another caller in this process that reads our pid must
  // find the file held here, or it would take it for a leftover and remove it while we hold it.
  heldHere.add(heldKey(path));
  try {
    await handle.writeFile(`${pid}\n`);
    await handle.close();
  } catch (error) {
    heldHere.delete(heldKey(path));
    await handle.close().catch(() => undefined);
    await rm(path, { force: true });
    throw error;
  }
  return undefined;
}

/** Removes a pid file this process created. */
export async function releasePidFile(path: string): Promise<void> {
  heldHere.delete(heldKey(path));
  await rm(path, { force: true });
}

/** The text of a pid file: '' if it is gone (its holder let go meanwhile); a file that cannot be read is no one's to take over. */
async function readHolder(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new Error(`Cannot read the lock file ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check who holds it, then remove it.`, { cause: error });
  }
}

/** A lock held through a pid file. */
export interface PidLock {
  release(): Promise<void>;
}

/**
 * Holds `path` as a lock for `pid` as long as the process lives: the lock, or the pid of the live process
 * holding it. A file left by a process that has exited is taken over, and so is one still without a pid
 * after a moment (its owner died while writing it).
 */
export async function lockPidFile(path: string, pid: number): Promise<PidLock | { heldBy: number }> {
  let waited = 0;
  const deadline = Date.now() + TAKEOVER_WAIT_MS;
  for (;;) {
    const holder = await createPidFile(path, pid);
    if (!holder) return { release: () => releasePidFile(path) };
    if (holder.alive) return { heldBy: holder.pid };
    if (Date.now() > deadline) throw new Error(`Cannot lock ${path}: other processes keep taking it.`);
    if (holder.pid === 0 && waited < UNREADABLE_WAIT_MS) {
      await sleep(RETRY_MS);
      waited += RETRY_MS;
      continue;
    }
    await removeIfStillHeldBy(path, holder.pid);
  }
}

/**
 * Removes a dead holder's pid file unless someone took it over first. Takers go one at a time through
 * `<path>.takeover` (made exclusively; one left by a taker that died is cleared after a few seconds) and
 * remove the file only if it still names the dead holder: otherwise a second taker could delete the
 * lock the first had just made, and both would run.
 */
export async function removeIfStillHeldBy(path: string, deadPid: number): Promise<void> {
  const gate = `${path}.takeover`;
  try {
    await (await open(gate, 'wx', 0o600)).close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const since = (await stat(gate).catch(() => undefined))?.mtimeMs;
    if (since !== undefined && Date.now() - since > STALE_GATE_MS) await rm(gate, { force: true });
    await sleep(RETRY_MS);
    return;
  }
  try {
    if (Number((await readHolder(path)).trim()) === deadPid) await rm(path, { force: true });
  } finally {
    await rm(gate, { force: true });
  }
}
