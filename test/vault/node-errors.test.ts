import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../servers/protocol/errors.js';
import { VaultError } from '../../src-main/shared/errors.js';
import { throwIfLoginRejected, toVaultError } from '../../src-main/vault/node-pool.js';

describe('toVaultError', () => {
  it('treats a node that is busy refusing logins like one that is down, so operations go on with the others', () => {
    const busy = toVaultError(new ProtocolError('BUSY', 'Too many connections from 127.0.0.1 are waiting to log in; try again in a moment.'), 'DFS2');
    expect(busy).toMatchObject({ code: 'NODE_UNREACHABLE', message: 'DFS2: Too many connections from 127.0.0.1 are waiting to log in; try again in a moment.' });
    expect(toVaultError(new ProtocolError('TIMEOUT', 'No answer.'), 'DFS1')).toMatchObject({ code: 'NODE_UNREACHABLE' });
    expect(toVaultError(new ProtocolError('BAD_FRAME', 'Bad frame.'), 'DFS1')).toMatchObject({ code: 'PROTOCOL' });
  });
});

describe('throwIfLoginRejected', () => {
  it('throws a wrong password or two entries reaching one node, and lets an unreachable node pass', () => {
    const down = { node: 1, ok: false as const, error: new VaultError('NODE_UNREACHABLE', 'DFS2: connection refused') };
    const same = { node: 3, ok: false as const, error: new VaultError('INVALID_CONFIG', 'DFS1 and DFS4 are the same storage node') };
    const wrong = { node: 0, ok: false as const, error: new VaultError('AUTH_FAILED', 'Invalid Username/Password. Please try again.') };
    expect(() => throwIfLoginRejected([{ node: 0, ok: true, value: 1 }, down])).not.toThrow();
    expect(() => throwIfLoginRejected([down, same])).toThrow(same.error);
    expect(() => throwIfLoginRejected([down, wrong])).toThrow(wrong.error);
  });
});
