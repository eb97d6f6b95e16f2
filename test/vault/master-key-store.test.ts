import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WRAPPED_MASTER_KEY_BYTES, decodeWrappedMasterKey, unwrapMasterKey } from '../../src-main/vault/crypto/master-key.js';
import { MASTER_KEY_OBJECT, loadOrCreateMasterKey } from '../../src-main/vault/master-key-store.js';
import { NodePool } from '../../src-main/vault/node-pool.js';
import { flipByte, masterKeyRecordFiles } from '../helpers/stored-pieces.js';
import { TestCluster, USERS } from '../helpers/test-cluster.js';

describe('master key store', () => {
  let cluster: TestCluster;
  const pools: NodePool[] = [];
  const pool = (): NodePool => {
    const created = new NodePool(cluster.servers, { username: 'alice', password: USERS.alice, timeoutMs: 5000 });
    pools.push(created);
    return created;
  };
  const load = (p = pool()): Promise<Buffer> => loadOrCreateMasterKey(p, USERS.alice, { quorum: 3, scryptN: 2 ** 10 });
  const records = async (): Promise<Buffer[]> => {
    const outcomes = await pool().onEveryNode((client) => client.list(MASTER_KEY_OBJECT));
    return outcomes.flatMap((o) => (o.ok ? o.value.map((piece) => piece.meta) : []));
  };
  const recordFiles = (node: number): Promise<string[]> => masterKeyRecordFiles(cluster.roots[node]!);

  beforeEach(async () => {
    cluster = await TestCluster.start();
  });
  afterEach(async () => {
    for (const p of pools.splice(0)) p.close();
    await cluster.close();
  });

  it('creates a wrapped master key on every node at first login', async () => {
    const masterKey = await load();
    const stored = await records();
    expect(stored).toHaveLength(4);
    for (const record of stored) {
      expect(record).toHaveLength(WRAPPED_MASTER_KEY_BYTES);
      expect(record).toEqual(stored[0]);
    }
    expect(await unwrapMasterKey(decodeWrappedMasterKey(stored[0]!), USERS.alice)).toEqual(masterKey);
  });

  it('gives a second client with the same password the same key', async () => {
    const first = await load();
    expect(await load()).toEqual(first);
    const vault = await cluster.vault();
    await vault.mkdir('still-works');
  });

  it('keeps working when one node holds a damaged copy', async () => {
    const first = await load();
    const [file] = await recordFiles(1);
    await flipByte(file!, 30);
    expect(await load()).toEqual(first);
  });

  it('refuses clearly when no copy opens with the password', async () => {
    await load();
    for (let node = 0; node < 4; node++) for (const file of await recordFiles(node)) await flipByte(file, 30);
    await expect(load()).rejects.toMatchObject({ code: 'PROTOCOL', message: expect.stringContaining('does not open') });
  });

  it('gives a node that was down at first login its copy later', async () => {
    await cluster.stop(3);
    const first = await load();
    await cluster.restart(3);
    expect(await load()).toEqual(first);
    expect(await recordFiles(3)).toHaveLength(1);
  });
});
