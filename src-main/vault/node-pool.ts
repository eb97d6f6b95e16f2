import { createHash, timingSafeEqual } from 'node:crypto';
import { ProtocolError } from '../../servers/protocol/errors.js';
import { INVALID_LOGIN_TEXT, VaultError } from '../shared/errors.js';
import type { MissedNode } from '../shared/missed-nodes.js';
import { type ServerEntry, serverLabel } from './dfc-config.js';
import { DEFAULT_TIMEOUT_MS, NodeClient } from './node-client.js';
import { NodeBusyError, busyReason } from './node-busy.js';

/** Who logs in, and how long to wait for a node. */
export interface PoolOptions {
  username: string;
  password: string;
  timeoutMs?: number;
  /** Told once per login attempt that a node has not answered for SLOW_LOGIN_NOTICE_MS, while the pool waits on (up to timeoutMs). */
  onSlowNode?: (server: ServerEntry, waitingUpToMs: number) => void;
  /** When `onSlowNode` is told (default SLOW_LOGIN_NOTICE_MS). */
  slowNoticeMs?: number;
}

/** How long a login may take before `onSlowNode` hears of it: a node that answers at all answers well within this. */
export const SLOW_LOGIN_NOTICE_MS = 3_000;

/** The outcome of running something on one node. */
export type NodeOutcome<T> = { node: number; ok: true; value: T } | { node: number; ok: false; error: VaultError };

/** Translates a protocol failure into a VaultError a person can act on. */
export function toVaultError(error: unknown, nodeName?: string): VaultError {
  if (error instanceof VaultError) return error;
  const where = nodeName ? `${nodeName}: ` : '';
  if (error instanceof ProtocolError) {
    switch (error.code) {
      case 'AUTH_FAILED':
        return new VaultError('AUTH_FAILED', INVALID_LOGIN_TEXT, { cause: error });
      case 'AUTH_THROTTLED':
        return new VaultError('AUTH_THROTTLED', error.message, { cause: error });
      case 'NOT_FOUND':
        return new VaultError('NOT_FOUND', `${where}${error.message}`, { cause: error });
      case 'CONNECTION_CLOSED':
      case 'TIMEOUT':
        return new VaultError('NODE_UNREACHABLE', `${where}${error.message}`, { cause: error });
      case 'BUSY':
        return new NodeBusyError(busyReason(error.message), nodeName, { cause: error });
      default:
        return new VaultError('PROTOCOL', `${where}${error.message}`, { cause: error });
    }
  }
  return new VaultError('INTERNAL', `${where}${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** A node's failure as a MissedNode, its reason without the node's name (its error may start with it); a busy node's in the node's own words. */
export function missedNode(nodeName: string, error: VaultError): MissedNode {
  if (error instanceof NodeBusyError) return { name: nodeName, busy: true, reason: error.reason };
  const named = `${nodeName}: `;
  return { name: nodeName, busy: error.code === 'NODE_BUSY', reason: error.message.startsWith(named) ? error.message.slice(named.length) : error.message };
}

/** Idle connections older than this are dropped rather than reused: the node closes them after 120 s. */
const MAX_IDLE_MS = 60_000;

/** How long a node that timed out is skipped, so that one stalled node does not slow every operation. */
const STALLED_NODE_SKIP_MS = 10_000;

/** Logged-in connections to every node, reused between operations; one request per connection at a time. */
export class NodePool {
  private readonly idle: Array<Array<{ client: NodeClient; since: number }>>;
  private readonly cache = new Map<string, Buffer>();
  private closed = false;
  /** Bytes received from nodes by connections that have been returned or dropped. */
  private receivedByFinished = 0;
  private readonly active = new Set<NodeClient>();
  /** Per node: until when it is skipped after a timeout. */
  private readonly stalledUntil: number[];
  /** Per node: the id its process gave at the last login, to catch two entries that reach one node. */
  private readonly nodeIds: Array<string | undefined>;

  constructor(
    readonly servers: readonly ServerEntry[],
    private options: PoolOptions,
  ) {
    this.idle = servers.map(() => []);
    this.stalledUntil = servers.map(() => 0);
    this.nodeIds = servers.map(() => undefined);
  }

  private markStalled(index: number): void {
    this.stalledUntil[index] = Date.now() + STALLED_NODE_SKIP_MS;
  }

  /** Number of nodes. */
  get size(): number {
    return this.servers.length;
  }

  /** The user this pool logs in as. */
  get username(): string {
    return this.options.username;
  }

  /** Whether `candidate` is the password this pool logs in with (compared in constant time). */
  isPassword(candidate: string): boolean {
    const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
    return timingSafeEqual(digest(candidate), digest(this.options.password));
  }

  /** Logs in with `password` from now on (after a password change); open connections stay logged in. */
  usePassword(password: string): void {
    this.options = { ...this.options, password };
    this.cache.clear();
  }

  /** Bytes received from all nodes so far (traffic accounting for "read only k pieces"). */
  get bytesReceived(): number {
    let total = this.receivedByFinished;
    for (const client of this.active) total += client.bytesReceived;
    for (const list of this.idle) for (const { client } of list) total += client.bytesReceived;
    return total;
  }

  /** A connection to node `index`, reused when one is idle; logs in otherwise. */
  async acquire(index: number): Promise<NodeClient> {
    if (this.closed) throw new VaultError('CANCELLED', 'The vault connection is closed.');
    const server = this.servers[index]!;
    if (this.stalledUntil[index]! > Date.now()) {
      // Skipped for a while, so one stalled node does not hold up every operation; that is ours to know, not the user's.
      throw new VaultError('NODE_UNREACHABLE', `${server.name}: did not answer in time`);
    }
    let client: NodeClient | undefined;
    const idle = this.idle[index]!;
    for (let entry = idle.pop(); entry; entry = idle.pop()) {
      if (!entry.client.broken && Date.now() - entry.since < MAX_IDLE_MS) {
        client = entry.client;
        break;
      }
      this.retire(entry.client);
      entry.client.close();
    }
    if (!client) {
      const { onSlowNode, timeoutMs = DEFAULT_TIMEOUT_MS, slowNoticeMs = SLOW_LOGIN_NOTICE_MS } = this.options;
      const slow = onSlowNode && setTimeout(() => onSlowNode(server, timeoutMs), slowNoticeMs);
      try {
        client = await NodeClient.connect(server, this.options.username, this.options.password, {
          timeoutMs,
          saltedPasswordCache: this.cache,
        });
      } catch (error) {
        if (error instanceof ProtocolError && error.code === 'TIMEOUT') this.markStalled(index);
        throw toVaultError(error, server.name);
      } finally {
        clearTimeout(slow);
      }
      this.recordNodeId(index, client);
    }
    this.active.add(client);
    return client;
  }

  /**
   * Notes which node process `index` reached; throws INVALID_CONFIG (closing the connection) when another
   * entry of the configuration reached the same one under another address ("localhost" and
   * "127.0.0.1", or a LAN name): two pieces of every file would sit on one machine.
   */
  private recordNodeId(index: number, client: NodeClient): void {
    const { nodeId } = client.login;
    this.nodeIds[index] = nodeId;
    const other = this.nodeIds.findIndex((id, i) => i !== index && id === nodeId);
    if (other < 0) return;
    this.nodeIds[index] = undefined;
    client.close();
    const [first, second] = [this.servers[Math.min(other, index)]!, this.servers[Math.max(other, index)]!];
    throw new VaultError(
      'INVALID_CONFIG',
      `${serverLabel(first)} and ${serverLabel(second)} are the same storage node under two addresses. Give every server in dfc.conf a node of its own: two pieces of every file must not share a machine.`,
    );
  }

  /** Gives a connection back; a broken one is dropped. */
  release(index: number, client: NodeClient): void {
    this.active.delete(client);
    if (client.broken && client.lastFailure === 'TIMEOUT') this.markStalled(index);
    if (client.broken || this.closed) {
      this.retire(client);
      client.close();
    } else this.idle[index]!.push({ client, since: Date.now() });
  }

  private retire(client: NodeClient): void {
    this.active.delete(client);
    this.receivedByFinished += client.bytesReceived;
  }

  /** Runs `fn` with a connection to node `index`. */
  async use<T>(index: number, fn: (client: NodeClient) => Promise<T>): Promise<T> {
    const client = await this.acquire(index);
    try {
      return await fn(client);
    } catch (error) {
      throw toVaultError(error, this.servers[index]!.name);
    } finally {
      this.release(index, client);
    }
  }

  /** Runs `fn` on every node at once; never throws, reports each node's outcome. */
  async onEveryNode<T>(fn: (client: NodeClient, node: number) => Promise<T>): Promise<NodeOutcome<T>[]> {
    return Promise.all(
      this.servers.map(async (_, node): Promise<NodeOutcome<T>> => {
        try {
          return { node, ok: true, value: await this.use(node, (client) => fn(client, node)) };
        } catch (error) {
          return { node, ok: false, error: toVaultError(error, this.servers[node]!.name) };
        }
      }),
    );
  }

  /** Closes every connection at once, those in use too: whatever is in flight fails now. */
  abort(): void {
    this.close();
    for (const client of this.active) client.destroy();
  }

  /** Closes every idle connection; later acquires fail. */
  close(): void {
    this.closed = true;
    for (const list of this.idle) {
      for (const { client } of list.splice(0)) {
        this.retire(client);
        client.close();
      }
    }
  }
}

/**
 * Throws the first login failure among outcomes: a wrong password must not look like a node outage,
 * nor may two entries of dfc.conf that reach one node (INVALID_CONFIG) look like one node down.
 */
export function throwIfLoginRejected(outcomes: readonly NodeOutcome<unknown>[]): void {
  for (const outcome of outcomes) {
    if (!outcome.ok && (outcome.error.code === 'AUTH_FAILED' || outcome.error.code === 'AUTH_THROTTLED' || outcome.error.code === 'INVALID_CONFIG')) throw outcome.error;
  }
}
