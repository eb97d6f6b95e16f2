import { formatSize } from './bench-report.js';
import { median } from './bench-stats.js';
import type { MemoryWatch } from './proc-memory.js';

/** The browser host's measured operations, in the order each round runs them. */
export const WEB_OPERATIONS = ['webPut', 'webGet', 'webChunked'] as const;

/** One measured operation of the browser host. */
export type WebOperation = (typeof WEB_OPERATIONS)[number];

/** The same target as the client's: the host's peak RSS must not depend on the file's size. */
export const WEB_TARGETS = { hostRssMiB: 128 } as const;

/** One operation of one round: its time and what the host process did meanwhile. */
export interface WebMeasured {
  bytes: number;
  seconds: number;
  memory: MemoryWatch;
  hostCpuSeconds: number | undefined;
  serverCpuSeconds: number | undefined;
  /** CPU seconds of the bench process itself, the sender and receiver (the browser's part). */
  senderCpuSeconds: number;
}

/** Everything the browser-host section measured. */
export interface WebResults {
  /** Bytes of the streamed PUT and GET (the bench size) and of the chunked upload. */
  size: number;
  chunkedSize: number;
  chunkBytes: number;
  /** The host's RSS once signed in and serving, before any transfer, and the file-backed part of it (Node's code), in KiB. */
  idleRssKiB: number;
  idleFileKiB: number;
  /** Events the listening /api/events stream received over the whole section. */
  events: number;
  rounds: Record<WebOperation, WebMeasured[]>;
}

/** Best, median and worst-case figures of one host operation over all rounds. */
export interface WebSummary {
  bytes: number;
  bestSeconds: number;
  medianSeconds: number;
  bestMiBps: number;
  medianMiBps: number;
  /** Highest over rounds, in MiB: RSS when the operation began, its peak, and the peaks of its first and second half. */
  startRssMiB: number;
  peakRssMiB: number;
  halvesPeakRssMiB: [number, number];
  medianHostCpuSeconds: number | undefined;
  medianServerCpuSeconds: number | undefined;
  medianSenderCpuSeconds: number;
}

/** Per-operation summaries and whether the host stayed within its memory target. */
export interface WebVerdict {
  webSummary: Record<WebOperation, WebSummary>;
  hostPeakRssMiB: number;
  webTargets: { hostRss: boolean };
}

const mib = (kib: number): number => kib / 1024;

function medianOrUndefined(values: Array<number | undefined>): number | undefined {
  return values.every((v) => v !== undefined) ? median(values as number[]) : undefined;
}

function summariseWeb(results: readonly WebMeasured[]): WebSummary {
  const bytes = results[0]!.bytes;
  const seconds = results.map((r) => r.seconds);
  const bestSeconds = Math.min(...seconds);
  const medianSeconds = median(seconds);
  const most = (pick: (m: MemoryWatch) => number): number => mib(Math.max(...results.map((r) => pick(r.memory))));
  return {
    bytes,
    bestSeconds,
    medianSeconds,
    bestMiBps: bytes / 2 ** 20 / bestSeconds,
    medianMiBps: bytes / 2 ** 20 / medianSeconds,
    startRssMiB: most((m) => m.startKiB),
    peakRssMiB: most((m) => m.peakKiB),
    halvesPeakRssMiB: [most((m) => m.halvesKiB[0]), most((m) => m.halvesKiB[1])],
    medianHostCpuSeconds: medianOrUndefined(results.map((r) => r.hostCpuSeconds)),
    medianServerCpuSeconds: medianOrUndefined(results.map((r) => r.serverCpuSeconds)),
    medianSenderCpuSeconds: median(results.map((r) => r.senderCpuSeconds)),
  };
}

/** Summarises the host's rounds and judges its memory target. */
export function judgeWeb(results: WebResults): WebVerdict {
  const webSummary = {
    webPut: summariseWeb(results.rounds.webPut),
    webGet: summariseWeb(results.rounds.webGet),
    webChunked: summariseWeb(results.rounds.webChunked),
  };
  const hostPeakRssMiB = Math.max(...WEB_OPERATIONS.map((op) => webSummary[op].peakRssMiB));
  return { webSummary, hostPeakRssMiB, webTargets: { hostRss: hostPeakRssMiB <= WEB_TARGETS.hostRssMiB } };
}

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  return rows
    .map((row) => row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('   ').trimEnd())
    .join('\n');
}

/** The client's MiB/s of the same direction (median round), to compare the host with; absent when the client section did not run. */
export interface ClientSpeeds {
  put: number;
  get: number;
}

/** The browser host's part of the report: its table, its target and how to read them. */
export function renderWebReport(results: WebResults, verdict: WebVerdict, runs: number, client?: ClientSpeeds): string {
  const labels: Record<WebOperation, string> = { webPut: 'web PUT', webGet: 'web GET', webChunked: 'uploads.write' };
  const versus: Record<WebOperation, number | undefined> = { webPut: client?.put, webGet: client?.get, webChunked: client?.put };
  const s = (n: number | undefined): string => (n === undefined ? '?' : n.toFixed(2));
  const m = (n: number): string => `${Math.round(n)} MiB`;
  const rows: string[][] =
    runs === 1
      ? [['operation', 'size', 'seconds', 'MiB/s', 'vs client', 'host RSS before', 'host peak RSS', 'peak 1st / 2nd half', 'CPU s host/servers/bench']]
      : [['operation', 'size', 'best s', 'median s', 'best MiB/s', 'median MiB/s', 'vs client (median)', 'host RSS before (max)', 'host peak RSS (max)', 'peak 1st / 2nd half (max)', 'CPU s host/servers/bench (median)']];
  for (const op of WEB_OPERATIONS) {
    const o = verdict.webSummary[op];
    const base = versus[op];
    const ratio = base === undefined ? '' : `${(o.medianMiBps / base).toFixed(2)}×`;
    const memory = [m(o.startRssMiB), m(o.peakRssMiB), `${m(o.halvesPeakRssMiB[0])} / ${m(o.halvesPeakRssMiB[1])}`];
    const cpu = `${s(o.medianHostCpuSeconds)} / ${s(o.medianServerCpuSeconds)} / ${s(o.medianSenderCpuSeconds)}`;
    if (runs === 1) rows.push([labels[op], formatSize(o.bytes), s(o.bestSeconds), o.bestMiBps.toFixed(1), ratio, ...memory, cpu]);
    else rows.push([labels[op], formatSize(o.bytes), s(o.bestSeconds), s(o.medianSeconds), o.bestMiBps.toFixed(1), o.medianMiBps.toFixed(1), ratio, ...memory, cpu]);
  }
  const ok = verdict.webTargets.hostRss;
  const sampled = WEB_OPERATIONS.some((op) => results.rounds[op].some((r) => !r.memory.exactPeak));
  return [
    `Browser host (dfs-vault web, its own process) — ${formatSize(results.size)} streamed, ${formatSize(results.chunkedSize)} (a quarter) in uploads.write chunks of ${formatSize(results.chunkBytes)}`,
    pad(rows),
    `host RSS signed in and idle: ${m(mib(results.idleRssKiB))} (${m(mib(results.idleFileKiB))} of it Node's own mapped code); /api/events was listened to throughout (${results.events} events)`,
    `target: host peak RSS ≤ ${WEB_TARGETS.hostRssMiB} MiB at any size ${ok ? '✔' : '✘ MISSED'} (run two sizes to see it is flat: npm run bench -- --only web --size 256MiB, then --size 3GiB)`,
    '',
    'notes: web PUT streams the file from disk as a fetch body with its Content-Length (as a browser sends a File);',
    '  the host pipes it into the vault (uploadStream). web GET streams /api/download to a file, timed to the last',
    '  byte written (a browser does not fsync a download). uploads.write is the desktop app\'s fallback for a File',
    '  without a path: begin, one 1 MiB chunk in flight at a time, end; over HTTP each chunk is wire JSON (base64),',
    '  which Electron\'s IPC does not pay. "vs client" compares with the vault client\'s median PUT (or GET) above.',
    sampled
      ? '  Host RSS is read from /proc: VmHWM could not be reset here, so the peak is the highest 50 ms sample; "1st / 2nd half"'
      : '  Host RSS is read from /proc: the peak is VmHWM, reset (clear_refs) as each operation starts; "1st / 2nd half"',
    '  are the highest 50 ms samples of each half of the operation: growth with size would show as 2nd well above',
    '  1st (GC timing alone moves them by about 10 MiB). One host process serves every round, as `dfs-vault web`',
    '  does: after a few GiB it keeps more heap committed (V8 grows its heap; live JS stays under 10 MiB), so compare',
    '  sizes on round 1 and read later rounds as a long-running host.',
    '  CPU s: user + system seconds of the host process, of the 4 nodes and of this bench process (which plays the',
    '  browser: it reads, sends, receives and writes the bytes). Outputs are SHA-256 verified.',
  ].join('\n');
}
