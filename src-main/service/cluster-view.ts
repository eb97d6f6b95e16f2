import type { NodeView } from '../shared/app-models.js';
import type { NodeStatus } from '../shared/models.js';
import type { ServerEntry } from '../vault/dfc-config.js';

/** What the strip is built from: the local cluster's processes, and the signed-in vault's view of its nodes. */
export interface ClusterFacts {
  /** The local cluster's nodes (empty before its first start). */
  managed: readonly ServerEntry[];
  /** Per local node: its process is alive. */
  running: readonly boolean[];
  /** Per local node: it listens. */
  listening: readonly boolean[];
  /** The signed-in vault's status of each of its nodes, if signed in. */
  statuses?: readonly NodeStatus[];
  /** The signed-in cluster is the local one. */
  signedInLocally: boolean;
}

/** The node strip: the vault's view when signed in, else the local processes, else four local nodes not yet started. */
export function nodeViews(facts: ClusterFacts): NodeView[] {
  const { managed, running, listening, statuses } = facts;
  if (statuses) {
    const local = facts.signedInLocally;
    return statuses.map((status, index) => ({ ...status, index, managed: local && index < managed.length, ...(local ? { running: running[index] ?? false } : {}) }));
  }
  if (managed.length > 0) {
    return managed.map((server, index) => ({
      name: server.name,
      address: listening[index] ? `${server.host}:${server.port}` : '',
      up: listening[index] ?? false,
      index,
      managed: true,
      running: running[index] ?? false,
    }));
  }
  return ['DFS1', 'DFS2', 'DFS3', 'DFS4'].map((name, index) => ({ name, address: '', up: false, index, managed: true, running: false }));
}
