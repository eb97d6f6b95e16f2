/** A node an operation had to go without, and why: down or failing, or up but busy (then trying again in a moment is enough). */
export interface MissedNode {
  name: string;
  /** Up, but refusing for now: another process holds its users file, or too many logins are waiting. */
  busy: boolean;
  /** What went wrong there, in the node's or the system's words. */
  reason: string;
}

/** "DFS2 (why)", or "DFS2 (busy: why)" for a busy node: one node in a list of several. */
export function missedNodeText(node: MissedNode): string {
  return `${node.name} (${node.busy ? 'busy: ' : ''}${node.reason})`;
}

/** True when every missed node was only busy: trying again in a moment is all it takes. */
export function onlyBusy(missed: readonly MissedNode[]): boolean {
  return missed.every((node) => node.busy);
}

/** When to try again after going without `missed`: "in a moment" if they were only busy, else once they can be reached. */
export function whenReachable(missed: readonly MissedNode[]): string {
  return onlyBusy(missed) ? 'in a moment' : `when ${missed.length === 1 ? 'it is' : 'they are'} reachable`;
}

/** When to run something that needs every node again after going without `missed`: "in a moment" if they were only busy. */
export function whenEveryNodeIsUp(missed: readonly MissedNode[]): string {
  return onlyBusy(missed) ? 'in a moment' : 'when every node is up';
}

/** How missedNodesClause words its groups: what a node that is not busy is called, past or present, with reasons or without. */
export interface ClauseWords {
  /** "down", "not reachable". */
  down: string;
  past?: boolean;
  /** "DFS2 (why)" rather than "DFS2". */
  reasons?: boolean;
}

/**
 * "DFS1 and DFS3 were down and DFS2 was busy", or with reasons, in the present, "DFS3 (why) is not reachable and DFS2
 * (why) is busy": the missed nodes grouped by what kept them out.
 */
export function missedNodesClause(missed: readonly MissedNode[], words: ClauseWords): string {
  const group = (nodes: readonly MissedNode[], what: string): string[] => {
    if (nodes.length === 0) return [];
    const names = nodes.map((node) => (words.reasons ? `${node.name} (${node.reason})` : node.name));
    const listed = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
    const verb = names.length === 1 ? (words.past ? 'was' : 'is') : words.past ? 'were' : 'are';
    return [`${listed} ${verb} ${what}`];
  };
  return [...group(missed.filter((node) => !node.busy), words.down), ...group(missed.filter((node) => node.busy), 'busy')].join(' and ');
}
