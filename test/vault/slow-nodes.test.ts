import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalCluster, launchCluster } from '../../servers/cluster/local-cluster.js';
import { type ServerEntry, loadDfcConf } from '../../src-main/vault/dfc-config.js';
import { nodeForPiece } from '../../src-main/vault/stripe-layout.js';
import { Vault } from '../../src-main/vault/vault.js';
import { writeTemp } from '../helpers/test-cluster.js';

describe('a node that stops answering', () => {
  let dir: string;
  let local: LocalCluster;
  let servers: ServerEntry[];
  const stopped: number[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dfs-slow-'));
    local = await launchCluster({ dir, basePort: 0, users: [{ name: 'alice', password: 'wonderland' }] });
    servers = (await loadDfcConf(local.dfcConfPath)).servers;
  });
  afterEach(async () => {
    for (const pid of stopped.splice(0)) process.kill(pid, 'SIGCONT');
    await local.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('is given up after the timeout in the middle of a download, and the rest comes from parity', async () => {
    const data = randomBytes(40 * 1024 * 1024);
    const writer = await Vault.connect({ servers, username: 'alice', password: 'wonderland' });
    await writer.putFile(await writeTemp(dir, 'big', data), 'big.bin');
    const key = writer.objectIdOf('big.bin');
    writer.close();
    const dataNode = local.nodes[nodeForPiece(key, 0, 4)]!;
    const reader = await Vault.connect({ servers, username: 'alice', password: 'wonderland', timeoutMs: 1000 });
    const failures: string[] = [];
    const out = join(dir, 'big.out');
    await reader.getFile('big.bin', out, {
      onProgress: () => {
        // Freeze the node holding data piece 0 as soon as the download is under way.
        if (stopped.length === 0) {
          stopped.push(dataNode.pid!);
          process.kill(dataNode.pid!, 'SIGSTOP');
        }
      },
      onPieceFailure: (f) => failures.push(`${f.holder.piece}: ${f.reason}`),
    });
    reader.close();
    expect((await readFile(out)).equals(data)).toBe(true);
    expect(failures).toEqual([expect.stringMatching(/^0: No answer within 1 s/)]);
  });

  it('does not hold up a listing or an upload beyond the timeout', async () => {
    const frozen = local.nodes[2]!;
    stopped.push(frozen.pid!);
    process.kill(frozen.pid!, 'SIGSTOP');
    const vault = await Vault.connect({ servers, username: 'alice', password: 'wonderland', timeoutMs: 1000 });
    const payload = randomBytes(3 * 1024 * 1024);
    await vault.putFile(await writeTemp(dir, 'p', payload), 'while-frozen.bin');
    expect((await vault.list()).find((e) => e.name === 'while-frozen.bin')?.pieces).toEqual({ good: 3, total: 4 });
    const out = join(dir, 'p.out');
    await vault.getFile('while-frozen.bin', out);
    expect((await readFile(out)).equals(payload)).toBe(true);
    vault.close();
  });

  it('is named plainly when an operation needs every node', async () => {
    const frozen = local.nodes[2]!;
    stopped.push(frozen.pid!);
    process.kill(frozen.pid!, 'SIGSTOP');
    const vault = await Vault.connect({ servers, username: 'alice', password: 'wonderland', timeoutMs: 1000 });
    try {
      await expect(vault.changePassword('wonderland', 'looking glass')).rejects.toThrow(
        /^Changing the password needs every node, and DFS3 \(did not answer in time\) is not reachable\. Nothing was changed; try again when every node is up\.$/,
      );
    } finally {
      vault.close();
    }
  });
});

describe('a node that accepts connections but never answers a login', () => {
  it('is reported once as slow while the pool goes on waiting, then given up at the timeout', async () => {
    const { createServer } = await import('node:net');
    const { NodePool } = await import('../../src-main/vault/node-pool.js');
    const sockets: import('node:net').Socket[] = [];
    // Like a stopped process: the kernel completes the TCP handshake, nobody reads.
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as import('node:net').AddressInfo).port;
    const slow: Array<[string, number]> = [];
    const pool = new NodePool([{ name: 'DFS4', host: '127.0.0.1', port }], {
      username: 'alice',
      password: 'wonderland',
      timeoutMs: 1_500,
      slowNoticeMs: 100,
      onSlowNode: (server, waitingUpToMs) => void slow.push([server.name, waitingUpToMs]),
    });
    try {
      await expect(pool.acquire(0)).rejects.toMatchObject({ code: 'NODE_UNREACHABLE' });
      expect(slow).toEqual([['DFS4', 1_500]]);
    } finally {
      pool.close();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('is not reported when it answers in time', async () => {
    const { NodePool } = await import('../../src-main/vault/node-pool.js');
    const { TestCluster, USERS } = await import('../helpers/test-cluster.js');
    const cluster = await TestCluster.start(1);
    const slow: string[] = [];
    const pool = new NodePool(cluster.servers, { username: 'alice', password: USERS.alice, slowNoticeMs: 2_000, onSlowNode: (server) => void slow.push(server.name) });
    try {
      pool.release(0, await pool.acquire(0));
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      expect(slow).toEqual([]);
    } finally {
      pool.close();
      await cluster.close();
    }
  });
});
