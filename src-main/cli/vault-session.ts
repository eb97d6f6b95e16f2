import { resolve } from 'node:path';
import { VaultError } from '../shared/errors.js';
import { type ServerEntry, loadDfcConf, serverLabel } from '../vault/dfc-config.js';
import { SLOW_LOGIN_NOTICE_MS } from '../vault/node-pool.js';
import { Vault } from '../vault/vault.js';
import { type CliIo, promptPassword } from './cli-io.js';
import { COMMON_OPTIONS, type Command, VAULT_OPTIONS_HELP, parseCommandArgs, printHelp } from './command.js';

/** Who logs in where, from dfc.conf (and DFS_USER); `configPassword` is its "Password:" line, if any. */
export interface CliLogin {
  configPath: string;
  servers: ServerEntry[];
  username: string;
  configPassword?: string;
}

/** Loads dfc.conf (./dfc.conf unless given) and the username. */
export async function loadLogin(io: CliIo, configPath: string | undefined): Promise<CliLogin> {
  const path = resolve(io.cwd, configPath ?? 'dfc.conf');
  const config = await loadDfcConf(path);
  const username = config.username ?? io.env['DFS_USER'];
  if (!username) throw new VaultError('INVALID_CONFIG', `${path} has no "Username: NAME" line (or set DFS_USER).`);
  return { configPath: path, servers: config.servers, username, ...(config.password !== undefined ? { configPassword: config.password } : {}) };
}

/** The login's password: dfc.conf, else DFS_PASSWORD, else a prompt. */
export async function passwordOf(io: CliIo, login: CliLogin, question = `Password for ${login.username}: `): Promise<string> {
  return login.configPassword ?? io.env['DFS_PASSWORD'] ?? (await promptPassword(io, question, { what: 'password', otherwise: `put "Password: ..." in ${login.configPath} or set DFS_PASSWORD` }));
}

/** Loads dfc.conf, finds the password (config, DFS_PASSWORD, prompt) and connects. */
export async function openVault(io: CliIo, configPath: string | undefined): Promise<Vault> {
  const login = await loadLogin(io, configPath);
  return Vault.connect({ servers: login.servers, username: login.username, password: await passwordOf(io, login), onSlowNode: slowNodeNotice(io) });
}

/**
 * Says once per node, on stderr, that a node is slow to answer: a stopped or overloaded node otherwise holds a
 * command silent until its timeout.
 */
export function slowNodeNotice(io: CliIo): (server: ServerEntry, waitingUpToMs: number) => void {
  const told = new Set<string>();
  return (server, waitingUpToMs) => {
    if (told.has(server.name)) return;
    told.add(server.name);
    io.stderr.write(`${serverLabel(server)} has not answered for ${SLOW_LOGIN_NOTICE_MS / 1000} s; waiting up to ${waitingUpToMs / 1000} s before counting it as down.\n`);
  };
}

/** Runs `fn` with a connected vault and always closes it. */
export async function withVault<T>(io: CliIo, configPath: string | undefined, fn: (vault: Vault) => Promise<T>): Promise<T> {
  const vault = await openVault(io, configPath);
  try {
    return await fn(vault);
  } finally {
    vault.close();
  }
}

/** A command that takes no arguments and works on the account of dfc.conf's user (passwd, recovery-key, recover). */
export function accountCommand(spec: { name: string; summary: string; usage: string; run: (login: CliLogin, io: CliIo) => Promise<number> }): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: `${spec.usage}\n\nOptions:\n${VAULT_OPTIONS_HELP}`,
    async run(args, io) {
      const { values } = parseCommandArgs(args, COMMON_OPTIONS, { min: 0, max: 0, names: '' });
      if (values.help) return printHelp(io, this);
      return spec.run(await loadLogin(io, values.config), io);
    },
  };
}

/** After a password change: dfc.conf's "Password:" line, if any, now holds the old one. */
export function warnOfStalePasswordLine(io: CliIo, login: CliLogin): void {
  if (login.configPassword === undefined) return;
  io.stderr.write(`Note: ${login.configPath} still holds the old password on its "Password:" line; change or remove that line.\n`);
}
