import { basename, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { loadClusterSecret } from './cluster-secret.js';
import { startNode } from './node-server.js';
import { oneLogLine } from './log-line.js';
import { removeAbandonedTemps, updateVerifier } from './user-store.js';
import { watchUsersFile } from './users-file-watcher.js';

/** Usage text of the `node` command. */
export const NODE_USAGE = `Usage: dfs-vault node --root DIR --port PORT [--host ADDRESS] [--users FILE]
       dfs-vault node DIR PORT            (the classic form: dfs /DFS1 10001)

Runs one storage node. It stores opaque pieces for the users in FILE (default ./dfs.conf)
under DIR and serves them on ADDRESS:PORT (default 127.0.0.1). Stop it with Ctrl-C.

Options:
  --root DIR       data directory (created if missing)
  --port PORT      TCP port to listen on (0 picks a free one)
  --host ADDRESS   address to listen on; 0.0.0.0 serves other machines
  --users FILE     users file with SCRAM verifiers (see "dfs-vault user add"); the
                   secret FILE.secret beside it is made on first start, and nodes
                   sharing users must share it too
  --name NAME      name used in log lines (default: the data directory's name)
  --stop-with-stdin  stop when standard input closes (a launcher's pipe: the node
                   ends with the app that started it, even if that app is killed)
  -h, --help       show this help`;

/** Thrown for bad command-line usage; the CLI prints it and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses the `node` command's arguments (new and classic forms). */
export function parseNodeArgs(args: string[]): { root: string; port: number; host: string; users: string; name: string; stopWithStdin: boolean } | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        root: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        users: { type: 'string' },
        name: { type: 'string' },
        'stop-with-stdin': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, '.'));
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const root = values.root ?? positionals[0];
  const portText = values.port ?? positionals[1];
  const allowed = values.root ? 0 : values.port !== undefined ? 1 : 2;
  if (positionals.length > allowed) throw new UsageError(`Unexpected argument "${positionals.at(-1)}".`);
  if (!root) throw new UsageError('Missing --root DIR (the directory where this node keeps its data).');
  if (portText === undefined) throw new UsageError('Missing --port PORT.');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`"${portText}" is not a TCP port (0-65535).`);
  return {
    root: resolve(root),
    port,
    host: values.host ?? '127.0.0.1',
    users: resolve(values.users ?? 'dfs.conf'),
    name: values.name ?? basename(resolve(root)),
    stopWithStdin: values['stop-with-stdin'] ?? false,
  };
}

/** Runs a node until SIGINT/SIGTERM (or, with --stop-with-stdin, until stdin closes); resolves with the exit status. */
export async function runNodeCommand(args: string[], out: Writable = process.stdout, err: Writable = process.stderr, stdin: Readable = process.stdin): Promise<number> {
  const parsed = parseNodeArgs(args);
  if (parsed === 'help') {
    out.write(`${NODE_USAGE}\n`);
    return 0;
  }
  const log = (line: string): void => void err.write(`[${parsed.name}] ${oneLogLine(line)}\n`);
  const lookupUser = watchUsersFile(parsed.users, log);
  await lookupUser();
  // Only tidying: a node whose users folder it cannot write (or whose lock stays taken) still starts.
  const removedTemps = await removeAbandonedTemps(parsed.users).catch((error: unknown) => {
    log(`could not remove the temp files a crashed writer of ${parsed.users} left: ${error instanceof Error ? error.message : String(error)}`);
    return 0;
  });
  if (removedTemps > 0) log(`removed ${removedTemps} temp file(s) a crashed writer of ${parsed.users} left`);
  const mockSaltSecret = await loadClusterSecret(parsed.users);
  const node = await startNode({ root: parsed.root, port: parsed.port, host: parsed.host, lookupUser, mockSaltSecret, updateVerifier: (name, update) => updateVerifier(parsed.users, name, update), log });
  if (node.removedLeftovers > 0) log(`removed ${node.removedLeftovers} leftover piece(s) of interrupted writes`);
  // Listen for the stop signals before announcing readiness: whoever reads the line may signal at once.
  const stopped = new Promise<void>((resolveStop) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveStop();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (parsed.stopWithStdin) {
      // The launcher holds the other end of this pipe; it closes when the launcher exits, however it exits.
      stdin.on('end', stop).on('close', stop).on('error', stop).resume();
    }
  });
  out.write(`[${parsed.name}] listening on ${node.host}:${node.port}\n`);
  await stopped;
  await node.close();
  out.write(`[${parsed.name}] stopped\n`);
  return 0;
}
