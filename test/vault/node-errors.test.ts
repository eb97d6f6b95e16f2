import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../servers/protocol/errors.js';
import { VaultError } from '../../src-main/shared/errors.js';
import { missedNodeText } from '../../src-main/shared/missed-nodes.js';
import { NodeBusyError } from '../../src-main/vault/node-busy.js';
import { throwIfNoNodeAnswered } from '../../src-main/vault/unavailable-nodes.js';
import { missedNode, throwIfLoginRejected, toVaultError } from '../../src-main/vault/node-pool.js';

describe('toVaultError', () => {
  it('gives a busy node its own code, and says it is busy and to try again in a moment, in the node\'s words once', () => {
    const crowded = toVaultError(new ProtocolError('BUSY', 'Too many connections from 127.0.0.1 are waiting to log in; try again in a moment.'), 'DFS2');
    expect(crowded).toBeInstanceOf(NodeBusyError);
    expect(crowded).toMatchObject({ code: 'NODE_BUSY', message: 'DFS2 is busy (too many connections from 127.0.0.1 are waiting to log in); try again in a moment.' });
    const locked = toVaultError(new ProtocolError('BUSY', 'The node is busy: another process has been changing its users file for a while. Try again in a moment.'), 'DFS3');
    expect(locked).toMatchObject({ code: 'NODE_BUSY', message: 'DFS3 is busy (another process has been changing its users file for a while); try again in a moment.' });
    expect(toVaultError(new ProtocolError('BUSY', 'Come back later.'))).toMatchObject({ code: 'NODE_BUSY', message: 'The node is busy (come back later); try again in a moment.' });
  });

  it('still calls a node that closed or timed out unreachable, and a bad frame a protocol error', () => {
    expect(toVaultError(new ProtocolError('TIMEOUT', 'No answer.'), 'DFS1')).toMatchObject({ code: 'NODE_UNREACHABLE' });
    expect(toVaultError(new ProtocolError('CONNECTION_CLOSED', 'Closed.'), 'DFS1')).toMatchObject({ code: 'NODE_UNREACHABLE' });
    expect(toVaultError(new ProtocolError('BAD_FRAME', 'Bad frame.'), 'DFS1')).toMatchObject({ code: 'PROTOCOL' });
  });
});

describe('missedNode', () => {
  it('names a node once with its reason, and marks a busy one as busy', () => {
    const down = missedNode('DFS2', new VaultError('NODE_UNREACHABLE', 'DFS2: connection refused'));
    expect(down).toEqual({ name: 'DFS2', busy: false, reason: 'connection refused' });
    expect(missedNodeText(down)).toBe('DFS2 (connection refused)');
    const busy = missedNode('DFS2', toVaultError(new ProtocolError('BUSY', 'The node is busy: another process has been changing its users file for a while. Try again in a moment.'), 'DFS2'));
    expect(busy).toEqual({ name: 'DFS2', busy: true, reason: 'another process has been changing its users file for a while' });
    expect(missedNodeText(busy)).toBe('DFS2 (busy: another process has been changing its users file for a while)');
  });
});

describe('throwIfLoginRejected', () => {
  it('throws a wrong password or two entries reaching one node, and lets an unreachable or busy node pass', () => {
    const down = { node: 1, ok: false as const, error: new VaultError('NODE_UNREACHABLE', 'DFS2: connection refused') };
    const busy = { node: 2, ok: false as const, error: toVaultError(new ProtocolError('BUSY', 'Too many connections; try again in a moment.'), 'DFS3') };
    const same = { node: 3, ok: false as const, error: new VaultError('INVALID_CONFIG', 'DFS1 and DFS4 are the same storage node') };
    const wrong = { node: 0, ok: false as const, error: new VaultError('AUTH_FAILED', 'Invalid Username/Password. Please try again.') };
    expect(() => throwIfLoginRejected([{ node: 0, ok: true, value: 1 }, down, busy])).not.toThrow();
    expect(() => throwIfLoginRejected([down, same])).toThrow(same.error);
    expect(() => throwIfLoginRejected([down, wrong])).toThrow(wrong.error);
  });
});

describe('throwIfNoNodeAnswered', () => {
  const servers = ['DFS1', 'DFS2'].map((name, i) => ({ name, host: '127.0.0.1', port: 10001 + i }));
  const down = (node: number, why: string) => ({ node, ok: false as const, error: new VaultError('NODE_UNREACHABLE', `${servers[node]!.name}: ${why}`) });

  it('lets any answer pass, and otherwise says in one wording for every operation why the first node failed and what to do', () => {
    expect(() => throwIfNoNodeAnswered(servers, [down(0, 'connection refused'), { node: 1, ok: true, value: [] }])).not.toThrow();
    expect(() => throwIfNoNodeAnswered(servers, [down(0, 'connection refused'), down(1, 'timed out')])).toThrow(
      expect.objectContaining({ code: 'NODE_UNREACHABLE', message: 'No storage node is reachable (DFS1: connection refused). Start the nodes or check the addresses in dfc.conf.' }),
    );
  });

  it('says a node is busy and to try again in a moment when one was, rather than to start the nodes', () => {
    const busy = { node: 1, ok: false as const, error: toVaultError(new ProtocolError('BUSY', 'Too many connections; try again in a moment.'), 'DFS2') };
    expect(() => throwIfNoNodeAnswered(servers, [down(0, 'connection refused'), busy])).toThrow(expect.objectContaining({ code: 'NODE_BUSY', message: expect.stringMatching(/Try again in a moment, or start the nodes that are down/) }));
  });
});
