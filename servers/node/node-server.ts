import { createServer, type Server } from 'node:net';
import { FramedConnection } from '../protocol/framed-connection.js';
import type { ScramVerifier } from '../protocol/scram.js';
import { LoginThrottle } from './login-throttle.js';
import { NodeSession } from './node-session.js';
import { PieceStore } from './piece-store.js';

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
  /** Stores a changed verifier of a login name (password change, recovery setup); without it the node refuses such changes. */
  saveVerifier?: (loginName: string, verifier: ScramVerifier) => Promise<void>;
  idleTimeoutMs?: number;
  requestTimeoutMs?: number;
  loginTimeoutMs?: number;
  /** Most simultaneous connections; further ones are refused by the kernel queue. */
  maxConnections?: number;
  /** How long shutdown waits for requests in progress before cutting them off. */
  shutdownGraceMs?: number;
  throttle?: LoginThrottle;
  log?: (line: string) => void;
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

/** Starts a storage node: opens its store, then listens for clients. */
export async function startNode(options: NodeOptions): Promise<RunningNode> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  const { store, removedLeftovers } = await PieceStore.open(options.root);
  const sessions = new Set<NodeSession>();
  const context = {
    store,
    throttle: options.throttle ?? new LoginThrottle(),
    lookupUser: options.lookupUser,
    saveVerifier: options.saveVerifier,
    idleTimeoutMs: options.idleTimeoutMs ?? 120_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    loginTimeoutMs: options.loginTimeoutMs ?? 10_000,
    log,
  };
  const server: Server = createServer((socket) => {
    const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const session = new NodeSession(new FramedConnection(socket), context, remote);
    sessions.add(session);
    void session.run().finally(() => sessions.delete(session));
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
  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    removedLeftovers,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const session of sessions) session.close();
        const deadline = Date.now() + (options.shutdownGraceMs ?? 5_000);
        while (sessions.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        for (const session of sessions) session.abort();
        await stopped;
      })();
      return closing;
    },
  };
}
