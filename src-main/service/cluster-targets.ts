import type { ClusterTarget } from '../shared/app-models.js';
import { VaultError } from '../shared/errors.js';
import { type ServerEntry, loadDfcConf, parseAddress } from '../vault/dfc-config.js';

/** The nodes of a dfc.conf file or of typed `host:port` addresses (the local cluster is resolved by its manager). */
export async function serversOfTarget(target: Exclude<ClusterTarget, { kind: 'local' }>): Promise<ServerEntry[]> {
  if (target.kind === 'config') return (await loadDfcConf(target.path)).servers;
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
