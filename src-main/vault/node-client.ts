import { expectReply, logIn, type LoginResult, type NodeAddress, openConnection } from '../../servers/protocol/client-handshake.js';
import { ProtocolError } from '../../servers/protocol/errors.js';
import type { FramedConnection } from '../../servers/protocol/framed-connection.js';
import { Op } from '../../servers/protocol/messages.js';

/** How long a node may take to answer (a login, or the next part of a reply) before it counts as down. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/** A committed piece as a node lists it. */
export interface ListedPiece {
  key: Buffer;
  version: string;
  meta: Buffer;
  size: number;
}

/**
 * One logged-in connection to one node, speaking one request at a time. A request that fails
 * mid-stream leaves the connection unusable (`broken`); the pool then discards it.
 */
export class NodeClient {
  private poisoned = false;
  /** Why the last exchange failed, if it did (the pool treats a TIMEOUT as a sign of a stalled node). */
  lastFailure: string | undefined;

  private constructor(
    private readonly conn: FramedConnection,
    readonly timeoutMs: number,
    /** The salt and iterations of the verifier this login matched (a password change keeps them), and the node process's id. */
    readonly login: LoginResult,
  ) {}

  /** Connects and logs in with SCRAM. */
  static async connect(
    address: NodeAddress,
    username: string,
    password: string,
    options: { timeoutMs?: number; saltedPasswordCache?: Map<string, Buffer> } = {},
  ): Promise<NodeClient> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // One budget for reaching the node and logging in: a node that answers each step just in time still counts as down at timeoutMs.
    const started = Date.now();
    const conn = await openConnection(address, timeoutMs);
    const login = await logIn(conn, username, password, { timeoutMs, deadline: started + timeoutMs, saltedPasswordCache: options.saltedPasswordCache });
    conn.writeTimeoutMs = timeoutMs;
    return new NodeClient(conn, timeoutMs, login);
  }

  /** True once the connection cannot carry another request. */
  get broken(): boolean {
    return this.poisoned || this.conn.closed;
  }

  /** Bytes received on this connection so far. */
  get bytesReceived(): number {
    return this.conn.bytesReceived;
  }

  /** Runs one exchange; any failure poisons the connection, since it may be out of step. */
  private async exchange<T>(run: () => Promise<T>): Promise<T> {
    if (this.broken) throw new ProtocolError('CONNECTION_CLOSED', 'Connection is closed.');
    try {
      return await run();
    } catch (error) {
      this.lastFailure = error instanceof ProtocolError ? error.code : 'INTERNAL';
      // A clean ERROR reply leaves the connection in step; anything else does not.
      if (!(error instanceof ProtocolError && error.code !== 'TIMEOUT' && error.code !== 'CONNECTION_CLOSED' && error.code !== 'UNEXPECTED_MESSAGE' && error.code !== 'BAD_FRAME')) {
        this.poisoned = true;
        this.conn.destroy();
      }
      throw error;
    }
  }

  private async request<T extends Op>(message: Parameters<FramedConnection['send']>[0], reply: T) {
    await this.conn.send(message);
    return expectReply(await this.conn.receive(this.timeoutMs), reply);
  }

  /** Starts a piece upload; follow with `sendBody` calls and `endPut`. */
  async beginPut(key: Buffer, version: string, meta: Buffer, size: number): Promise<void> {
    await this.exchange(() => this.conn.send({ op: Op.PutBegin, key, version, meta, size }));
  }

  /**
   * Streams body bytes (no reply until `endPut`); waits while the node is slow to read. `flushed`
   * settles once the buffers are no longer needed by the connection.
   */
  async sendBody(...parts: Buffer[]): Promise<{ flushed: Promise<void> }> {
    return this.exchange(() => this.conn.sendBody(parts));
  }

  /** Ends the body and waits until the node holds it durably as a pending piece. */
  async endPut(): Promise<void> {
    await this.exchange(async () => {
      await this.conn.send({ op: Op.PutEnd });
      // fsync of a large piece can take a while on a slow disk.
      expectReply(await this.conn.receive(this.timeoutMs * 4), Op.Ok);
    });
  }

  /** Makes a pending piece visible to readers. */
  async commit(key: Buffer, version: string): Promise<void> {
    await this.exchange(() => this.request({ op: Op.Commit, key, version }, Op.Ok));
  }

  /** Drops a pending piece. */
  async abort(key: Buffer, version: string): Promise<void> {
    await this.exchange(() => this.request({ op: Op.Abort, key, version }, Op.Ok));
  }

  /** Deletes versions older than `keepVersion`; returns how many were removed. */
  async prune(key: Buffer, keepVersion: string): Promise<number> {
    return this.exchange(async () => (await this.request({ op: Op.Prune, key, keepVersion }, Op.Ok)).value);
  }

  /** Deletes one committed version. */
  async deleteVersion(key: Buffer, version: string): Promise<void> {
    await this.exchange(() => this.request({ op: Op.DeleteVersion, key, version }, Op.Ok));
  }

  /** Lists committed pieces (of one key, or all when `key` is empty). */
  async list(key: Buffer = Buffer.alloc(0)): Promise<ListedPiece[]> {
    return this.exchange(async () => {
      await this.conn.send({ op: Op.List, key });
      const pieces: ListedPiece[] = [];
      for (;;) {
        const reply = await this.conn.receive(this.timeoutMs);
        if (reply.op === Op.End) return pieces;
        const item = expectReply(reply, Op.ListItem);
        pieces.push({ key: item.key, version: item.version, meta: item.meta, size: item.size });
      }
    });
  }

  /** Usage figures for this user on this node. */
  async stat(): Promise<{ pieces: number; bytesUsed: number; bytesFree: number }> {
    return this.exchange(async () => {
      const reply = await this.request({ op: Op.Stat }, Op.StatOk);
      return { pieces: reply.pieces, bytesUsed: reply.bytesUsed, bytesFree: reply.bytesFree };
    });
  }

  /** Changes one of the user's verifiers: "pending", "current" or "recovery" (see SetVerifierMessage). */
  async setVerifier(slot: 'pending' | 'current' | 'recovery', verifier: string): Promise<void> {
    await this.exchange(() => this.request({ op: Op.SetVerifier, slot, verifier }, Op.Ok));
  }

  /** Round trip time in milliseconds. */
  async ping(): Promise<number> {
    return this.exchange(async () => {
      const started = performance.now();
      await this.request({ op: Op.Ping }, Op.Pong);
      return performance.now() - started;
    });
  }

  /**
   * Streams part of a committed piece. The connection is busy until the iterator finishes; a
   * caller that stops early must call `close()` (the rest of the stream is still in flight).
   */
  async *get(key: Buffer, version: string, offset: number, length: number): AsyncGenerator<Buffer> {
    const header = await this.exchange(() => this.request({ op: Op.Get, key, version, offset, length }, Op.GetOk));
    let received = 0;
    let finished = false;
    try {
      for (;;) {
        const message = await this.exchange(() => this.conn.receive(this.timeoutMs));
        if (message.op === Op.End) break;
        const data = expectReply(message, Op.Data).data;
        received += data.length;
        if (received > header.length) throw new ProtocolError('BAD_FRAME', 'The node sent more bytes than it announced.');
        yield data;
      }
      if (received !== header.length) throw new ProtocolError('BAD_FRAME', `The node sent ${received} of ${header.length} bytes.`);
      finished = true;
    } finally {
      if (!finished) {
        this.poisoned = true;
        this.conn.destroy();
      }
    }
  }

  /** Drops the connection at once (the node discards any upload in progress on it). */
  destroy(): void {
    this.poisoned = true;
    this.conn.destroy();
  }

  /** Ends the connection cleanly. */
  close(): void {
    if (this.conn.closed) return;
    this.conn.end();
  }
}
