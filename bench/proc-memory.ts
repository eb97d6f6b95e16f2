import { readFile, writeFile } from 'node:fs/promises';

/** How often a watched process's resident set is sampled. */
const SAMPLE_MS = 50;

/** Resident set now (VmRSS), its peak (VmHWM) and its file-backed part (RssFile: mapped code) of a process, in KiB; undefined without /proc. */
export async function memoryOf(pid: number): Promise<{ rssKiB: number; peakKiB: number; fileKiB: number } | undefined> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text ?? '')?.[1]);
  const [rss, peak, file] = [field('VmRSS'), field('VmHWM'), field('RssFile')];
  return Number.isFinite(rss) && Number.isFinite(peak) ? { rssKiB: rss, peakKiB: peak, fileKiB: Number.isFinite(file) ? file : 0 } : undefined;
}

/** Resets a process's VmHWM to its current RSS (Linux ≥ 4.0, our own children); false where that is not possible. */
export async function resetPeakRss(pid: number): Promise<boolean> {
  return writeFile(`/proc/${pid}/clear_refs`, '5').then(
    () => true,
    () => false,
  );
}

/** What a process's memory did while it was watched, in KiB. */
export interface MemoryWatch {
  /** RSS when watching began. */
  startKiB: number;
  /** The true peak (VmHWM after a reset) where the kernel allows the reset, else the highest sample. */
  peakKiB: number;
  /** Whether `peakKiB` is VmHWM (exact) rather than the highest 50 ms sample. */
  exactPeak: boolean;
  /** Highest RSS sampled in the first and the second half of the time watched: growth shows as second > first. */
  halvesKiB: [number, number];
}

/** Samples a process's VmRSS every 50 ms from now until `stop()`, and resets its VmHWM so the peak is this span's own. */
export async function watchMemory(pid: number): Promise<{ stop(): Promise<MemoryWatch> }> {
  const reset = await resetPeakRss(pid);
  const first = await memoryOf(pid);
  if (!first) throw new Error(`Cannot read /proc/${pid}/status; the host's memory is measured from /proc (Linux only).`);
  const startedAt = performance.now();
  const samples: Array<{ at: number; rssKiB: number }> = [{ at: startedAt, rssKiB: first.rssKiB }];
  let sampling = false;
  const timer = setInterval(() => {
    if (sampling) return;
    sampling = true;
    void memoryOf(pid)
      .then((m) => m && samples.push({ at: performance.now(), rssKiB: m.rssKiB }))
      .finally(() => (sampling = false));
  }, SAMPLE_MS);
  return {
    async stop() {
      clearInterval(timer);
      const last = await memoryOf(pid);
      const endedAt = performance.now();
      if (last) samples.push({ at: endedAt, rssKiB: last.rssKiB });
      const middle = (startedAt + endedAt) / 2;
      const highest = (list: typeof samples): number => Math.max(0, ...list.map((s) => s.rssKiB));
      const sampledPeak = highest(samples);
      const exactPeak = reset && last !== undefined;
      return {
        startKiB: first.rssKiB,
        peakKiB: exactPeak ? Math.max(last.peakKiB, sampledPeak) : sampledPeak,
        exactPeak,
        halvesKiB: [highest(samples.filter((s) => s.at <= middle)), highest(samples.filter((s) => s.at > middle))],
      };
    },
  };
}
