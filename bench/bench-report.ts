import { type MeasuredResult, OPERATIONS, type Operation, type OperationSummary, summarise } from './bench-stats.js';

/** The targets of the issue: vault vs raw throughput, client memory and GET traffic. */
export const TARGETS = { putVsRaw: 0.5, getVsRaw: 0.7, rssMiB: 128, getBytesRatio: 1.02, encryptionCost: 0.15 } as const;

/** Everything one bench run measured. */
export interface BenchResults {
  size: number;
  nodes: number;
  cores: number;
  dir: string;
  /** Which AES-GCM implementation the vault client sealed with (stripeSealing()). */
  sealing: string;
  /** Which CRC-32 computed the chunk checks (crc32Implementation()). */
  checks: string;
  /** Which kernels computed the parity (regionKernelsImplementation()). */
  erasure: string;
  rounds: Record<Operation, MeasuredResult[]>;
}

/** Derived figures: per-operation summaries, ratios and whether each target is met. */
export interface BenchVerdict {
  summary: Record<Operation, OperationSummary>;
  putVsRaw: { best: number; median: number };
  getVsRaw: { best: number; median: number };
  getBytesRatio: number;
  vaultPeakRssMiB: number;
  /** Throughput lost to encryption: 1 − encrypted MiB/s ÷ unencrypted MiB/s, for the best and the median rounds. */
  encryptionCost: { put: { best: number; median: number }; get: { best: number; median: number } };
  targets: { put: boolean; get: boolean; rss: boolean; getBytes: boolean; encryption: boolean };
}

/** Computes the summaries and judges the targets (throughput ratios on the median round). */
export function judge(results: BenchResults): BenchVerdict {
  const { size, rounds } = results;
  const summary = {
    rawUpload: summarise(rounds.rawUpload, size),
    vaultPut: summarise(rounds.vaultPut, size),
    unencryptedPut: summarise(rounds.unencryptedPut, size),
    rawDownload: summarise(rounds.rawDownload, size),
    vaultGet: summarise(rounds.vaultGet, size),
    unencryptedGet: summarise(rounds.unencryptedGet, size),
  };
  const costOf = (encrypted: OperationSummary, unencrypted: OperationSummary): { best: number; median: number } => ({
    best: 1 - encrypted.bestMiBps / unencrypted.bestMiBps,
    median: 1 - encrypted.medianMiBps / unencrypted.medianMiBps,
  });
  const encryptionCost = { put: costOf(summary.vaultPut, summary.unencryptedPut), get: costOf(summary.vaultGet, summary.unencryptedGet) };
  const putVsRaw = { best: summary.vaultPut.bestMiBps / summary.rawUpload.bestMiBps, median: summary.vaultPut.medianMiBps / summary.rawUpload.medianMiBps };
  const getVsRaw = { best: summary.vaultGet.bestMiBps / summary.rawDownload.bestMiBps, median: summary.vaultGet.medianMiBps / summary.rawDownload.medianMiBps };
  const getBytesRatio = summary.vaultGet.maxBytesReceived / size;
  const vaultPeakRssMiB = Math.max(summary.vaultPut.peakRssMiB, summary.vaultGet.peakRssMiB);
  return {
    summary,
    putVsRaw,
    getVsRaw,
    getBytesRatio,
    vaultPeakRssMiB,
    encryptionCost,
    targets: {
      encryption: encryptionCost.put.median <= TARGETS.encryptionCost && encryptionCost.get.median <= TARGETS.encryptionCost,
      put: putVsRaw.median >= TARGETS.putVsRaw,
      get: getVsRaw.median >= TARGETS.getVsRaw,
      rss: vaultPeakRssMiB <= TARGETS.rssMiB,
      getBytes: getBytesRatio <= TARGETS.getBytesRatio,
    },
  };
}

/** A byte count as GiB, MiB or KiB with two decimals, or plain bytes. */
export function formatSize(bytes: number): string {
  const units: Array<[number, string]> = [
    [2 ** 30, 'GiB'],
    [2 ** 20, 'MiB'],
    [2 ** 10, 'KiB'],
  ];
  for (const [scale, name] of units) if (bytes >= scale) return `${(bytes / scale).toFixed(2)} ${name}`;
  return `${bytes} B`;
}

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  return rows
    .map((row) => row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('   ').trimEnd())
    .join('\n');
}

const mark = (ok: boolean): string => (ok ? '✔' : '✘ MISSED');

const percent = (cost: { best: number; median: number }, runs: number): string =>
  `${(cost.median * 100).toFixed(1)}%${runs > 1 ? ` (${(cost.best * 100).toFixed(1)}%)` : ''}`;

/** The human-readable report: the table, the GET traffic, the targets and how to read them. */
export function renderReport(results: BenchResults, verdict: BenchVerdict, runs: number): string {
  const { summary } = verdict;
  const labels: Record<Operation, string> = {
    rawUpload: 'raw upload',
    vaultPut: 'vault PUT',
    unencryptedPut: 'vault PUT unencrypted',
    rawDownload: 'raw download',
    vaultGet: 'vault GET',
    unencryptedGet: 'vault GET unencrypted',
  };
  const ratioOf: Partial<Record<Operation, { best: number; median: number }>> = { vaultPut: verdict.putVsRaw, vaultGet: verdict.getVsRaw };
  const s = (n: number): string => n.toFixed(2);
  const x = (n: number): string => `${n.toFixed(2)}×`;
  const rows: string[][] =
    runs === 1
      ? [['operation', 'seconds', 'MiB/s', 'vs raw', 'client peak RSS', 'CPU s client/servers']]
      : [['operation', 'best s', 'median s', 'best MiB/s', 'median MiB/s', 'vs raw (best)', 'vs raw (median)', 'client peak RSS (max)', 'CPU s client/servers (median)']];
  for (const op of OPERATIONS) {
    const o = summary[op];
    const ratio = ratioOf[op];
    // A '*' marks a peak over the child's whole life (no /proc to reset it), login included.
    const rss = `${Math.round(o.peakRssMiB)} MiB${o.peakScope === 'lifetime' ? '*' : ''}`;
    const cpu = `${s(o.medianClientCpuSeconds)} / ${o.medianServerCpuSeconds === undefined ? '?' : s(o.medianServerCpuSeconds)}`;
    if (runs === 1) rows.push([labels[op], s(o.bestSeconds), o.bestMiBps.toFixed(1), ratio ? x(ratio.best) : '', rss, cpu]);
    else rows.push([labels[op], s(o.bestSeconds), s(o.medianSeconds), o.bestMiBps.toFixed(1), o.medianMiBps.toFixed(1), ratio ? x(ratio.best) : '', ratio ? x(ratio.median) : '', rss, cpu]);
  }
  const t = verdict.targets;
  return [
    `DFS Vault benchmark — ${formatSize(results.size)} file, ${results.nodes} nodes (2 data + 2 parity), ${results.cores} CPU cores${runs > 1 ? `, ${runs} rounds` : ''}`,
    pad(rows),
    `GET bytes received: ${verdict.getBytesRatio.toFixed(4)}× file size`,
    `encryption cost${runs > 1 ? ' (median round; best in brackets)' : ''}: PUT ${percent(verdict.encryptionCost.put, runs)}, GET ${percent(verdict.encryptionCost.get, runs)} of the unencrypted throughput`,
    `stripes sealed with ${results.sealing}; chunk checks computed with ${results.checks}; parity computed with ${results.erasure}`,
    `targets${runs > 1 ? ' (median round)' : ''}: PUT ≥ ${TARGETS.putVsRaw}× raw ${mark(t.put)} | GET ≥ ${TARGETS.getVsRaw}× raw ${mark(t.get)} | RSS ≤ ${TARGETS.rssMiB} MiB ${mark(t.rss)} | GET bytes ≤ ${TARGETS.getBytesRatio}× ${mark(t.getBytes)} | encryption ≤ ${TARGETS.encryptionCost * 100}% ${mark(t.encryption)}`,
    '',
    'notes: MiB/s counts file bytes. Raw moves the file once (4 quarter-stripes to 4 sinks); vault PUT',
    '  sends and stores 2× (2 data + 2 parity pieces of half the file each). Every write is fsynced',
    '  before it counts as done (sink and node acks; the GET/download output file), and raw and',
    '  vault alike flush in the background every 16 MiB while writing. The disk is',
    '  synced before each operation. CPU s: user + system seconds of the client process and of the',
    `  4 server processes (nodes or sinks) during the operation; the machine has ${results.cores} cores.`,
    `  All files are on the same disk, under ${results.dir}.`,
    '  Page caches cannot be dropped here, so reads hit a warm cache for raw and vault alike.',
    '  Each round runs raw upload, vault PUT, raw download, vault GET in that order, each vault',
    '  operation paired with the same client storing stripes in clear ("unencrypted", its own file;',
    '  the pair swaps order every other round). Encryption cost = 1 − encrypted ÷ unencrypted MiB/s.',
    '  Each download starts right after the previous output (a same-size ballast file before the first) is deleted.',
    '  Times exclude process start and login; every output is SHA-256 verified against the input.',
    '  Client peak RSS is that of the transfer alone: each client child resets its high-water mark',
    '  (VmHWM, via /proc/self/clear_refs) once connected and logged in (the vault login runs scrypt,',
    '  128 MiB) and reports VmHWM when done; it still counts the RSS already held then (Node itself,',
    '  the open connections). A peak marked * could not be reset (no /proc) and is the process\'s',
    '  lifetime maxRSS, login included.',
  ].join('\n');
}
