import { PROTOCOL_VERSION } from '../../servers/protocol/constants.js';
import { ProtocolError } from '../../servers/protocol/errors.js';
import { describeListenError } from '../../servers/node/listen-errors.js';
import { APP_VERSION } from '../service/call-handlers.js';
import { VaultError } from '../shared/errors.js';
import { type CliIo, UsageError } from './cli-io.js';
import type { Command } from './command.js';
import { checkCommand } from './commands/check-command.js';
import { clusterCommand } from './commands/cluster-command.js';
import { getCommand } from './commands/get-command.js';
import { lsCommand } from './commands/ls-command.js';
import { mkdirCommand } from './commands/mkdir-command.js';
import { nodeCommand } from './commands/node-command.js';
import { passwdCommand } from './commands/passwd-command.js';
import { putCommand } from './commands/put-command.js';
import { recoverCommand } from './commands/recover-command.js';
import { recoveryKeyCommand } from './commands/recovery-key-command.js';
import { repairCommand } from './commands/repair-command.js';
import { rmCommand } from './commands/rm-command.js';
import { userCommand } from './commands/user-command.js';
import { webCommand } from './commands/web-command.js';

/** The shell's status for a command ended by Ctrl-C (128 + SIGINT). */
const EXIT_INTERRUPTED = 130;

/** Every subcommand, in the order help lists them. */
export const COMMANDS: readonly Command[] = [
  putCommand, getCommand, lsCommand, rmCommand, mkdirCommand, checkCommand, repairCommand,
  passwdCommand, recoveryKeyCommand, recoverCommand, clusterCommand, nodeCommand, userCommand, webCommand,
];

/** The top-level help. */
export function mainUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `DFS Vault: files split into erasure-coded pieces over storage nodes; any two can be lost.

Usage: dfs-vault COMMAND [options]    (dfs-vault COMMAND --help for details; dfs-vault --version)

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Vault commands read ./dfc.conf unless -c FILE is given. The password comes from its
"Password:" line, else DFS_PASSWORD, else a prompt.
Exit status: 0 success, 1 the operation failed, 2 bad usage, 130 interrupted (Ctrl-C).`;
}

/** Turns any failure into one line for a person. */
export function describeFailure(error: unknown): string {
  if (error instanceof VaultError || error instanceof ProtocolError) return error.message;
  const listening = describeListenError(error);
  if (listening) return listening;
  const errno = error as NodeJS.ErrnoException & { hostname?: string };
  const { path } = errno;
  const fallback = error instanceof Error ? error.message : String(error);
  switch (errno.code) {
    case 'EACCES':
    case 'EPERM':
      return path ? `Permission denied: ${path}. Choose a place you may write to, or fix its permissions.` : fallback;
    case 'ENOENT':
      return path ? `${path} does not exist; check the path, or create the folder it should be in.` : fallback;
    case 'ENOTDIR':
      return path ? `${path}: part of this path is a file, not a folder; check the path.` : fallback;
    case 'EEXIST':
      if (!path) return fallback;
      return errno.syscall === 'mkdir' ? `${path} is a file, so it cannot be used as a folder; choose another path.` : `${path} already exists; choose another path.`;
    case 'ENOSPC':
      return path ? `The disk is full (writing ${path}); free some space and try again.` : `The disk is full; free some space and try again.`;
    default:
      return fallback;
  }
}

/** Runs the CLI with `args` (without node and script); resolves with the exit status. */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined) {
    // Bad usage: the help goes where errors go, so "dfs-vault | less" users and scripts see it for what it is.
    io.stderr.write(`${mainUsage()}\n`);
    return 2;
  }
  if (name === '-V' || name === '--version' || name === 'version') {
    io.stdout.write(`dfs-vault ${APP_VERSION} (protocol version ${PROTOCOL_VERSION})\n`);
    return 0;
  }
  if (name === '-h' || name === '--help' || name === 'help') {
    const about = COMMANDS.find((c) => c.name === rest[0]);
    io.stdout.write(`${about ? about.usage : mainUsage()}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`dfs-vault: unknown command "${name}".\n\n${mainUsage()}\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`dfs-vault ${name}: ${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    io.stderr.write(`${describeFailure(error)}\n`);
    return error instanceof VaultError && error.code === 'CANCELLED' ? EXIT_INTERRUPTED : 1;
  }
}
