import { type Stats, fstat } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { VaultError } from '../../shared/errors.js';
import { type CliIo, formatBytes, interruptible, progressReporter, streamSink } from '../cli-io.js';
import { COMMON_OPTIONS, VAULT_OPTIONS_HELP, type Command, parseCommandArgs, printHelp } from '../command.js';
import { withVault } from '../vault-session.js';

/** `dfs-vault get VAULT_PATH [LOCAL]` */
export const getCommand: Command = {
  name: 'get',
  summary: 'download a file (byte for byte, even with two nodes down)',
  usage: `Usage: dfs-vault get [-c dfc.conf] VAULT_PATH [LOCAL_PATH]

Downloads VAULT_PATH to LOCAL_PATH (default: its name in the current folder; a folder as
LOCAL_PATH keeps the name; "-" writes it to standard output). Reads exactly two pieces, data pieces first, and falls back to
the others if a node is down, slow or returns a damaged piece. If fewer than two good
pieces are reachable it prints "File is incomplete." and writes nothing.

Options:
${VAULT_OPTIONS_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, COMMON_OPTIONS, { min: 1, max: 2, names: 'the vault path to download' });
    if (values.help) return printHelp(io, this);
    const vaultPath = positionals[0]!;
    if (positionals[1] === '-') return getToStdout(io, values.config, vaultPath);
    const local = resolve(io.cwd, positionals[1] ?? vaultPath.replace(/\/+$/, '').split('/').pop()!);
    // /dev/stdout may be a socket, which cannot be opened by name; and the report must not mix with the bytes.
    if (await isOwnStdout(io, local)) return getToStdout(io, values.config, vaultPath, local);
    // "out/" means a folder: without one there, the download must not become a file named "out".
    if (positionals[1]?.endsWith('/')) {
      const there = await stat(local).catch(() => undefined);
      if (there && !there.isDirectory()) throw new VaultError('LOCAL_IO', `${local} is a file, not a folder; give a folder, or leave out the trailing "/" to replace that file.`);
      if (!there) throw new VaultError('LOCAL_IO', `There is no folder ${local}/; create it first, or leave out the trailing "/" to save a file by that name.`);
    }
    return withVault(io, values.config, async (vault) => {
      const progress = progressReporter(io, `Downloading ${vaultPath}`);
      const { size, savedAs } = await interruptible('nothing was saved.', (signal) => {
        // Dropping the connections ends a wait on a stalled node at once; the temp file is removed on the way out.
        signal.addEventListener('abort', () => vault.abort());
        return vault.getFile(vaultPath, local, { onProgress: progress, signal });
      }).finally(() => progress.end());
      io.stdout.write(`Saved ${vaultPath} to ${savedAs} (${formatBytes(size)}).\n`);
      return 0;
    });
  },
};

/** Whether `path` is where this process's standard output goes (/dev/stdout, /dev/fd/1, or the file it is redirected to). */
async function isOwnStdout(io: CliIo, path: string): Promise<boolean> {
  const fd = (io.stdout as { fd?: unknown }).fd;
  if (typeof fd !== 'number') return false;
  const there = await stat(path).catch(() => undefined);
  const out = await new Promise<Stats | undefined>((done) => fstat(fd, (error, info) => done(error ? undefined : info)));
  return there !== undefined && out !== undefined && there.dev === out.dev && there.ino === out.ino;
}

/** `get VAULT_PATH -` (or /dev/stdout): the file's bytes, and nothing else, on standard output; `named` is reported on stderr. */
async function getToStdout(io: CliIo, configPath: string | undefined, vaultPath: string, named?: string): Promise<number> {
  return withVault(io, configPath, async (vault) => {
    const progress = progressReporter(io, `Downloading ${vaultPath}`);
    const sink = streamSink(io.stdout);
    const write = (io.stdout as { isTTY?: boolean }).isTTY === true ? refuseBinaryOnTerminal(vaultPath, sink.write) : sink.write;
    const { size } = await interruptible('the output stops part way.', (signal) => {
      signal.addEventListener('abort', () => vault.abort());
      return vault.getStream(vaultPath, write, { onProgress: progress, signal }).catch((error: unknown) => {
        // However the cancel surfaced (dropped connections, or between stripes), one account of it.
        if (signal.aborted) throw new VaultError('CANCELLED', `The download of ${vaultPath} was cancelled; what was written to the output so far stays.`, { cause: error });
        throw error;
      });
    }).finally(() => {
      progress.end();
      sink.close();
    });
    if (named) io.stderr.write(`Saved ${vaultPath} to ${named} (${formatBytes(size)}).\n`);
    return 0;
  });
}

/** How far into a file a NUL byte marks it as binary (as curl and git look). */
const BINARY_SNIFF_BYTES = 8000;

/**
 * Passes writes on, unless the first bytes hold a NUL: a binary file sent to a terminal garbles it, so the download
 * stops before anything is written, saying how to get the bytes instead.
 */
function refuseBinaryOnTerminal(vaultPath: string, write: (parts: Buffer[]) => Promise<void>): (parts: Buffer[]) => Promise<void> {
  let sniffed = 0;
  return async (parts) => {
    for (const part of parts) {
      if (sniffed >= BINARY_SNIFF_BYTES) break;
      const head = part.subarray(0, BINARY_SNIFF_BYTES - sniffed);
      if (head.includes(0)) {
        throw new VaultError('INVALID_REQUEST', `${vaultPath} is binary and the output is a terminal, which it would garble; nothing was written. Pipe it (dfs-vault get ${vaultPath} - | …) or give a file name to save it as.`);
      }
      sniffed += head.length;
    }
    await write(parts);
  };
}
