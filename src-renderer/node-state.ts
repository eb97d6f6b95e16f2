import type { NodeStatus } from '../src-main/shared/models.js';

/** What the node strip shows a node as: up, busy (answering, but asking to be tried again in a moment), or down. */
export function nodeState(node: Pick<NodeStatus, 'up' | 'busy'>): 'up' | 'busy' | 'down' {
  if (node.up) return 'up';
  return node.busy ? 'busy' : 'down';
}

/** The strip's summary, "3/4 up", naming the nodes that are busy rather than down: "2/4 up, 1 busy". */
export function nodesSummary(nodes: ReadonlyArray<Pick<NodeStatus, 'up' | 'busy'>>): string {
  const states = nodes.map(nodeState);
  const busy = states.filter((state) => state === 'busy').length;
  return `${states.filter((state) => state === 'up').length}/${nodes.length} up${busy > 0 ? `, ${busy} busy` : ''}`;
}
