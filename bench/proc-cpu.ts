import { readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) used so far by the processes `pids`, or undefined where /proc is unavailable. */
export async function cpuSecondsOf(pids: readonly (number | undefined)[]): Promise<number | undefined> {
  let total = 0;
  for (const pid of pids) {
    if (pid === undefined) return undefined;
    const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 overall.
    const fields = text?.slice(text.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields?.[11]);
    const stime = Number(fields?.[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
    total += (utime + stime) / TICKS_PER_SECOND;
  }
  return total;
}
