import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { launchCluster, type LocalCluster } from '../../servers/cluster/local-cluster.js';
import { type ServerEntry, loadDfcConf } from '../../src-main/vault/dfc-config.js';
import { NodeClient } from '../../src-main/vault/node-client.js';
import { loadOrCreateMasterKey } from '../../src-main/vault/master-key-store.js';
import { NodePool } from '../../src-main/vault/node-pool.js';
import { nextVersion } from '../../src-main/vault/object-meta.js';
import { VaultCipher } from '../../src-main/vault/vault-cipher.js';
import { createErasureCodec } from '../../src-main/vault/erasure/reed-solomon.js';
import { sealStripe } from '../../src-main/vault/crypto/stripe-seal.js';
import { chunkCheck, encodeStripe } from '../../src-main/vault/stripe-codec.js';
import { DEFAULT_STRIPE_BYTES, pieceOnNode, stripeLayout } from '../../src-main/vault/stripe-layout.js';
import { Vault } from '../../src-main/vault/vault.js';
import { TestCluster, writeTemp } from '../helpers/test-cluster.js';

/** Starts the put child and SIGKILLs it once it reports at least `killAt` bytes (or never, if -1). */
function putAndKill(servers: unknown, file: string, vaultPath: string, killAt: number): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../helpers/put-child.ts'), JSON.stringify(servers), file, vaultPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let killed = false;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      for (const match of text.matchAll(/progress (\d+)/g)) {
        if (!killed && killAt >= 0 && Number(match[1]) >= killAt) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.on('exit', (code) => {
      if (killed) resolve('killed');
      else if (code === 0) resolve('finished');
      else reject(new Error(`put child failed: ${stderr}`));
    });
  });
}

async function readBack(servers: ServerEntry[], path: string, dir: string): Promise<Buffer> {
  const vault = await Vault.connect({ servers, username: 'alice', password: 'wonderland' });
  try {
    const out = join(dir, `readback-${Math.random()}`);
    await vault.getFile(path, out);
    return await readFile(out);
  } finally {
    vault.close();
  }
}

describe('crashes during a PUT', () => {
  let cluster: TestCluster;
  beforeEach(async () => {
    cluster = await TestCluster.start();
  });
  afterEach(async () => cluster.close());

  it('a client killed at any point of the transfer leaves readers with the old version, whole', async () => {
    const old = randomBytes(700_000);
    await (await cluster.vault()).putFile(await writeTemp(cluster.dir, 'old', old), 'doc.bin');
    const fresh = randomBytes(12 * 1024 * 1024);
    const src = await writeTemp(cluster.dir, 'fresh', fresh);
    for (const killAt of [0, 3 * 1024 * 1024, 8 * 1024 * 1024, fresh.length - 1]) {
      expect(await putAndKill(cluster.servers, src, 'doc.bin', killAt)).toBe('killed');
      const got = await readBack(cluster.servers, 'doc.bin', cluster.dir);
      // Killed before the commits: the old version; killed during them: the whole new one. Never a mix.
      expect(got.equals(old) || got.equals(fresh)).toBe(true);
    }
  });

  it('a version committed on fewer than k nodes stays invisible; from k on it is read whole', async () => {
    const vault = await cluster.vault();
    const old = Buffer.from('old contents');
    await vault.putFile(await writeTemp(cluster.dir, 'o', old), 'two-phase.txt');
    // Play a client that stored a newer version on every node, then died while committing.
    const pool = new NodePool(cluster.servers, { username: 'alice', password: 'wonderland' });
    const cipher = new VaultCipher(await loadOrCreateMasterKey(pool, 'wonderland', { quorum: 3 }));
    pool.close();
    const key = cipher.objectId('two-phase.txt');
    const version = nextVersion([], Date.now() + 60_000);
    const fresh = Buffer.from('new contents, longer than the old');
    const layout = stripeLayout(fresh.length, DEFAULT_STRIPE_BYTES, 2);
    const sealed = sealStripe(cipher.fileKey(key, version), { objectId: key, version, index: 0, last: true }, fresh);
    const chunks = encodeStripe(sealed, layout, createErasureCodec(2, 2), 0);
    const clients = await Promise.all(cluster.servers.map((s) => NodeClient.connect(s, 'alice', 'wonderland')));
    const modified = Date.now();
    for (const [node, client] of clients.entries()) {
      const piece = pieceOnNode(key, node, 4);
      const meta = { kind: 'file' as const, path: 'two-phase.txt', size: fresh.length, modified, stripeBytes: DEFAULT_STRIPE_BYTES, k: 2, m: 2, piece };
      await client.beginPut(key, version, cipher.sealMeta(key, version, meta), layout.pieceBytes);
      await client.sendBody(chunks[piece]!, chunkCheck(chunks[piece]!, 0, piece));
      await client.endPut();
    }
    // Stored everywhere, committed nowhere: readers see the old version.
    expect((await readBack(cluster.servers, 'two-phase.txt', cluster.dir)).equals(old)).toBe(true);
    await clients[0]!.commit(key, version);
    expect((await readBack(cluster.servers, 'two-phase.txt', cluster.dir)).equals(old)).toBe(true);
    // From k committed pieces on, the new version is complete, and readers take it whole.
    await clients[1]!.commit(key, version);
    expect((await readBack(cluster.servers, 'two-phase.txt', cluster.dir)).equals(fresh)).toBe(true);
    for (const client of clients) client.close();
  });
});

describe('a node killed during a PUT', () => {
  let local: LocalCluster;
  let dir: string;
  beforeEach(async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    dir = await mkdtemp(join(tmpdir(), 'dfs-crash-'));
    local = await launchCluster({ dir, basePort: 0, users: [{ name: 'alice', password: 'wonderland' }] });
  });
  afterEach(async () => {
    await local.stop();
    const { rm } = await import('node:fs/promises');
    await rm(dir, { recursive: true, force: true });
  });

  it('still commits on the other three, and the restarted node drops its half-written piece', async () => {
    const { servers } = await loadDfcConf(local.dfcConfPath);
    const data = randomBytes(10 * 1024 * 1024);
    const src = await writeTemp(dir, 'src', data);
    const victim = local.nodes[1]!;
    const child = putAndKill(servers, src, 'survivor.bin', -1);
    // Kill the node once the upload is under way (its temp file exists).
    for (;;) {
      const temps = await listTemps(join(dir, 'DFS2'));
      if (temps.length > 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await victim.kill();
    expect(await child).toBe('finished');
    expect((await readBack(servers, 'survivor.bin', dir)).equals(data)).toBe(true);
    await victim.start();
    expect(await listTemps(join(dir, 'DFS2'))).toEqual([]);
    const vault = await Vault.connect({ servers, username: 'alice', password: 'wonderland' });
    expect((await vault.check('survivor.bin'))[0]!.pieces).toEqual({ good: 3, total: 4 });
    await vault.repair();
    expect((await vault.check('survivor.bin'))[0]!.health).toBe('healthy');
    vault.close();
  });
});

async function listTemps(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else if (e.name.startsWith('.tmp-')) found.push(e.name);
    }
  };
  await walk(root);
  return found;
}
