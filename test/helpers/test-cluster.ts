import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { startNode, type RunningNode } from '../../servers/node/node-server.js';
import { formatUserLine, updateVerifier } from '../../servers/node/user-store.js';
import { UsersFileLockedError } from '../../servers/node/users-file-lock.js';
import { watchUsersFile } from '../../servers/node/users-file-watcher.js';
import { createVerifier } from '../../servers/protocol/scram.js';
import type { ServerEntry } from '../../src-main/vault/dfc-config.js';
import { Vault, type VaultOptions } from '../../src-main/vault/vault.js';

/**
 * How a restarted node answers BUSY, as a real node does: to every login from 127.0.0.1 ('logins': one connection that
 * never logs in already fills the address's one slot), or to every password change ('users-file': another process
 * has held its users file for longer than the node waits).
 */
export type BusyKind = 'logins' | 'users-file';

/** How a node is started: `fixedUsers` refuses password changes; `busy` answers BUSY (see BusyKind). */
export interface NodeSetup {
  fixedUsers?: boolean;
  busy?: BusyKind;
}

/** Accounts every test cluster knows. */
export const USERS = { alice: 'wonderland', bob: 'builder' } as const;

/** What keeps tests quick: a short timeout and a small scrypt cost. */
export const FAST = { timeoutMs: 5000, scryptN: 2 ** 10 };

/**
 * Four (or n) real nodes in this process on loopback ephemeral ports, each with its own root and its
 * own users file (as on separate hosts), which password changes rewrite.
 */
export class TestCluster {
  readonly nodes: Array<RunningNode | undefined> = [];
  readonly roots: string[] = [];
  readonly usersFiles: string[] = [];
  readonly servers: ServerEntry[] = [];
  private vaults: Vault[] = [];
  /** Per node: the connection that keeps it busy refusing logins, if any. */
  private readonly crowds: Array<Socket | undefined> = [];
  /** The nodes' shared secret, as copied beside each users file on separate hosts. */
  private readonly mockSaltSecret = randomBytes(32);

  private constructor(readonly dir: string) {}

  static async start(count = 4): Promise<TestCluster> {
    const cluster = new TestCluster(await mkdtemp(join(tmpdir(), 'dfs-test-')));
    const lines = Object.entries(USERS).map(([name, password]) => formatUserLine(name, createVerifier(password)));
    for (let i = 0; i < count; i++) {
      cluster.roots.push(join(cluster.dir, `DFS${i + 1}`));
      cluster.usersFiles.push(join(cluster.dir, `DFS${i + 1}.users`));
      await writeFile(cluster.usersFiles[i]!, `${lines.join('\n')}\n`, { mode: 0o600 });
      const node = await cluster.startNode(i, 0);
      cluster.servers.push({ name: `DFS${i + 1}`, host: '127.0.0.1', port: node.port });
    }
    return cluster;
  }

  private async startNode(i: number, port: number, options: NodeSetup = {}): Promise<RunningNode> {
    const usersFile = this.usersFiles[i]!;
    const lockedOut = async (): Promise<boolean> => {
      throw new UsersFileLockedError(`${usersFile} is locked by process 4242 for more than 10 s; try again, or remove ${usersFile}.lock if that process is gone.`);
    };
    const node = await startNode({
      root: this.roots[i]!,
      port,
      lookupUser: watchUsersFile(usersFile, () => undefined),
      mockSaltSecret: this.mockSaltSecret,
      updateVerifier: options.fixedUsers ? undefined : options.busy === 'users-file' ? lockedOut : (name, update) => updateVerifier(usersFile, name, update),
      ...(options.busy === 'logins' ? { maxPendingLoginsPerAddress: 1, loginTimeoutMs: 60_000 } : {}),
    });
    this.nodes[i] = node;
    if (options.busy === 'logins') this.crowds[i] = await openIdleConnection(node.port);
    return node;
  }

  /** Stops node i (graceful). */
  async stop(i: number): Promise<void> {
    this.crowds[i]?.destroy();
    this.crowds[i] = undefined;
    await this.nodes[i]?.close();
    this.nodes[i] = undefined;
  }

  /** Starts node i again on its old port, set up as `options` say. */
  async restart(i: number, options: NodeSetup = {}): Promise<void> {
    await this.startNode(i, this.servers[i]!.port, options);
  }

  /** Restarts node i so that it answers BUSY as `kind` says, until it is restarted again without. */
  async makeBusy(i: number, kind: BusyKind): Promise<void> {
    await this.stop(i);
    await this.restart(i, { busy: kind });
  }

  /** Restarts node i as an ordinary node again, after makeBusy. */
  async makeFree(i: number): Promise<void> {
    await this.stop(i);
    await this.restart(i);
  }

  /** A connected vault for `user` (alice by default). */
  async vault(user: keyof typeof USERS = 'alice', options: Partial<VaultOptions> = {}): Promise<Vault> {
    const vault = await Vault.connect({ servers: this.servers, username: user, password: USERS[user], ...FAST, ...options });
    this.vaults.push(vault);
    return vault;
  }

  async close(): Promise<void> {
    for (const vault of this.vaults) vault.close();
    for (const crowd of this.crowds) crowd?.destroy();
    await Promise.all(this.nodes.map((node) => node?.close()));
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** A connection to a node on loopback that never logs in. */
function openIdleConnection(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('error', reject);
    socket.once('connect', () => {
      // The node drops it when it stops; that is expected, not a failure of the test.
      socket.off('error', reject).on('error', () => undefined);
      resolve(socket);
    });
  });
}

/** Writes `bytes` to a fresh file in `dir` and returns its path. */
export async function writeTemp(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  const { writeFile } = await import('node:fs/promises');
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}
