import type { ClientResult } from './client-result.js';

/** A client's result plus the CPU seconds its server processes (nodes or sinks) used meanwhile. */
export interface MeasuredResult extends ClientResult {
  serverCpuSeconds: number | undefined;
}

/**
 * The measured operations, in the order each round runs them (a round swaps each encrypted/unencrypted
 * pair on even rounds). The unencrypted ones are the vault client with stripes stored in clear: what
 * encryption costs is measured against them.
 */
export const OPERATIONS = ['rawUpload', 'vaultPut', 'unencryptedPut', 'rawDownload', 'vaultGet', 'unencryptedGet'] as const;

/** One measured operation. */
export type Operation = (typeof OPERATIONS)[number];

/** Best, median and worst-case figures of one operation over all rounds. */
export interface OperationSummary {
  bestSeconds: number;
  medianSeconds: number;
  bestMiBps: number;
  medianMiBps: number;
  /** Highest peak RSS of the client over all rounds, in MiB. */
  peakRssMiB: number;
  /** Whether every round's peak covers the operation alone ('operation'), or some the whole process ('lifetime'). */
  peakScope: 'operation' | 'lifetime';
  /** Most bytes received in one round. */
  maxBytesReceived: number;
  /** Median CPU seconds of the client, and of the servers (undefined without /proc). */
  medianClientCpuSeconds: number;
  medianServerCpuSeconds: number | undefined;
}

/** The median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Summarises the rounds of one operation on a `size`-byte file. */
export function summarise(results: readonly MeasuredResult[], size: number): OperationSummary {
  const seconds = results.map((r) => r.seconds);
  const bestSeconds = Math.min(...seconds);
  const medianSeconds = median(seconds);
  const mib = size / 2 ** 20;
  return {
    bestSeconds,
    medianSeconds,
    bestMiBps: mib / bestSeconds,
    medianMiBps: mib / medianSeconds,
    peakRssMiB: Math.max(...results.map((r) => r.maxRSS)) / 1024,
    peakScope: results.every((r) => r.peakScope === 'operation') ? 'operation' : 'lifetime',
    maxBytesReceived: Math.max(...results.map((r) => r.bytesReceived)),
    medianClientCpuSeconds: median(results.map((r) => r.cpuSeconds)),
    medianServerCpuSeconds: results.every((r) => r.serverCpuSeconds !== undefined) ? median(results.map((r) => r.serverCpuSeconds!)) : undefined,
  };
}
