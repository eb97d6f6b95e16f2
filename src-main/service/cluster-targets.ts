import type { ClusterTarget } from '../shared/app-models.js';
import { VaultError } from '../shared/errors.js';
import { type ConfigErrorDetail, type ServerEntry, loadDfcConf, parseAddress } from '../vault/dfc-config.js';

/**
 * How a UI host lets its page name a dfc.conf: the page is not trusted with the file system, so which paths it may
 * have read, and how much a failed read tells it, are the host's to say.
 */
export interface ConfigPathPolicy {
  /** Throws unless the page may have the dfc.conf at this absolute path read (paths the service stored are not asked about). */
  authorizeConfigPath(path: string): void;
  /** `without-contents` where only files the user picked are read; `generic` where the page may name any file. */
  readonly configErrors: Exclude<ConfigErrorDetail, 'full'>;
}

/**
 * The nodes of a dfc.conf file or of typed `host:port` addresses (the local cluster is resolved by its manager).
 * A config error quotes nothing from the file unless `detail` asks for it.
 */
export async function serversOfTarget(target: Exclude<ClusterTarget, { kind: 'local' }>, detail: ConfigErrorDetail = 'without-contents'): Promise<ServerEntry[]> {
  if (target.kind === 'config') return (await loadDfcConf(target.path, detail)).servers;
  return parseAddressList(target.addresses);
}

/** Parses typed addresses (one per entry, or separated by commas, spaces or new lines) into DFS1..n. */
export function parseAddressList(entries: readonly string[]): ServerEntry[] {
  const words = entries.flatMap((entry) => entry.split(/[\s,;]+/)).filter((w) => w !== '');
  if (words.length === 0) throw new VaultError('INVALID_CONFIG', 'Type at least one node address, such as 127.0.0.1:10001.');
  return words.map((word, i) => {
    const address = parseAddress(word);
    if (!address) throw new VaultError('INVALID_CONFIG', `"${word}" is not a node address; write host:port, such as 127.0.0.1:10001.`);
    return { name: `DFS${i + 1}`, ...address };
  });
}

/** A stable name of a target, used as part of the keychain account. */
export function targetLabel(target: ClusterTarget): string {
  if (target.kind === 'local') return 'local cluster';
  if (target.kind === 'config') return target.path;
  return parseAddressList(target.addresses).map((s) => (s.host.includes(':') ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`)).join(',');
}

/** Whether two targets name the same cluster. */
export function sameTarget(a: ClusterTarget, b: ClusterTarget): boolean {
  try {
    return a.kind === b.kind && targetLabel(a) === targetLabel(b);
  } catch {
    return false;
  }
}
