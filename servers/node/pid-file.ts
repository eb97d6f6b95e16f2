import { open, readFile } from 'node:fs/promises';

/** Whether a process with this pid exists (one owned by another user counts). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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
  try {
    const handle = await open(path, 'wx', 0o600);
    await handle.writeFile(`${pid}\n`);
    await handle.close();
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    const known = Number.isInteger(holder) && holder > 0 ? holder : 0;
    return { pid: known, alive: known > 0 && isProcessAlive(known) };
  }
}
