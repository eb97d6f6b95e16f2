import { connect as tcpConnect } from 'node:net';
import { PROTOCOL_MAGIC, PROTOCOL_VERSION } from './constants.js';
import { ProtocolError, type ProtocolErrorCode } from './errors.js';
import { FramedConnection, formatDuration } from './framed-connection.js';
import { type Message, Op } from './messages.js';
import { ScramClient } from './scram.js';

/** Where a node listens. */
export interface NodeAddress {
  host: string;
  port: number;
}

/** Turns an ERROR reply into a thrown ProtocolError, and any other unexpected reply too. */
export function expectReply<T extends Message['op']>(message: Message, op: T): Extract<Message, { op: T }> {
  if (message.op === op) return message as Extract<Message, { op: T }>;
  if (message.op === Op.Error) throw new ProtocolError(message.code as ProtocolErrorCode, message.message);
  throw new ProtocolError('UNEXPECTED_MESSAGE', `Unexpected reply 0x${message.op.toString(16)}.`);
}

/** Opens a TCP connection, failing after `timeoutMs` with a clear message. */
export function openConnection(address: NodeAddress, timeoutMs: number): Promise<FramedConnection> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: address.host, port: address.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ProtocolError('TIMEOUT', `No answer from ${address.host}:${address.port} within ${formatDuration(timeoutMs)}.`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(new FramedConnection(socket));
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const why =
        error.code === 'ECONNREFUSED'
          ? 'connection refused (is the node running?)'
          : error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN'
            ? 'no such host (check the name)'
            : error.message;
      reject(new ProtocolError('CONNECTION_CLOSED', `Cannot reach ${address.host}:${address.port}: ${why}`, { cause: error }));
    });
  });
}

/** Connects and logs in with SCRAM-SHA-256; the password itself never crosses the wire. */
export async function connectAndLogin(
  address: NodeAddress,
  username: string,
  password: string,
  options: { timeoutMs?: number; saltedPasswordCache?: Map<string, Buffer> } = {},
): Promise<FramedConnection> {
  const conn = await openConnection(address, options.timeoutMs ?? 10_000);
  await logIn(conn, username, password, options);
  return conn;
}

/** What a login learned: the salt and iterations of the verifier it matched, and the id of the node process (see AuthOkMessage). */
export interface LoginResult {
  salt: Buffer;
  iterations: number;
  nodeId: string;
}

/** The SCRAM login on an open connection, all of it within `timeoutMs` (one deadline, not one per step). Closes the connection on failure. */
export async function logIn(
  conn: FramedConnection,
  username: string,
  password: string,
  /** `deadline` (a Date.now() time) ends the login earlier, when connecting already used part of `timeoutMs`. */
  options: { timeoutMs?: number; deadline?: number; saltedPasswordCache?: Map<string, Buffer> } = {},
): Promise<LoginResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = options.deadline ?? Date.now() + timeoutMs;
  const answer = async (): Promise<Message> => {
    try {
      return await conn.receive(Math.max(1, deadline - Date.now()));
    } catch (error) {
      if (error instanceof ProtocolError && error.code === 'TIMEOUT') throw new ProtocolError('TIMEOUT', `No answer to the login within ${formatDuration(timeoutMs)}.`, { cause: error });
      throw error;
    }
  };
  try {
    const scram = new ScramClient(username, password, { saltedPasswordCache: options.saltedPasswordCache });
    await conn.send({ op: Op.Hello, magic: PROTOCOL_MAGIC, minVersion: PROTOCOL_VERSION, maxVersion: PROTOCOL_VERSION, clientFirst: scram.clientFirst() });
    const challenge = expectReply(await answer(), Op.Challenge);
    await conn.send({ op: Op.AuthProof, clientFinal: scram.clientFinal(challenge.serverFirst) });
    const ok = expectReply(await answer(), Op.AuthOk);
    scram.verifyServerFinal(ok.serverFinal);
    return { ...scram.saltAndIterations, nodeId: ok.nodeId };
  } catch (error) {
    conn.destroy();
    throw error;
  }
}
