import type { NodeStatus } from '../src-main/shared/models.js';

/** What the node strip shows a node as: up, busy (answering, but asking to be tried again in a moment), or down. */
export function nodeState(node: Pick<NodeStatus, 'up' | 'busy'>): 'up' | 'busy' | 'down' {
  if (node.up) return 'up';
  return node.busy ? 'busy' : 'down';
}
