import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { connectAndLogin } from '../protocol/client-handshake.js';
import { addUserIfMissing, upsertUser } from '../node/user-store.js';
import { writeDfcConf } from './cluster-files.js';
import { NodeProcess, type NodeProgram, defaultNodeProgram } from './node-process.js';

/** A user account the launcher creates in the cluster's dfs.conf. */
export interface ClusterUser {
  name: string;
  password: string;
  /** Create the account only if it is new; an existing password stays (default: replace it). */
  ifMissing?: boolean;
}

/** How to lay out and start a local cluster. */
export interface LocalClusterOptions {
  /** Folder holding dfc.conf, dfs.conf and one data folder per node (DFS1..DFSn). */
  dir: string;
  /** Number of nodes (default 4). */
  nodes?: number;
  /** First of n consecutive ports; 0 gives each node a free port (default 10001). */
  basePort?: number;
  /** One port per node (0 = a free one); overrides `basePort`. */
  ports?: readonly number[];
  /** Write the first user's password into dfc.conf (default true; the desktop app keeps it out of files). */
  passwordInDfcConf?: boolean;
  host?: string;
  /** Accounts to create or update; the first one is written into dfc.conf. */
  users?: ClusterUser[];
  /** Node binary and entry (Electron passes its own execPath with ELECTRON_RUN_AS_NODE=1). */
  program?: NodeProgram;
  log?: (line: string) => void;
  /** Called with the node processes before they start, then with each node's index as it listens. */
  onProgress?: (nodes: readonly NodeProcess[], started?: number) => void;
}

/** A running local cluster of node processes. */
export interface LocalCluster {
  readonly nodes: readonly NodeProcess[];
  readonly dfcConfPath: string;
  readonly usersFile: string;
  /** Stops every node gracefully. */
  stop(): Promise<void>;
}

/** Creates the layout, the accounts and dfc.conf, starts every node and waits until each accepts a login. */
export async function launchCluster(options: LocalClusterOptions): Promise<LocalCluster> {
  const dir = resolve(options.dir);
  const count = options.nodes ?? 4;
  const basePort = options.basePort ?? 10001;
  const host = options.host ?? '127.0.0.1';
  const usersFile = join(dir, 'dfs.conf');
  const users = options.users ?? [];
  // The nodes' data lives here: readable by its owner only.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const user of users) {
    if (user.ifMissing) await addUserIfMissing(usersFile, user.name, user.password);
    else await upsertUser(usersFile, user.name, user.password);
  }
  const program = options.program ?? defaultNodeProgram();
  const nodes = Array.from({ length: count }, (_, i) => {
    const name = `DFS${i + 1}`;
    return new NodeProcess(
      { name, root: join(dir, name), host, port: options.ports?.[i] ?? (basePort === 0 ? 0 : basePort + i), usersFile },
      program,
      options.log,
    );
  });
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((node) => node.stop()));
  };
  try {
    options.onProgress?.(nodes);
    await Promise.all(nodes.map((node, i) => node.start().then(() => options.onProgress?.(nodes, i))));
    const first = users[0];
    const password = (options.passwordInDfcConf ?? true) ? first?.password : undefined;
    const dfcConfPath = await writeDfcConf(dir, nodes.map((n) => ({ name: n.spec.name, host, port: n.port })), first?.name, password);
    if (first) {
      const cache = new Map<string, Buffer>();
      await Promise.all(nodes.map(async (node) => (await connectAndLogin({ host, port: node.port }, first.name, first.password, { saltedPasswordCache: cache })).end()));
    }
    return { nodes, dfcConfPath, usersFile, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
