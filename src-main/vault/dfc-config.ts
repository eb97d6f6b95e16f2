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

/** A server as messages name it: "DFS1 (127.0.0.1:10001)". */
export function serverLabel(server: ServerEntry): string {
  return `${server.name} (${server.host}:${server.port})`;
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
 * How much a config error tells. `full` (the CLI: a person reading their own file) quotes the wrong values and sizes.
 * `without-contents` (a UI page, for a file the user picked) names the path and the line but quotes nothing from the
 * file and gives no size. `generic` (a UI page that may have named any file) says the same for every failure, so it
 * does not tell whether the file exists, is readable, or what it holds.
 */
export type ConfigErrorDetail = 'full' | 'without-contents' | 'generic';

/**
 * Parses the classic dfc.conf: `Server DFS1 127.0.0.1:10001` lines, `Username: Alice`,
 * `Password: SimplePassword`; `#` starts a comment line, and may end a Server line after a space
 * (not a Username or Password line, where it may be part of the value). Errors name the line and the fix;
 * with `without-contents` they quote no value from the file.
 */
export function parseDfcConf(text: string, source = 'dfc.conf', detail: Exclude<ConfigErrorDetail, 'generic'> = 'full'): ClientConfig {
  const quote = detail === 'full';
  const config: ClientConfig = { servers: [] };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/^\uFEFF/, '').trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${source} line ${i + 1}`;
    const server = /^Server\s+(\S+)\s+(\S+)(?:\s+#.*)?$/i.exec(line);
    if (server) {
      const address = parseAddress(server[2]!);
      if (!address) throw new VaultError('INVALID_CONFIG', `${where}: ${quote ? `"${server[2]}"` : 'the address'} is not HOST:PORT (for example 127.0.0.1:10001).`);
      if (config.servers.some((s) => s.name === server[1])) throw new VaultError('INVALID_CONFIG', `${where}: ${quote ? `server ${server[1]}` : 'a server name'} is listed twice.`);
      const same = config.servers.find((s) => s.host.toLowerCase() === address.host.toLowerCase() && s.port === address.port);
      // Two "nodes" at one address would hold two pieces of every file on one machine: losing it could lose files.
      if (same) {
        const which = quote ? `${server[1]} has the address of ${same.name} (${server[2]})` : 'this server has the address of an earlier one';
        throw new VaultError('INVALID_CONFIG', `${where}: ${which}; every server needs its own address.`);
      }
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
        const problem = quote ? invalid : 'the username may contain only letters, digits, ".", "_", "@" and "-", at most 64 of them.';
        if (invalid) throw new VaultError('INVALID_CONFIG', `${where}: ${problem}${/\s#/.test(value) ? ' (A comment cannot follow a value; put it on a line of its own.)' : ''}`);
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

/** What a page learns when a dfc.conf it named fails in any way (`generic`). */
export function unusableConfigMessage(path: string): string {
  return `${path} could not be used as a dfc.conf: it is missing, cannot be read, or is not a dfc.conf with lines such as "Server DFS1 127.0.0.1:10001". Check the path.`;
}

/**
 * Reads and parses a dfc.conf file (a regular file of at most 64 KiB: never a device, a pipe or a huge file).
 * `detail` sets how much its errors tell (the CLI's full detail by default).
 */
export async function loadDfcConf(path: string, detail: ConfigErrorDetail = 'full'): Promise<ClientConfig> {
  if (detail !== 'generic') return readDfcConf(path, detail);
  try {
    return await readDfcConf(path, 'without-contents');
  } catch {
    // No cause kept: nothing of what went wrong is to reach the page, not even through a log of the error.
    throw new VaultError('INVALID_CONFIG', unusableConfigMessage(path));
  }
}

async function readDfcConf(path: string, detail: Exclude<ConfigErrorDetail, 'generic'>): Promise<ClientConfig> {
  const quote = detail === 'full';
  let text: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new VaultError('INVALID_CONFIG', `${path} is not a file; give the path of a dfc.conf.`);
    if (info.size > MAX_DFC_CONF_BYTES) {
      throw new VaultError('INVALID_CONFIG', `${path} is ${quote ? `${info.size} bytes, ` : ''}too large for a dfc.conf (at most ${MAX_DFC_CONF_BYTES}${quote ? '' : ' bytes'}); is it the right file?`);
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof VaultError) throw error;
    throw configReadError(path, error, quote);
  }
  return parseDfcConf(text, path, detail);
}

/** Why a dfc.conf could not be read, as a sentence that says what to do; `hint` adds how to get one when it is missing. */
export function configReadError(path: string, error: unknown, hint: boolean): VaultError {
  const code = (error as NodeJS.ErrnoException).code;
  const howToGetOne = hint ? ' Pass one with -c, or start a local cluster with "dfs-vault cluster --dir ./vault --user NAME:PASSWORD".' : '';
  const message =
    code === 'ENOENT'
      ? `Config file not found: ${path}.${howToGetOne}`
      : code === 'ENOTDIR'
        ? `Config file not found: ${path} (part of the path is a file, not a folder).`
        : code === 'EACCES' || code === 'EPERM'
          ? `Cannot read ${path}: permission denied. Run as the user it belongs to, or let yours read it (it may hold a password, so not everyone).`
          : `Cannot read ${path}: ${(error as Error).message}`;
  return new VaultError('INVALID_CONFIG', message, { cause: error });
}
