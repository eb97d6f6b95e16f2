import { VaultError } from '../shared/errors.js';
import { type MissedNode, missedNodesClause, onlyBusy } from '../shared/missed-nodes.js';
import type { ServerEntry } from './dfc-config.js';
import { type NodeOutcome, missedNode, throwIfLoginRejected } from './node-pool.js';

/** The nodes whose outcome failed, each with why: busy, or down (or failing). */
export function unavailableNodes(servers: readonly ServerEntry[], outcomes: readonly NodeOutcome<unknown>[]): MissedNode[] {
  return outcomes.flatMap((o) => (o.ok ? [] : [missedNode(servers[o.node]!.name, o.error)]));
}

/** "DFS3 (why) is not reachable and DFS2 (why) is busy": who was missing, and what kept each group out. */
export function unavailableClause(missed: readonly MissedNode[]): string {
  return missedNodesClause(missed, { down: 'not reachable', reasons: true });
}

/**
 * Throws a rejected login (throwIfLoginRejected), then throws when no node answered. When none was busy, the
 * error is NODE_UNREACHABLE, with the first node's reason; otherwise NODE_BUSY, saying which nodes were busy and to
 * try again in a moment: one of them free again is enough.
 */
export function throwIfNoNodeAnswered(servers: readonly ServerEntry[], outcomes: readonly NodeOutcome<unknown>[]): void {
  throwIfLoginRejected(outcomes);
  if (outcomes.some((o) => o.ok)) return;
  const missed = unavailableNodes(servers, outcomes);
  if (!missed.some((node) => node.busy)) {
    const first = outcomes.find((o) => !o.ok);
    const why = first && !first.ok ? ` (${first.error.message})` : '';
    throw new VaultError('NODE_UNREACHABLE', `No storage node is reachable${why}. Start the nodes or check the addresses in dfc.conf.`);
  }
  const orStart = onlyBusy(missed) ? '' : ', or start the nodes that are down (or check the addresses in dfc.conf)';
  throw new VaultError('NODE_BUSY', `No storage node can answer now: ${unavailableClause(missed)}. Try again in a moment${orStart}.`);
}
