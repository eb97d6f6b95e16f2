import { randomBytes } from 'node:crypto';
import type { BufferPool } from '../protocol/buffer-pool.js';
import { type FramedConnection, formatDuration } from '../protocol/framed-connection.js';
import { PROTOCOL_MAGIC, PROTOCOL_VERSION, RECOVERY_LOGIN_SUFFIX } from '../protocol/constants.js';
import { ProtocolError, type ProtocolErrorCode } from '../protocol/errors.js';
import { type Message, Op } from '../protocol/messages.js';
import { parseVerifier, SCRAM_MIN_ITERATIONS, ScramServer, type ScramVerifier } from '../protocol/scram.js';
import { type LoginThrottle, loginThrottleKey } from './login-throttle.js';
import type { PieceStore, UserSpace } from './piece-store.js';
import { type VerifierUpdate, accountOf } from './user-store.js';
import { UploadPace } from './upload-pace.js';
import { UsersFileLockedError } from './users-file-lock.js';

/** Most body bytes written to disk in one call. */
const BATCH_WRITE_BYTES = 4 * 1024 * 1024;

/** Read buffers of one GET out at once: read into one while the socket sends the others. */
const READS_IN_FLIGHT = 4;

/** The message every failed login gets, word for word as in the classic assignment. */
export const INVALID_LOGIN_MESSAGE = 'Invalid Username/Password. Please try again.';

/** What a session needs from the node that owns it. */
export interface SessionContext {
  store: PieceStore;
  throttle: LoginThrottle;
  lookupUser: () => Promise<(username: string) => ScramVerifier | undefined>;
  /** Seeds unknown users' fake salts (the same on every node of the cluster). */
  mockSaltSecret: Buffer;
  /** This node process's random id, sent with every successful login (see AuthOkMessage). */
  nodeId: string;
  /** Writes what `update` decides, under the users file's lock (see updateVerifier); true when it wrote. */
  updateVerifier?: (loginName: string, update: VerifierUpdate) => Promise<boolean>;
  /** How long a client may stay silent between requests. */
  idleTimeoutMs: number;
  /** How long a client may take to send the next frame of a request in progress. */
  requestTimeoutMs: number;
  /** How long a new connection may take to log in, all steps together. */
  loginTimeoutMs: number;
  log: (line: string) => void;
  /** The clock of the login deadline. */
  now: () => number;
  /** The buffers GETs read pieces into, shared by the node's sessions (READ_AHEAD_BYTES each). */
  readBuffers: BufferPool;
}

/** Serves one client connection: handshake, SCRAM login, then requests until it ends. */
export class NodeSession {
  /** True while a request is being served (graceful shutdown waits for it). */
  busy = false;
  private closing = false;
  private user: UserSpace | undefined;
  /** The name this session logged in as: a username, or "<username>/recovery". */
  private loginName = '';

  constructor(
    private readonly conn: FramedConnection,
    private readonly context: SessionContext,
    private readonly remote: string,
    /** Called once the login has ended, however it ended (the node counts connections still logging in). */
    private readonly loginEnded: () => void = () => undefined,
  ) {}

  /** Ends the session after the request in progress, or at once when idle. */
  close(): void {
    this.closing = true;
    if (!this.busy) this.conn.destroy('Node is shutting down.');
  }

  /** Cuts the connection now, even mid-request. */
  abort(): void {
    this.conn.destroy('Node is shutting down.');
  }

  /** Runs the session to its end; never throws. */
  async run(): Promise<void> {
    try {
      let loggedIn;
      try {
        loggedIn = await this.login();
      } finally {
        this.loginEnded();
      }
      if (!loggedIn) return;
      while (!this.closing) {
        const message = await this.conn.receive(this.context.idleTimeoutMs);
        this.busy = true;
        try {
          await this.serve(message);
        } catch (error) {
          if (!(error instanceof ProtocolError) || isFatal(error.code)) throw error;
          await this.sendError(error.code, error.message);
        } finally {
          this.busy = false;
        }
      }
      this.conn.end();
    } catch (error) {
      const problem = this.asProtocolError(error);
      if (problem.code !== 'CONNECTION_CLOSED') {
        if (problem.code !== 'TIMEOUT') this.context.log(`closing connection from ${this.remote}: ${problem.message}`);
        await this.sendError(problem.code, problem.message).catch(() => undefined);
      }
      this.conn.end();
    }
  }

  /**
   * The error to tell the client: a ProtocolError as it is; anything else as INTERNAL with only its errno
   * code and an id, since its message may hold the node's paths. The details go to the node's log under that id.
   */
  private asProtocolError(error: unknown): ProtocolError {
    if (error instanceof ProtocolError) return error;
    const id = randomBytes(4).toString('hex');
    this.context.log(`error ${id} serving ${this.remote}: ${error instanceof Error ? error.message : String(error)}`);
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const errno = typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? `${code}, ` : '';
    return new ProtocolError('INTERNAL', `The node could not carry out the request (${errno}error ${id} in the node's log).`, { cause: error });
  }

  private async sendError(code: ProtocolErrorCode, message: string): Promise<void> {
    await this.conn.send({ op: Op.Error, code, message });
  }

  private async login(): Promise<boolean> {
    // One deadline for the whole login, so a client cannot hold a connection unauthenticated by answering each step late.
    const { loginTimeoutMs, now } = this.context;
    const deadline = now() + loginTimeoutMs;
    const timeLeft = (): number => {
      const left = deadline - now();
      if (left <= 0) throw new ProtocolError('TIMEOUT', `No login within ${formatDuration(loginTimeoutMs)}.`);
      return left;
    };
    const hello = await this.conn.receive(timeLeft());
    if (hello.op !== Op.Hello) throw new ProtocolError('UNEXPECTED_MESSAGE', 'Expected HELLO first.');
    if (hello.magic !== PROTOCOL_MAGIC) throw new ProtocolError('BAD_FRAME', 'Not a DFS Vault client.');
    if (hello.minVersion > PROTOCOL_VERSION || hello.maxVersion < PROTOCOL_VERSION) {
      throw new ProtocolError(
        'VERSION_MISMATCH',
        `This node speaks protocol version ${PROTOCOL_VERSION}; the client speaks ${hello.minVersion}-${hello.maxVersion}. Update the older side.`,
      );
    }
    const scram = new ScramServer(await this.context.lookupUser(), { mockSecret: this.context.mockSaltSecret });
    const serverFirst = scram.serverFirst(hello.clientFirst);
    const username = scram.username ?? '';
    const throttleKey = loginThrottleKey(username, this.remote);
    if (await this.refuseIfThrottled(throttleKey, username)) return false;
    await this.conn.send({ op: Op.Challenge, version: PROTOCOL_VERSION, serverFirst });
    const proof = await this.conn.receive(timeLeft());
    if (proof.op !== Op.AuthProof) throw new ProtocolError('UNEXPECTED_MESSAGE', 'Expected AUTH_PROOF.');
    // Asked again: logins started in parallel before the lock fell must not each get their guess tried.
    if (await this.refuseIfThrottled(throttleKey, username)) return false;
    const outcome = scram.serverFinal(proof.clientFinal);
    if (!outcome.ok) {
      this.context.throttle.recordFailure(throttleKey);
      this.context.log(`failed login for "${username}" from ${this.remote}`);
      await this.sendError('AUTH_FAILED', INVALID_LOGIN_MESSAGE);
      this.conn.end();
      return false;
    }
    this.context.throttle.recordSuccess(throttleKey);
    this.loginName = username;
    this.user = this.context.store.userSpace(accountOf(username));
    await this.conn.send({ op: Op.AuthOk, serverFinal: outcome.serverFinal, nodeId: this.context.nodeId });
    return true;
  }

  /** Sends AUTH_THROTTLED and ends the connection if `key` is locked out now; true if it did. */
  private async refuseIfThrottled(key: string, username: string): Promise<boolean> {
    const verdict = this.context.throttle.check(key);
    if (verdict.allowed) return false;
    const seconds = Math.ceil(verdict.retryAfterMs / 1000);
    await this.sendError('AUTH_THROTTLED', `Too many failed logins for "${username}". Try again in ${seconds} s.`);
    this.conn.end();
    return true;
  }

  private async serve(message: Message): Promise<void> {
    const user = this.user!;
    switch (message.op) {
      case Op.PutBegin:
        return this.receivePiece(user, message.key, message.version, message.meta, message.size);
      case Op.Commit:
        await user.commit(message.key, message.version);
        return this.conn.send({ op: Op.Ok, value: 0 });
      case Op.Abort:
        await user.abort(message.key, message.version);
        return this.conn.send({ op: Op.Ok, value: 0 });
      case Op.Get:
        return this.sendPiece(user, message.key, message.version, message.offset, message.length);
      case Op.List:
        for await (const piece of user.list(message.key)) await this.conn.send({ op: Op.ListItem, ...piece });
        return this.conn.send({ op: Op.End });
      case Op.Prune:
        return this.conn.send({ op: Op.Ok, value: await user.prune(message.key, message.keepVersion) });
      case Op.DeleteVersion:
        await user.deleteVersion(message.key, message.version);
        return this.conn.send({ op: Op.Ok, value: 0 });
      case Op.Stat:
        return this.conn.send({ op: Op.StatOk, ...(await user.stat()) });
      case Op.Ping:
        return this.conn.send({ op: Op.Pong });
      case Op.SetVerifier:
        await this.setVerifier(message.slot, message.verifier);
        return this.conn.send({ op: Op.Ok, value: 0 });
      default:
        throw new ProtocolError('UNEXPECTED_MESSAGE', `Opcode 0x${message.op.toString(16)} is not a request here.`);
    }
  }

  /** Changes one of this user's verifiers (see SetVerifierMessage); persisted before the OK. */
  private async setVerifier(slot: string, text: string): Promise<void> {
    const updateVerifier = this.context.updateVerifier;
    if (!updateVerifier) throw new ProtocolError('BAD_REQUEST', 'This node cannot change passwords: its users are fixed by whoever started it.');
    const account = accountOf(this.loginName);
    const change = this.verifierChange(account, slot, text);
    // Decided under the users file's lock from the user as the file holds it then: an administrator's
    // reset or removal that lands after this session logged in is seen, not written over.
    const decide = async (): Promise<ScramVerifier | undefined> => {
      const current = (await this.context.lookupUser())(account);
      return current && change.next(current);
    };
    let written: boolean;
    try {
      written = await updateVerifier(change.loginName, decide);
    } catch (error) {
      if (!(error instanceof UsersFileLockedError)) throw error;
      // The message names the node's files: it goes to the log, the client learns only to retry.
      this.context.log(`busy serving ${this.remote}: ${error.message}`);
      throw new ProtocolError('BUSY', 'The node is busy: another process has been changing its users file for a while. Try again in a moment.', { cause: error });
    }
    // A user removed from the users file while logged in must not write itself back in.
    if (!written) throw new ProtocolError('NOT_FOUND', `"${account}" is no longer a user of this node.`);
  }

  /** Which line a SET_VERIFIER changes, and its new verifier given the user's current one; checks what needs no lock first. */
  private verifierChange(account: string, slot: string, text: string): { loginName: string; next: (current: ScramVerifier) => ScramVerifier } {
    if (slot === 'current' || slot === 'recovery') {
      const verifier = acceptableVerifier(text);
      return { loginName: slot === 'current' ? account : account + RECOVERY_LOGIN_SUFFIX, next: () => verifier };
    }
    if (slot !== 'pending') throw new ProtocolError('BAD_REQUEST', `Unknown verifier slot "${slot}".`);
    if (account !== this.loginName) throw new ProtocolError('BAD_REQUEST', 'A recovery login sets the password directly, not as a pending change.');
    const staged = text === '' ? undefined : acceptableVerifier(text);
    return {
      loginName: account,
      next: (current) => {
        const { pending: _dropped, ...settled } = current;
        if (!staged) return settled;
        if (staged.iterations !== current.iterations || !staged.salt.equals(current.salt)) {
          throw new ProtocolError('BAD_REQUEST', 'A pending password must use the salt and iterations of the current one.');
        }
        return { ...settled, pending: { storedKey: staged.storedKey, serverKey: staged.serverKey } };
      },
    };
  }

  private async receivePiece(user: UserSpace, key: Buffer, version: string, meta: Buffer, size: number): Promise<void> {
    let writer: Awaited<ReturnType<UserSpace['beginPut']>> | undefined;
    let failure: ProtocolError | undefined;
    try {
      writer = await user.beginPut(key, version, meta, size);
    } catch (error) {
      failure = this.asProtocolError(error);
    }
    try {
      const pace = new UploadPace(this.context.requestTimeoutMs);
      // Keep reading the body even after a failure, so the connection stays in step with the client.
      for (;;) {
        const part = await this.receiveBodyPart(pace);
        if (part === undefined) continue;
        if (part.op === Op.PutEnd) break;
        if (part.op !== Op.Data) throw new ProtocolError('UNEXPECTED_MESSAGE', 'Expected DATA or PUT_END inside a PUT.');
        // Whatever else of the body has already arrived goes to disk in the same call.
        const parts = [part.data, ...this.conn.takeQueuedData(BATCH_WRITE_BYTES)];
        pace.received(parts.reduce((sum, data) => sum + data.length, 0));
        if (writer && !failure) {
          const writing = performance.now();
          try {
            await writer.write(...parts);
          } catch (error) {
            failure = this.asProtocolError(error);
            // The rest of the body is read and dropped: no file stays open for it meanwhile.
            await writer.discard();
          }
          pace.excuse(performance.now() - writing);
        }
      }
      if (writer && !failure) {
        try {
          await writer.finish();
        } catch (error) {
          failure = this.asProtocolError(error);
        }
      }
    } catch (error) {
      await writer?.discard();
      throw error;
    }
    if (failure) {
      await writer?.discard();
      throw failure;
    }
    await this.conn.send({ op: Op.Ok, value: size });
  }

  /** The next message of a PUT body, or undefined when a pace window ended first with enough bytes (UploadPace). */
  private async receiveBodyPart(pace: UploadPace): Promise<Message | undefined> {
    try {
      return await this.conn.receive(pace.waitMs);
    } catch (error) {
      // A connection that failed with a TIMEOUT of its own (a send nobody read) is over, not waiting.
      if (!(error instanceof ProtocolError) || error.code !== 'TIMEOUT' || this.conn.closed) throw error;
      pace.waitEnded();
      return undefined;
    }
  }

  private async sendPiece(user: UserSpace, key: Buffer, version: string, offset: number, length: number): Promise<void> {
    const { readBuffers } = this.context;
    const piece = await user.openRead(key, version, offset, length);
    // Buffers handed to the socket, each back to the pool once the kernel has taken it (or the connection closed).
    const sending: Array<{ buffer: Buffer; flushed: Promise<void> }> = [];
    try {
      await this.conn.send({ op: Op.GetOk, size: piece.size, length: piece.length });
      while (piece.reader && !piece.reader.done) {
        if (sending.length === READS_IN_FLIGHT) {
          const oldest = sending.shift()!;
          await oldest.flushed;
          readBuffers.release([oldest.buffer]);
        }
        const buffer = readBuffers.take();
        let chunk: Buffer;
        try {
          chunk = await piece.reader.readInto(buffer);
        } catch (error) {
          readBuffers.release([buffer]);
          throw error;
        }
        // A send that fails may leave the buffer with the socket until it closes: it is left to the garbage collector.
        const { flushed } = await this.conn.sendBody([chunk]);
        sending.push({ buffer, flushed });
      }
    } finally {
      // Closes the file however the send ends (a client that hangs up mid-GET included).
      await piece.reader?.close();
      for (const { buffer, flushed } of sending) void flushed.then(() => readBuffers.release([buffer]));
    }
    await this.conn.send({ op: Op.End });
  }
}

/** A verifier a client sent, if well-formed and as costly as clients demand. */
function acceptableVerifier(text: string): ScramVerifier {
  const verifier = parseVerifier(text);
  if (!verifier) throw new ProtocolError('BAD_REQUEST', 'The verifier is not in SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey> form.');
  if (verifier.iterations < SCRAM_MIN_ITERATIONS) throw new ProtocolError('BAD_REQUEST', `A verifier needs at least ${SCRAM_MIN_ITERATIONS} iterations.`);
  return verifier;
}

function isFatal(code: ProtocolErrorCode): boolean {
  return ['BAD_FRAME', 'FRAME_TOO_LARGE', 'UNKNOWN_OP', 'UNEXPECTED_MESSAGE', 'TIMEOUT', 'CONNECTION_CLOSED'].includes(code);
}

