import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { BufferPool } from '../protocol/buffer-pool.js';
import { FramedConnection } from '../protocol/framed-connection.js';
import { Op } from '../protocol/messages.js';
import type { ScramVerifier } from '../protocol/scram.js';
import { LoginThrottle } from './login-throttle.js';
import { NodeSession } from './node-session.js';
import { PendingLogins } from './pending-logins.js';
import type { PidLock } from './pid-file.js';
import { PieceStore, READ_AHEAD_BYTES } from './piece-store.js';
import { lockNodeRoot } from './root-lock.js';
import type { VerifierUpdate } from './user-store.js';

/** How a storage node is set up. */
export interface NodeOptions {
  /** Directory holding this node's data. */
  root: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Current user verifiers; called at each login so edits to the users file apply at once. */
  lookupUser: () => Promise<(username: string) => ScramVerifier | undefined>;
  /**
   * Seeds the fake salts of unknown users; every node sharing the users must have the same one, kept
   * across restarts (see loadClusterSecret), or comparing answers tells users from non-users.
   */
  mockSaltSecret: Buffer;
  /** Stores a changed verifier of a login name (password change, recovery setup) as updateVerifier does; without it the node refuses such changes. */
  updateVerifier?: (loginName: string, update: VerifierUpdate) => Promise<boolean>;
  idleTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** How long a new connection may take to log in, from the moment it is accepted to AUTH_OK (default 10 s). */
  loginTimeoutMs?: number;
  /** Most simultaneous connections; further ones are refused by the kernel queue. */
  maxConnections?: number;
  /** Most connections from one address that have not logged in yet; further ones get BUSY and are closed (default 32). */
  maxPendingLoginsPerAddress?: number;
  /** How often pending pieces abandoned for over an hour (stored, never committed) are removed (default 10 min). */
  pendingSweepIntervalMs?: number;
  /** How long shutdown waits for requests in progress before cutting them off. */
  shutdownGraceMs?: number;
  throttle?: LoginThrottle;
  log?: (line: string) => void;
  /** The clock of deadlines and of pending pieces' ages (tests inject one); Date.now by default. */
  now?: () => number;
}

/** A running storage node. */
export interface RunningNode {
  readonly host: string;
  readonly port: number;
  /** Pieces of interrupted writes removed when the node started. */
  readonly removedLeftovers: number;
  /** Stops accepting, lets requests in progress finish (up to the grace period), then closes. */
  close(): Promise<void>;
}

/**
 * How long a refused connection may stay open for its BUSY frame to be read. Short, because until it
 * closes it holds one of the node's maxConnections.
 */
const REFUSED_LINGER_MS = 250;

/** Read buffers a node keeps for its GETs once they are done (8 GETs at once reuse them all; more allocate). */
const READ_BUFFERS_KEPT = 32;

/** Starts a storage node: claims its data folder, opens its store, then listens for clients. */
export async function startNode(options: NodeOptions): Promise<RunningNode> {
  const rootLock = await lockNodeRoot(options.root);
  try {
    return await serve(options, rootLock);
  } catch (error) {
    await rootLock.release();
    throw error;
  }
}

/** Serves the claimed data folder until closed; closing lets the folder go. */
async function serve(options: NodeOptions, rootLock: PidLock): Promise<RunningNode> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  const now = options.now ?? Date.now;
  const { store, removedLeftovers } = await PieceStore.open(options.root, now());
  /** Each session still running, with the end of its run(). */
  const sessions = new Map<NodeSession, Promise<void>>();
  const context = {
    store,
    throttle: options.throttle ?? new LoginThrottle(),
    lookupUser: options.lookupUser,
    mockSaltSecret: options.mockSaltSecret,
    nodeId: randomBytes(16).toString('hex'),
    updateVerifier: options.updateVerifier,
    idleTimeoutMs: options.idleTimeoutMs ?? 120_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    loginTimeoutMs: options.loginTimeoutMs ?? 10_000,
    log,
    now,
    readBuffers: new BufferPool(READ_AHEAD_BYTES, READ_BUFFERS_KEPT),
  };
  const pendingLogins = new PendingLogins(options.maxPendingLoginsPerAddress ?? 32);
  const server: Server = createServer((socket) => {
    const address = socket.remoteAddress ?? '?';
    const conn = new FramedConnection(socket);
    const release = pendingLogins.claim(address);
    if (!release) return refuseBusy(conn, address);
    const session = new NodeSession(conn, context, `${address}:${socket.remotePort ?? '?'}`, release);
    const ended = session.run().finally(() => {
      release();
      sessions.delete(session);
    });
    sessions.set(session, ended);
  });
  server.maxConnections = options.maxConnections ?? 1024;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log(`server error: ${error.message}`));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const sweeper = sweepAbandonedPending(store, options.pendingSweepIntervalMs ?? 10 * 60_000, now, log);
  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    removedLeftovers,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const session of sessions.keys()) session.close();
        const deadline = Date.now() + (options.shutdownGraceMs ?? 5_000);
        while (sessions.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        for (const session of sessions.keys()) session.abort();
        // A session cut off may still be inside a store call or saveVerifier; until it returns, the root is not
        // free for another node to clean up. Cut off, each ends once that call returns.
        await Promise.allSettled(sessions.values());
        await stopped;
        await sweeper.stop();
        await rootLock.release();
      })();
      return closing;
    },
  };
}

/** Removes abandoned pending pieces every `intervalMs` until stopped; stopping waits for a sweep under way. */
function sweepAbandonedPending(store: PieceStore, intervalMs: number, now: () => number, log: (line: string) => void): { stop(): Promise<void> } {
  let sweeping: Promise<void> | undefined;
  const timer = setInterval(() => {
    sweeping ??= store
      .removeAbandonedPending(now())
      .then(
        (removed) => void (removed > 0 && log(`removed ${removed} pending piece(s) abandoned without a commit`)),
        (error: Error) => log(`could not sweep abandoned pending pieces: ${error.message}`),
      )
      .finally(() => (sweeping = undefined));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await sweeping;
    },
  };
}

/** Tells a connection over its address's cap why it is refused, then closes it soon, read or not. */
function refuseBusy(conn: FramedConnection, address: string): void {
  const message = `Too many connections from ${address} are waiting to log in; try again in a moment.`;
  void conn.send({ op: Op.Error, code: 'BUSY', message }).catch(() => undefined);
  conn.end();
  setTimeout(() => conn.destroy(), REFUSED_LINGER_MS).unref();
}
