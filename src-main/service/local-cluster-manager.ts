import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { type ClusterLock, lockClusterDir } from '../../servers/cluster/cluster-lock.js';
import { type LocalCluster, launchCluster } from '../../servers/cluster/local-cluster.js';
import type { NodeProcess, NodeProgram } from '../../servers/cluster/node-process.js';
import { addUserIfMissing } from '../../servers/node/user-store.js';
import type { ClusterView } from '../shared/app-models.js';
import { VaultError } from '../shared/errors.js';
import type { ServerEntry } from '../vault/dfc-config.js';

/** How the app's own cluster is laid out and run. */
export interface LocalClusterManagerOptions {
  /** Folder for dfc.conf, dfs.conf and DFS1..DFS4 (under the app's user-data folder). */
  dir: string;
  nodes?: number;
  program?: NodeProgram;
  /** Ports to try first (those of the last run); 0 or missing = any free port. */
  preferredPorts?: () => Promise<number[] | undefined>;
  /** Called with the ports in use after each start, to be tried first next time. */
  savePorts?: (ports: number[]) => Promise<void>;
  /** Called whenever a node starts, stops or crashes. */
  onChange: () => void;
  log?: (line: string) => void;
}

/** The one-click local cluster: four node processes from the bundled launcher, started and stopped as a whole or one by one. */
export class LocalClusterManager {
  private cluster: LocalCluster | undefined;
  /** The node processes of a launch in progress, so the strip can show each one as it comes up. */
  private launching: readonly NodeProcess[] = [];
  private lock: ClusterLock | undefined;
  private phase: ClusterView['local'] = 'stopped';
  private pending: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: LocalClusterManagerOptions) {}

  /** Where the nodes keep their data. */
  get dir(): string {
    return this.options.dir;
  }

  /** stopped, starting, running or stopping. */
  get state(): ClusterView['local'] {
    return this.phase;
  }

  /** The nodes as dfc.conf would name them; empty before the first start. */
  servers(): ServerEntry[] {
    return this.nodes().map((node) => ({ name: node.spec.name, host: node.spec.host, port: node.port }));
  }

  /** Per node: is its process alive. */
  running(): boolean[] {
    return this.nodes().map((node) => node.running);
  }

  /** Per node: does it listen (a process that is still starting does not, yet). */
  listening(): boolean[] {
    return this.nodes().map((node) => node.listening);
  }

  private nodes(): readonly NodeProcess[] {
    return this.cluster?.nodes ?? this.launching;
  }

  /** Creates `account` unless it exists (an existing password is kept; the login then checks it). */
  async ensureAccount(account: { name: string; password: string }): Promise<void> {
    try {
      await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
      await addUserIfMissing(join(this.options.dir, 'dfs.conf'), account.name, account.password);
    } catch (error) {
      throw new VaultError('INVALID_REQUEST', `Cannot create the account: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Starts every node that is not running (the whole cluster on first use, on the ports of last time when free). */
  start(): Promise<void> {
    return this.serially(async () => {
      this.setPhase('starting');
      try {
        await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
        this.lock ??= await lockClusterDir(this.options.dir);
        if (this.cluster) await Promise.all(this.cluster.nodes.map((node) => node.start()));
        else this.cluster = await this.launch((await this.options.preferredPorts?.()) ?? []);
      } catch (error) {
        if (!this.cluster?.nodes.some((node) => node.running)) await this.releaseLock();
        this.setPhase(this.cluster?.nodes.some((node) => node.running) ? 'running' : 'stopped');
        throw new VaultError('NODE_UNREACHABLE', `The local cluster could not start: ${(error as Error).message}`, { cause: error });
      }
      for (const node of this.cluster.nodes) {
        node.onExit = (how) => {
          this.options.log?.(`${node.spec.name} stopped unexpectedly (${how}); restart it from the node strip.`);
          this.options.onChange();
        };
      }
      await this.options.savePorts?.(this.cluster.nodes.map((n) => n.port)).catch(() => undefined);
      this.setPhase('running');
    });
  }

  /** Stops every node gracefully; they can be started again on the same ports. */
  stop(): Promise<void> {
    return this.serially(async () => {
      if (!this.cluster) return;
      this.setPhase('stopping');
      await this.cluster.stop();
      await this.releaseLock();
      this.setPhase('stopped');
    });
  }

  /** Starts one node again (after a stop or a crash), on the port it had. */
  startNode(index: number): Promise<void> {
    return this.serially(async () => {
      const node = this.node(index);
      try {
        this.lock ??= await lockClusterDir(this.options.dir);
        await node.start();
      } catch (error) {
        throw new VaultError('NODE_UNREACHABLE', `${node.spec.name} could not start: ${(error as Error).message}`, { cause: error });
      }
      this.setPhase('running');
    });
  }

  /** Stops one node gracefully. */
  stopNode(index: number): Promise<void> {
    return this.serially(async () => {
      await this.node(index).stop();
      if (this.running().some(Boolean)) return this.options.onChange();
      await this.releaseLock();
      this.setPhase('stopped');
    });
  }

  private node(index: number) {
    const node = this.cluster?.nodes[index];
    if (!node) throw new VaultError('INVALID_REQUEST', this.cluster ? `There is no node number ${index + 1}.` : 'Start the local cluster first.');
    return node;
  }

  private async launch(ports: number[]): Promise<LocalCluster> {
    const base = {
      dir: this.options.dir,
      nodes: this.options.nodes ?? 4,
      basePort: 0,
      program: this.options.program,
      log: this.options.log,
      passwordInDfcConf: false,
      onProgress: (nodes: readonly NodeProcess[]) => {
        this.launching = nodes;
        this.options.onChange();
      },
    };
    try {
      if (ports.some((p) => p > 0)) {
        try {
          return await launchCluster({ ...base, ports });
        } catch (error) {
          // Last run's ports may be taken by now; any free ports will do.
          this.options.log?.(`Ports ${ports.join(', ')} are not usable (${(error as Error).message}); using free ports.`);
        }
      }
      return await launchCluster(base);
    } finally {
      this.launching = [];
    }
  }

  /** Gives the data folder back to other launchers (once no node of ours runs on it). */
  private async releaseLock(): Promise<void> {
    const lock = this.lock;
    this.lock = undefined;
    await lock?.release();
  }

  private setPhase(phase: ClusterView['local']): void {
    this.phase = phase;
    this.options.onChange();
  }

  /** Runs cluster operations one after another, so a Stop cannot overtake a Start. */
  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.pending.then(operation, operation);
    this.pending = next.catch(() => undefined);
    return next;
  }
}
