import { VaultError } from '../shared/errors.js';

/**
 * A node answered BUSY: it is up, but refuses for now (too many logins from this address are waiting, or another
 * process holds its users file). An operation goes on without it exactly as without a node that is down; only the
 * advice differs: try again in a moment, nothing needs starting.
 */
export class NodeBusyError extends VaultError {
  constructor(
    /** Why, in the node's own words, without the "busy" and "try again in a moment" around them. */
    readonly reason: string,
    nodeName?: string,
    options?: { cause?: unknown },
  ) {
    super('NODE_BUSY', `${nodeName ?? 'The node'} is busy (${reason}); try again in a moment.`, options);
  }
}

/**
 * The reason in a busy node's message, to say once in the client's own sentence: "The node is busy: another process
 * has been changing its users file for a while. Try again in a moment." → "another process has been changing its
 * users file for a while". A message in other words is kept whole.
 */
export function busyReason(nodeMessage: string): string {
  const reason = nodeMessage
    .trim()
    .replace(/^the node is busy:\s*/i, '')
    .replace(/[\s.;,]*try again in a moment[.!]?$/i, '')
    .replace(/\.$/, '');
  if (reason === '') return 'it gave no reason';
  // "Too many connections…" reads as part of the sentence; an acronym ("DFS2 …") keeps its capitals.
  return /^[A-Z][a-z]/.test(reason) ? `${reason[0]!.toLowerCase()}${reason.slice(1)}` : reason;
}
