import { memoryOf, resetPeakRss } from './proc-memory.js';

/** What a measured client child process reports on its last stdout line. */
export interface ClientResult {
  /** Seconds the operation took, from the first byte of work to durable completion. */
  seconds: number;
  /**
   * Peak resident set size of the child, in KiB: during the operation alone (VmHWM after the child reset its
   * high-water mark once connected and logged in, `peakScope` 'operation'), or where Linux's /proc is not
   * available, over the child's whole life (`process.resourceUsage().maxRSS`, `peakScope` 'lifetime').
   */
  maxRSS: number;
  /** What `maxRSS` covers: the operation only, or the whole process including start-up and login. */
  peakScope: 'operation' | 'lifetime';
  /** Bytes the child received from the network during the operation. */
  bytesReceived: number;
  /** CPU seconds (user + system) the child spent during the operation. */
  cpuSeconds: number;
}

/** Marks the start of a measured operation: wall clock and CPU usage. */
export function startClock(): { wall: number; cpu: NodeJS.CpuUsage } {
  return { wall: performance.now(), cpu: process.cpuUsage() };
}

/** Seconds and CPU seconds since `startClock()`. */
export function readClock(start: { wall: number; cpu: NodeJS.CpuUsage }): { seconds: number; cpuSeconds: number } {
  const cpu = process.cpuUsage(start.cpu);
  return { seconds: (performance.now() - start.wall) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/**
 * Resets this process's peak RSS (VmHWM) to its RSS now, so that the peak printed later is the operation's
 * own and not that of start-up or login (scrypt alone takes 128 MiB); false where /proc does not allow it.
 */
export function resetPeakRssHere(): Promise<boolean> {
  return resetPeakRss(process.pid);
}

/**
 * Prints a child's result as one JSON line on stdout. With `peakWasReset` (resetPeakRssHere() returned true
 * at the operation's start) the peak is VmHWM, the operation's own; otherwise the process's lifetime maxRSS.
 */
export async function printClientResult(result: Omit<ClientResult, 'maxRSS' | 'peakScope'>, peakWasReset: boolean): Promise<void> {
  const memory = peakWasReset ? await memoryOf(process.pid) : undefined;
  const peak: Pick<ClientResult, 'maxRSS' | 'peakScope'> = memory
    ? { maxRSS: memory.peakKiB, peakScope: 'operation' }
    : { maxRSS: process.resourceUsage().maxRSS, peakScope: 'lifetime' };
  const line: ClientResult = { ...result, ...peak };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** Runs a client child's main function, printing its error and exiting 1 on failure. */
export function runClientMain(main: () => Promise<void>): void {
  main().then(
    () => {
      process.exitCode = 0;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}

/** Parses a child's stdout: the last non-empty line must be a ClientResult. */
export function parseClientResult(stdout: string): ClientResult {
  const last = stdout.trim().split('\n').at(-1) ?? '';
  const value = JSON.parse(last) as Partial<ClientResult>;
  const { seconds, maxRSS, bytesReceived, cpuSeconds } = value;
  const peakScope = value.peakScope === 'operation' ? 'operation' : 'lifetime';
  if (typeof seconds !== 'number' || typeof maxRSS !== 'number' || typeof bytesReceived !== 'number' || typeof cpuSeconds !== 'number') {
    throw new Error(`The client printed no result line (got "${last.slice(0, 200)}").`);
  }
  return { seconds, maxRSS, peakScope, bytesReceived, cpuSeconds };
}
