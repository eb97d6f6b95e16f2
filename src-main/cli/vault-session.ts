import { resolve } from 'node:path';
import { VaultError } from '../shared/errors.js';
import { type ServerEntry, loadDfcConf } from '../vault/dfc-config.js';
import { Vault } from '../vault/vault.js';
import { type CliIo, promptPassword } from './cli-io.js';

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
  return login.configPassword ?? io.env['DFS_PASSWORD'] ?? (await promptPassword(io, question));
}

/** Loads dfc.conf, finds the password (config, DFS_PASSWORD, prompt) and connects. */
export async function openVault(io: CliIo, configPath: string | undefined): Promise<Vault> {
  const login = await loadLogin(io, configPath);
  return Vault.connect({ servers: login.servers, username: login.username, password: await passwordOf(io, login) });
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
