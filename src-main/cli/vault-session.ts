import { resolve } from 'node:path';
import { VaultError } from '../shared/errors.js';
import { loadDfcConf } from '../vault/dfc-config.js';
import { Vault } from '../vault/vault.js';
import { type CliIo, promptPassword } from './cli-io.js';

/** Loads dfc.conf, finds the password (config, DFS_PASSWORD, prompt) and connects. */
export async function openVault(io: CliIo, configPath: string | undefined): Promise<Vault> {
  const path = resolve(io.cwd, configPath ?? 'dfc.conf');
  const config = await loadDfcConf(path);
  const username = config.username ?? io.env['DFS_USER'];
  if (!username) throw new VaultError('INVALID_CONFIG', `${path} has no "Username: NAME" line (or set DFS_USER).`);
  const password = config.password ?? io.env['DFS_PASSWORD'] ?? (await promptPassword(io, `Password for ${username}: `));
  return Vault.connect({ servers: config.servers, username, password });
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
