import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LocalCluster, launchCluster } from '../../servers/cluster/local-cluster.js';
import { BufferPool } from '../../servers/protocol/buffer-pool.js';
import { nativeSealer, stripeSealing } from '../../src-main/vault/crypto/stripe-seal.js';
import { loadDfcConf } from '../../src-main/vault/dfc-config.js';
import { DEFAULT_STRIPE_BYTES } from '../../src-main/vault/stripe-layout.js';
import { Vault } from '../../src-main/vault/vault.js';
import { USERS, writeTemp } from '../helpers/test-cluster.js';

const root = join(import.meta.dirname, '../..');

describe('downloads and their plaintext buffers', () => {
  // Nodes in processes of their own (from dist/, which npm test builds first): the pools spied on below are the client's alone.
  let cluster: LocalCluster;
  let dir: string;
  const data = randomBytes(6 * DEFAULT_STRIPE_BYTES + 777);
  const connect = async (): Promise<Vault> => Vault.connect({ servers: (await loadDfcConf(cluster.dfcConfPath)).servers, username: 'alice', password: USERS.alice, scryptN: 2 ** 10 });
  beforeAll(async () => {
    expect(existsSync(join(root, 'dist/servers/node/main.js')), 'dist/ is missing: run "npm run build" (npm test does)').toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'dfs-download-buffers-'));
    cluster = await launchCluster({ dir: join(dir, 'cluster'), basePort: 0, users: [{ name: 'alice', password: USERS.alice }] });
    const vault = await connect();
    await vault.putFile(await writeTemp(dir, 'six.bin', data), 'six.bin');
    vault.close();
  });
  afterAll(async () => {
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  // node:crypto returns buffers of its own; only the native addon opens into the vault's.
  const opensIntoBuffers = nativeSealer() !== undefined;
  if (!opensIntoBuffers) console.log(`buffer reuse on download not tested: stripes are opened with ${stripeSealing()}`);

  (opensIntoBuffers ? it : it.skip)('a download to a file opens seven stripes into two buffers that go round, and the file is exact', async () => {
    const vault = await connect();
    const allocations = vi.spyOn(BufferPool.prototype as unknown as { allocate: () => Buffer }, 'allocate');
    try {
      const out = join(dir, 'six.out');
      await vault.getFile('six.bin', out);
      expect((await readFile(out)).equals(data)).toBe(true);
      expect(allocations).toHaveBeenCalledTimes(2);
    } finally {
      allocations.mockRestore();
      vault.close();
    }
  });

  it('a stream to a sink that may keep its buffers (the browser host, standard output) gets new memory for every stripe', async () => {
    const vault = await connect();
    const kept: Buffer[] = [];
    try {
      await vault.getStream('six.bin', async (parts) => {
        // Held past the call, as a socket's write queue holds them: nothing may write over them later.
        kept.push(...parts);
        await new Promise((resolve) => setTimeout(resolve, 5));
      });
      expect(new Set(kept.map((part) => part.buffer)).size).toBe(kept.length);
      expect(Buffer.concat(kept).equals(data)).toBe(true);
    } finally {
      vault.close();
    }
  });
});
