import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { VaultError } from '../shared/errors.js';
import { whyWriteFailed } from '../vault/write-errors.js';

/** The streams and environment a command runs with (tests pass their own). */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Bad command-line usage: printed with the command's help, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The real process streams. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

// Typed ahead of a prompt (several answers arriving in one read), kept for the next prompt.
const typedAhead = new WeakMap<object, string>();

/** What a prompt asks for, and where else it can come from (`'set DFS_PASSWORD'`), for when there is no terminal. */
export interface SecretSource {
  what: string;
  otherwise: string;
}

/** Reads a secret with hidden typing on a terminal; without one, says where else it can come from. Ctrl-C cancels. */
export async function promptPassword(io: CliIo, question: string, source: SecretSource): Promise<string> {
  const { stdin, stderr } = io;
  if (!stdin.isTTY || !stdin.setRawMode) {
    throw new UsageError(`No ${source.what} given: ${source.otherwise}, or run in a terminal to be asked.`);
  }
  stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = '';
      const onData = (text: string): void => {
        for (let i = 0; i < text.length; i++) {
          const ch = text[i]!;
          if (ch === '\r' || ch === '\n') {
            stdin.off('data', onData);
            typedAhead.set(stdin, text.slice(ch === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1));
            stderr.write('\n');
            resolve(typed);
            return;
          }
          if (ch === '\u0003') {
            stdin.off('data', onData);
            stderr.write('\n');
            reject(new VaultError('CANCELLED', 'Cancelled; nothing was changed.'));
            return;
          }
          if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
          else typed += ch;
        }
      };
      stdin.on('data', onData);
      const ahead = typedAhead.get(stdin);
      typedAhead.delete(stdin);
      if (ahead) onData(ahead);
      stdin.resume();
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
  }
}

/** A new password: from `envName` if set (scripts), else typed twice; empty or differing answers are refused. */
export async function askNewPassword(io: CliIo, question: string, envName: string): Promise<string> {
  const fromEnv = io.env[envName];
  if (fromEnv) return fromEnv;
  const source = { what: 'new password', otherwise: `set ${envName}` };
  const first = await promptPassword(io, question, source);
  if (first.length === 0) throw new UsageError('The password cannot be empty; nothing was changed.');
  const again = await promptPassword(io, 'Repeat it: ', source);
  if (again !== first) throw new UsageError('The two passwords differ; nothing was changed.');
  return first;
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** "1.2 MB" style sizes (decimal units, as file managers show). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

/** "2026-03-02 13:30": an ISO time in this machine's time zone, to the minute, as `ls -l` shows it. */
export function formatLocalTime(iso: string): string {
  const t = new Date(iso);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${two(t.getMonth() + 1)}-${two(t.getDate())} ${two(t.getHours())}:${two(t.getMinutes())}`;
}

/** Pads columns so they line up. */
export function formatTable(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  // Rows with empty last cells (a folder has no size or pieces) must not end in spaces.
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

/** A progress line on stderr for terminals; silent otherwise. */
export function progressReporter(io: CliIo, label: string): ((done: number, total: number) => void) & { end(): void } {
  const tty = (io.stderr as Writable & { isTTY?: boolean }).isTTY === true;
  const started = performance.now();
  let last = 0;
  const report = Object.assign(
    (done: number, total: number) => {
      if (!tty) return;
      const now = performance.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      const speed = done / Math.max((now - started) / 1000, 0.001);
      io.stderr.write(`\r${label}  ${String(percent).padStart(3)}%  ${formatBytes(done)} of ${formatBytes(total)}  ${formatBytes(speed)}/s   `);
    },
    {
      end() {
        if (tty) io.stderr.write('\r\u001b[K');
      },
    },
  );
  return report;
}

/**
 * A download sink writing to `out` (standard output), waiting for 'drain' when it is full. A broken
 * stream (the reader of a pipe went away) fails the next write instead of crashing the process.
 */
export function streamSink(out: Writable): { write: (parts: Buffer[]) => Promise<void>; close: () => void } {
  let broken: Error | undefined;
  const onError = (error: Error): void => void (broken ??= error);
  out.on('error', onError);
  const fail = (error: Error): VaultError => new VaultError('LOCAL_IO', `Could not write to the output: ${whyWriteFailed(error)}. The download stopped part way.`, { cause: error });
  return {
    async write(parts) {
      for (const part of parts) {
        if (broken) throw fail(broken);
        if (out.write(part)) continue;
        try {
          await once(out, 'drain');
        } catch (error) {
          throw fail(error as Error);
        }
      }
      if (broken) throw fail(broken);
    },
    close: () => void out.off('error', onError),
  };
}

/**
 * Runs `work` with a signal that the first SIGINT or SIGTERM aborts (a second one ends the process as
 * usual). Whatever `work` then fails with is reported as the interruption: "Interrupted; " + `outcome`,
 * unless `work` says itself how far it got (a CANCELLED error).
 */
export async function interruptible<T>(outcome: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = (): void => {
    stopListening();
    controller.abort();
  };
  const stopListening = (): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    return await work(controller.signal);
  } catch (error) {
    if (error instanceof VaultError && error.code === 'CANCELLED') throw error;
    if (controller.signal.aborted) throw new VaultError('CANCELLED', `Interrupted; ${outcome}`, { cause: error });
    throw error;
  } finally {
    stopListening();
  }
}

/** Resolves with the name of the first SIGINT or SIGTERM (a long-running command's cue to stop). */
export function waitForSignal(): Promise<string> {
  return new Promise((resolveSignal) => {
    const stop = (signal: string): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveSignal(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
