import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../servers/protocol/errors.js';
import { toVaultError } from '../../src-main/vault/node-pool.js';

describe('toVaultError', () => {
  it('treats a node that is busy refusing logins like one that is down, so operations go on with the others', () => {
    const busy = toVaultError(new ProtocolError('BUSY', 'Too many connections from 127.0.0.1 are waiting to log in; try again in a moment.'), 'DFS2');
    expect(busy).toMatchObject({ code: 'NODE_UNREACHABLE', message: 'DFS2: Too many connections from 127.0.0.1 are waiting to log in; try again in a moment.' });
    expect(toVaultError(new ProtocolError('TIMEOUT', 'No answer.'), 'DFS1')).toMatchObject({ code: 'NODE_UNREACHABLE' });
    expect(toVaultError(new ProtocolError('BAD_FRAME', 'Bad frame.'), 'DFS1')).toMatchObject({ code: 'PROTOCOL' });
  });
});
