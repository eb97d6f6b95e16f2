import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Vault } from '../../src-main/vault/vault.js';
import { TestCluster, USERS } from '../helpers/test-cluster.js';

describe('two dfc.conf entries that reach one node', () => {
  let cluster: TestCluster;
  beforeEach(async () => {
    cluster = await TestCluster.start();
  });
  afterEach(async () => cluster.close());

  it('are refused when signing in, naming both, though their addresses differ as text', async () => {
    const first = cluster.servers[0]!;
    // DFS4 points at DFS1's node under another name for the same machine.
    const servers = [...cluster.servers.slice(0, 3), { name: 'DFS4', host: 'localhost', port: first.port }];
    const failure = await Vault.connect({ servers, username: 'alice', password: USERS.alice, timeoutMs: 5000, scryptN: 2 ** 10 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      code: 'INVALID_CONFIG',
      message: `DFS1 (127.0.0.1:${first.port}) and DFS4 (localhost:${first.port}) are the same storage node under two addresses. Give every server in dfc.conf a node of its own: two pieces of every file must not share a machine.`,
    });
  });
});
