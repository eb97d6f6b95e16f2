import { readFile, stat } from 'node:fs/promises';
import { validateUsername } from '../../servers/node/user-store.js';
import { VaultError } from '../shared/errors.js';

/** One storage node named in dfc.conf. */
export interface ServerEntry {
  name: string;
  host: string;
  port: number;
}

/** The client configuration: the nodes in order, and optionally who logs in. */
export interface ClientConfig {
  servers: ServerEntry[];
  username?: string;
  password?: string;
}

/** Parses "host:port" or "[v6]:port". */
export function parseAddress(text: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text.trim());
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: (match[1] ?? match[2])!, port };
}

/**
 * Parses the classic dfc.conf: `Server DFS1 127.0.0.1:10001` lines, `Username: Alice`,
 * `Password: SimplePassword`; `#` starts a comment line, and may end a Server line after a space
 * (not a Username or Password line, where it may be part of the value). Errors name the line and the fix.
 */
export function parseDfcConf(text: string, source = 'dfc.conf'): ClientConfig {
  const config: ClientConfig = { servers: [] };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/^\uFEFF/, '').trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${source} line ${i + 1}`;
    const server = /^Server\s+(\S+)\s+(\S+)(?:\s+#.*)?$/i.exec(line);
    if (server) {
      const address = parseAddress(server[2]!);
      if (!address) throw new VaultError('INVALID_CONFIG', `${where}: "${server[2]}" is not HOST:PORT (for example 127.0.0.1:10001).`);
      if (config.servers.some((s) => s.name === server[1])) throw new VaultError('INVALID_CONFIG', `${where}: server ${server[1]} is listed twice.`);
      const same = config.servers.find((s) => s.host.toLowerCase() === address.host.toLowerCase() && s.port === address.port);
      // Two "nodes" at one address would hold two pieces of every file on one machine: losing it could lose files.
      if (same) throw new VaultError('INVALID_CONFIG', `${where}: ${server[1]} has the address of ${same.name} (${server[2]}); every server needs its own address.`);
      config.servers.push({ name: server[1]!, ...address });
      return;
    }
    const field = /^(Username|Password)\s*:\s*(.*)$/i.exec(line);
    if (field) {
      const value = field[2]!.trim();
      if (value === '') throw new VaultError('INVALID_CONFIG', `${where}: ${field[1]} is empty.`);
      if (field[1]!.toLowerCase() === 'username') {
        // Caught here, naming the line, rather than at login as a wrong password ("alice # me").
        const invalid = validateUsername(value);
        if (invalid) throw new VaultError('INVALID_CONFIG', `${where}: ${invalid}${/\s#/.test(value) ? ' (A comment cannot follow a value; put it on a line of its own.)' : ''}`);
        config.username = value;
      } else config.password = value;
      return;
    }
    // The line itself is not echoed: a wrong path could name a file of secrets, and the UI shows this message.
    throw new VaultError('INVALID_CONFIG', `${where} is not a dfc.conf line. Expected "Server NAME HOST:PORT", "Username: NAME" or "Password: PASSWORD".`);
  });
  if (config.servers.length === 0) {
    throw new VaultError('INVALID_CONFIG', `${source} names no servers. Add lines such as "Server DFS1 127.0.0.1:10001".`);
  }
  return config;
}

/** Largest dfc.conf read: a real one is a few lines; anything bigger is the wrong file. */
export const MAX_DFC_CONF_BYTES = 64 * 1024;

/** Reads and parses a dfc.conf file (a regular file of at most 64 KiB: never a device, a pipe or a huge file). */
export async function loadDfcConf(path: string): Promise<ClientConfig> {
  let text: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new VaultError('INVALID_CONFIG', `${path} is not a file; give the path of a dfc.conf.`);
    if (info.size > MAX_DFC_CONF_BYTES) throw new VaultError('INVALID_CONFIG', `${path} is ${info.size} bytes, too large for a dfc.conf (at most ${MAX_DFC_CONF_BYTES}); is it the right file?`);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof VaultError) throw error;
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new VaultError(
      'INVALID_CONFIG',
      missing ? `Config file not found: ${path}. Pass one with -c, or start a local cluster with "dfs-vault cluster --dir ./vault --user NAME:PASSWORD".` : `Cannot read ${path}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return parseDfcConf(text, path);
}
