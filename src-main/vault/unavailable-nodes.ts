import { VaultError } from '../shared/errors.js';
import type { ServerEntry } from './dfc-config.js';
import { NodeBusyError } from './node-busy.js';
import { type NodeOutcome, nodeFailure } from './node-pool.js';

/** The nodes an operation had to go without, each as "DFS2 (why)": those that were busy, and the rest (down or failing). */
export interface UnavailableNodes {
  busy: string[];
  down: string[];
}

/** Sorts the failed outcomes into busy nodes and the rest. */
export function unavailableNodes(servers: readonly ServerEntry[], outcomes: readonly NodeOutcome<unknown>[]): UnavailableNodes {
  const missing: UnavailableNodes = { busy: [], down: [] };
  for (const outcome of outcomes) {
    if (outcome.ok) continue;
    const name = servers[outcome.node]!.name;
    if (outcome.error instanceof NodeBusyError) missing.busy.push(`${name} (${outcome.error.reason})`);
    else missing.down.push(nodeFailure(name, outcome.error));
  }
  return missing;
}

/** "DFS3 (why) is not reachable and DFS2 (why) is busy": who was missing, and what kept each group out. */
export function unavailableClause(missing: UnavailableNodes): string {
  const group = (nodes: string[], what: string): string[] => (nodes.length === 0 ? [] : [`${nodes.join(', ')} ${nodes.length === 1 ? 'is' : 'are'} ${what}`]);
  return [...group(missing.down, 'not reachable'), ...group(missing.busy, 'busy')].join(' and ');
}

/**
 * Throws when no node answered (a rejected login is thrown before, by throwIfLoginRejected). When none was busy, the
 * error is NODE_UNREACHABLE with `unreachable` as its message; otherwise NODE_BUSY, saying which nodes were busy and
 * to try again in a moment: one of them free again is enough.
 */
export function throwIfNoNodeAnswered(servers: readonly ServerEntry[], outcomes: readonly NodeOutcome<unknown>[], unreachable: string): void {
  if (outcomes.some((o) => o.ok)) return;
  const missing = unavailableNodes(servers, outcomes);
  if (missing.busy.length === 0) throw new VaultError('NODE_UNREACHABLE', unreachable);
  const orStart = missing.down.length > 0 ? ', or start the nodes that are down (or check the addresses in dfc.conf)' : '';
  throw new VaultError('NODE_BUSY', `No storage node can answer now: ${unavailableClause(missing)}. Try again in a moment${orStart}.`);
}
