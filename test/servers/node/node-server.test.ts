import { link, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { seededBuffer as pattern } from '../../helpers/gf-reference.js';
import { rejectionOf } from '../../helpers/protocol-assertions.js';
import { inTempDir } from '../../helpers/temp-dir.js';
import { LoginThrottle } from '../../../servers/node/login-throttle.js';
import { INVALID_LOGIN_MESSAGE } from '../../../servers/node/node-session.js';
import { startNode } from '../../../servers/node/node-server.js';
import { PieceStore } from '../../../servers/node/piece-store.js';
import { type VerifierUpdate, formatUserLine, loadUsersFile, updateVerifier } from '../../../servers/node/user-store.js';
import { UsersFileLockedError, withUsersFileLock } from '../../../servers/node/users-file-lock.js';
import { watchUsersFile } from '../../../servers/node/users-file-watcher.js';
import type { NodeOptions, RunningNode } from '../../../servers/node/node-server.js';
import { BufferPool } from '../../../servers/protocol/buffer-pool.js';
import { connectAndLogin, expectReply, logIn, openConnection } from '../../../servers/protocol/client-handshake.js';
import { MAX_DATA_CHUNK_BYTES, PROTOCOL_MAGIC, PROTOCOL_VERSION } from '../../../servers/protocol/constants.js';
import { ProtocolError } from '../../../servers/protocol/errors.js';
import type { ProtocolErrorCode } from '../../../servers/protocol/errors.js';
import { FramedConnection } from '../../../servers/protocol/framed-connection.js';
import { Op } from '../../../servers/protocol/messages.js';
import type { ErrorMessage, ListItemMessage, Message } from '../../../servers/protocol/messages.js';
import { createVerifier, formatVerifier, ScramClient } from '../../../servers/protocol/scram.js';
import type { ScramVerifier } from '../../../servers/protocol/scram.js';

const PASSWORDS = { alice: 'wonderland', bob: 'builder' } as const;
const verifiers = new Map<string, ScramVerifier>(Object.entries(PASSWORDS).map(([name, password]) => [name, createVerifier(password)]));
const lookupUser = async () => (name: string) => verifiers.get(name);
const saltedPasswordCache = new Map<string, Buffer>();
const mockSaltSecret = Buffer.alloc(32, 1);

let roots: string[] = [];
let nodes: RunningNode[] = [];
let connections: FramedConnection[] = [];

beforeEach(() => {
  roots = [];
  nodes = [];
  connections = [];
});

afterEach(async () => {
  for (const conn of connections) conn.destroy();
  await Promise.all(nodes.map((node) => node.close()));
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

async function newRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'dfs-node-'));
  roots.push(root);
  return root;
}

async function startTestNode(options: Partial<NodeOptions> = {}): Promise<RunningNode> {
  const node = await startNode({ root: options.root ?? (await newRoot()), port: 0, lookupUser, mockSaltSecret, ...options });
  nodes.push(node);
  return node;
}

function track(conn: FramedConnection): FramedConnection {
  connections.push(conn);
  return conn;
}

async function login(node: RunningNode, user: keyof typeof PASSWORDS = 'alice'): Promise<FramedConnection> {
  return track(await connectAndLogin({ host: '127.0.0.1', port: node.port }, user, PASSWORDS[user], { saltedPasswordCache, timeoutMs: 10_000 }));
}

async function open(node: RunningNode): Promise<FramedConnection> {
  return track(await openConnection({ host: '127.0.0.1', port: node.port }, 10_000));
}

/** Opens a connection from another loopback address (Linux routes all of 127.0.0.0/8 to itself). */
function openFrom(node: RunningNode, localAddress: string): Promise<FramedConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: node.port, localAddress });
    socket.once('error', reject);
    socket.once('connect', () => resolve(track(new FramedConnection(socket))));
  });
}

/** Resolves when the socket under `conn` has closed. */
function closed(conn: FramedConnection): Promise<void> {
  return new Promise((resolve) => {
    if (conn.socket.closed) resolve();
    else conn.socket.once('close', () => resolve());
  });
}

/** Runs the SCRAM exchange by hand; returns the reply to HELLO when it is not a CHALLENGE, else the reply to AUTH_PROOF. */
async function handshake(conn: FramedConnection, user: string, password: string): Promise<Message> {
  const scram = new ScramClient(user, password);
  await conn.send({ op: Op.Hello, magic: PROTOCOL_MAGIC, minVersion: PROTOCOL_VERSION, maxVersion: PROTOCOL_VERSION, clientFirst: scram.clientFirst() });
  const challenge = await conn.receive(10_000);
  if (challenge.op !== Op.Challenge) return challenge;
  await conn.send({ op: Op.AuthProof, clientFinal: scram.clientFinal(challenge.serverFirst) });
  return conn.receive(10_000);
}

function asError(message: Message): ErrorMessage {
  expect(message.op).toBe(Op.Error);
  return message as ErrorMessage;
}

async function expectErrorReply(conn: FramedConnection, code: ProtocolErrorCode): Promise<ErrorMessage> {
  const error = asError(await conn.receive(10_000));
  expect(error.code).toBe(code);
  return error;
}



async function put(conn: FramedConnection, key: Buffer, version: string, body: Buffer, meta: Buffer = Buffer.from('meta')): Promise<void> {
  await conn.send({ op: Op.PutBegin, key, version, meta, size: body.length });
  await conn.sendData(body);
  await conn.send({ op: Op.PutEnd });
  expect(expectReply(await conn.receive(10_000), Op.Ok).value).toBe(body.length);
  await conn.send({ op: Op.Commit, key, version });
  expectReply(await conn.receive(10_000), Op.Ok);
}

async function get(conn: FramedConnection, key: Buffer, version: string, offset = 0, length = Number.MAX_SAFE_INTEGER) {
  await conn.send({ op: Op.Get, key, version, offset, length });
  const head = expectReply(await conn.receive(10_000), Op.GetOk);
  const chunks: Buffer[] = [];
  let largestFrame = 0;
  for (;;) {
    const message = await conn.receive(10_000);
    if (message.op === Op.End) break;
    const data = expectReply(message, Op.Data).data;
    largestFrame = Math.max(largestFrame, data.length);
    chunks.push(data);
  }
  return { size: head.size, length: head.length, bytes: Buffer.concat(chunks), largestFrame };
}

async function list(conn: FramedConnection, key = Buffer.alloc(0)): Promise<ListItemMessage[]> {
  await conn.send({ op: Op.List, key });
  const items: ListItemMessage[] = [];
  for (;;) {
    const message = await conn.receive(10_000);
    if (message.op === Op.End) return items;
    items.push(expectReply(message, Op.ListItem));
  }
}

async function ping(conn: FramedConnection): Promise<void> {
  await conn.send({ op: Op.Ping });
  expectReply(await conn.receive(10_000), Op.Pong);
}

/** Begins a PUT of version 1 of `key` and sends the first half of its body; returns the whole body once the node is writing it. */
async function putHalfway(conn: FramedConnection, root: string, key: Buffer, seed: number): Promise<Buffer> {
  const body = pattern(2 * MAX_DATA_CHUNK_BYTES, seed);
  await conn.send({ op: Op.PutBegin, key, version: '1', meta: Buffer.from('m'), size: body.length });
  await conn.sendData(body.subarray(0, MAX_DATA_CHUNK_BYTES));
  // The node is inside the PUT once its temp file exists.
  while (!(await filesUnder(root)).some((name) => name.startsWith('.tmp-'))) await new Promise((r) => setTimeout(r, 5));
  return body;
}

/** The names of the files a node keeps for its users under `root` (its lock file aside). */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(join(root, 'users'), { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

describe('storage node', () => {
  describe('login', () => {
    it('accepts the right password and then serves requests', async () => {
      const node = await startTestNode();
      expect(node.host).toBe('127.0.0.1');
      expect(node.port).toBeGreaterThan(0);
      const conn = await login(node);
      await ping(conn);
      await conn.send({ op: Op.Stat });
      expect(expectReply(await conn.receive(10_000), Op.StatOk)).toMatchObject({ pieces: 0, bytesUsed: 0 });
    });

    it('refuses a wrong password with AUTH_FAILED and the classic message, then closes the connection', async () => {
      const node = await startTestNode();
      const conn = await open(node);
      const reply = asError(await handshake(conn, 'alice', 'wonderlan'));
      expect(reply).toEqual({ op: Op.Error, code: 'AUTH_FAILED', message: 'Invalid Username/Password. Please try again.' });
      expect(INVALID_LOGIN_MESSAGE).toBe('Invalid Username/Password. Please try again.');
      await closed(conn);

      const failure = await rejectionOf(connectAndLogin({ host: '127.0.0.1', port: node.port }, 'alice', 'WONDERLAND'));
      expect(failure.code).toBe('AUTH_FAILED');
      expect(failure.message).toBe('Invalid Username/Password. Please try again.');
    });

    it('refuses an unknown user exactly like a wrong password', async () => {
      const node = await startTestNode();
      const conn = await open(node);
      const reply = asError(await handshake(conn, 'mallory', 'wonderland'));
      expect(reply).toEqual({ op: Op.Error, code: 'AUTH_FAILED', message: 'Invalid Username/Password. Please try again.' });
      await closed(conn);
    });

    it('throttles a user after five failures, even with the right password, until the lock runs out', async () => {
      let now = 1_000_000;
      const node = await startTestNode({ throttle: new LoginThrottle({ now: () => now }) });
      for (let i = 0; i < 5; i++) {
        const failure = await rejectionOf(connectAndLogin({ host: '127.0.0.1', port: node.port }, 'alice', `guess ${i}`));
        expect(failure.code).toBe('AUTH_FAILED');
      }
      const conn = await open(node);
      const refusal = asError(await handshake(conn, 'alice', PASSWORDS.alice));
      expect(refusal.code).toBe('AUTH_THROTTLED');
      expect(refusal.message).toBe('Too many failed logins for "alice". Try again in 30 s.');
      await closed(conn);
      const again = await rejectionOf(connectAndLogin({ host: '127.0.0.1', port: node.port }, 'alice', PASSWORDS.alice));
      expect(again.code).toBe('AUTH_THROTTLED');

      // Another user is not affected, and alice gets in once the lock has run out.
      await ping(await login(node, 'bob'));
      now += 30_000;
      await ping(await login(node, 'alice'));
    });

    it('does not try the guesses of logins begun in parallel once the lock has fallen', async () => {
      const node = await startTestNode({ throttle: new LoginThrottle() });
      // Twelve logins get their challenges before any proof is judged; the last one has the right password.
      const conns = await Promise.all(Array.from({ length: 12 }, () => open(node)));
      const clients = conns.map((_, i) => new ScramClient('alice', i === 11 ? PASSWORDS.alice : `guess ${i}`));
      await Promise.all(conns.map((conn, i) => conn.send({ op: Op.Hello, magic: PROTOCOL_MAGIC, minVersion: PROTOCOL_VERSION, maxVersion: PROTOCOL_VERSION, clientFirst: clients[i]!.clientFirst() })));
      const challenges = await Promise.all(conns.map((conn) => conn.receive(10_000)));
      for (const challenge of challenges) expect(challenge.op).toBe(Op.Challenge);
      const replies = [];
      for (const [i, conn] of conns.entries()) {
        const { serverFirst } = expectReply(challenges[i]!, Op.Challenge);
        await conn.send({ op: Op.AuthProof, clientFinal: clients[i]!.clientFinal(serverFirst) });
        replies.push(asError(await conn.receive(10_000)).code);
      }
      expect(replies).toEqual([...Array(5).fill('AUTH_FAILED'), ...Array(7).fill('AUTH_THROTTLED')]);
    });

    it('refuses a HELLO outside its protocol version with VERSION_MISMATCH and closes', async () => {
      const node = await startTestNode();
      const conn = await open(node);
      const clientFirst = new ScramClient('alice', PASSWORDS.alice).clientFirst();
      await conn.send({ op: Op.Hello, magic: PROTOCOL_MAGIC, minVersion: PROTOCOL_VERSION + 1, maxVersion: PROTOCOL_VERSION + 3, clientFirst });
      const error = await expectErrorReply(conn, 'VERSION_MISMATCH');
      expect(error.message).toContain(`version ${PROTOCOL_VERSION}`);
      await closed(conn);
    });

    it('refuses a HELLO without the protocol magic', async () => {
      const node = await startTestNode();
      const conn = await open(node);
      const clientFirst = new ScramClient('alice', PASSWORDS.alice).clientFirst();
      await conn.send({ op: Op.Hello, magic: 'HTTP', minVersion: PROTOCOL_VERSION, maxVersion: PROTOCOL_VERSION, clientFirst });
      await expectErrorReply(conn, 'BAD_FRAME');
      await closed(conn);
    });

    it('refuses a request before login and closes the connection', async () => {
      const node = await startTestNode();
      const first = await open(node);
      await first.send({ op: Op.List, key: Buffer.alloc(0) });
      await expectErrorReply(first, 'UNEXPECTED_MESSAGE');
      await closed(first);

      const second = await open(node);
      await second.send({ op: Op.PutBegin, key: Buffer.from('k'), version: '1', meta: Buffer.alloc(0), size: 3 });
      await expectErrorReply(second, 'UNEXPECTED_MESSAGE');
      await closed(second);

      // A request in place of the proof is refused too.
      const third = await open(node);
      const scram = new ScramClient('alice', PASSWORDS.alice);
      await third.send({ op: Op.Hello, magic: PROTOCOL_MAGIC, minVersion: PROTOCOL_VERSION, maxVersion: PROTOCOL_VERSION, clientFirst: scram.clientFirst() });
      expectReply(await third.receive(10_000), Op.Challenge);
      await third.send({ op: Op.Get, key: Buffer.from('k'), version: '1', offset: 0, length: 1 });
      await expectErrorReply(third, 'UNEXPECTED_MESSAGE');
      await closed(third);

      expect(await filesUnder(roots[0]!)).toEqual([]);
    });
  });

  describe('connections that have not logged in', () => {
    it('are capped per address: one more gets BUSY, while other addresses and logged-in sessions go on', async () => {
      const node = await startTestNode({ maxPendingLoginsPerAddress: 3 });
      const loggedIn = await login(node);
      // Opened one after another, so the node accepts them in this order.
      const idle = [await open(node), await open(node), await open(node)];

      const over = await open(node);
      const refusal = await expectErrorReply(over, 'BUSY');
      expect(refusal.message).toBe('Too many connections from 127.0.0.1 are waiting to log in; try again in a moment.');
      await closed(over);
      expect((await rejectionOf(connectAndLogin({ host: '127.0.0.1', port: node.port }, 'bob', PASSWORDS.bob))).code).toBe('BUSY');

      await ping(loggedIn);
      const elsewhere = await openFrom(node, '127.0.0.2');
      await logIn(elsewhere, 'bob', PASSWORDS.bob, { saltedPasswordCache });
      await ping(elsewhere);

      // A login that succeeds gives its slot back: the address may open one more.
      await logIn(idle[0]!, 'alice', PASSWORDS.alice, { saltedPasswordCache });
      await ping(await login(node, 'bob'));
    });

    it('give their slot back when their login fails', async () => {
      const node = await startTestNode({ maxPendingLoginsPerAddress: 1 });
      const wrongPassword = await open(node);
      expect(asError(await handshake(wrongPassword, 'alice', 'guess')).code).toBe('AUTH_FAILED');
      const notAClient = await open(node);
      await notAClient.send({ op: Op.Hello, magic: 'HTTP', minVersion: PROTOCOL_VERSION, maxVersion: PROTOCOL_VERSION, clientFirst: 'n,,n=a,r=b' });
      await expectErrorReply(notAClient, 'BAD_FRAME');
      await ping(await login(node));
    });

    it('have one deadline for the whole login, not one per step', async () => {
      // The clock reaches the deadline while the node looks the user up, after HELLO: the next step alone would still have 60 s.
      let now = 0;
      const lookupAtDeadline = async () => {
        now = 60_000;
        return lookupUser();
      };
      const node = await startTestNode({ loginTimeoutMs: 60_000, now: () => now, lookupUser: lookupAtDeadline });
      const conn = await open(node);
      const scram = new ScramClient('alice', PASSWORDS.alice);
      await conn.send({ op: Op.Hello, magic: PROTOCOL_MAGIC, minVersion: PROTOCOL_VERSION, maxVersion: PROTOCOL_VERSION, clientFirst: scram.clientFirst() });
      expectReply(await conn.receive(10_000), Op.Challenge);
      expect((await expectErrorReply(conn, 'TIMEOUT')).message).toBe('No login within 60 s.');
      await closed(conn);
    });
  });

  describe('malformed frames', () => {
    const cases: Array<{ name: string; bytes: Buffer; code: ProtocolErrorCode; loggedIn: boolean }> = [
      { name: 'a frame header claiming 2 GiB', bytes: Buffer.from([0x80, 0x00, 0x00, 0x00, 0x11]), code: 'FRAME_TOO_LARGE', loggedIn: true },
      { name: 'an unknown opcode', bytes: Buffer.from([0x00, 0x00, 0x00, 0x01, 0x7f]), code: 'UNKNOWN_OP', loggedIn: true },
      { name: 'an empty frame', bytes: Buffer.from([0x00, 0x00, 0x00, 0x00]), code: 'BAD_FRAME', loggedIn: true },
      { name: 'a 2 GiB header before login', bytes: Buffer.from([0x80, 0x00, 0x00, 0x00, 0x01]), code: 'FRAME_TOO_LARGE', loggedIn: false },
    ];

    it.each(cases)('$name closes that connection only', async ({ bytes, code, loggedIn }) => {
      const node = await startTestNode();
      const bystander = await login(node);
      const offender = loggedIn ? await login(node) : await open(node);

      offender.socket.write(bytes);
      await expectErrorReply(offender, code);
      await closed(offender);
      expect((await rejectionOf(offender.receive(1000))).code).toBe('CONNECTION_CLOSED');

      // The connection opened before keeps working…
      const key = Buffer.from('still-here');
      const body = pattern(300_000, 1);
      await put(bystander, key, '1', body);
      expect((await get(bystander, key, '1')).bytes.equals(body)).toBe(true);
      // …and new connections are served.
      const later = await login(node);
      expect((await get(later, key, '1')).bytes.equals(body)).toBe(true);
    });
  });

  describe('requests', () => {
    it('stores, lists, reads, counts and deletes pieces', async () => {
      const node = await startTestNode();
      const conn = await login(node);
      const key = Buffer.from([0x00, 0xff, 0x2f, 0x2e]);
      await put(conn, key, '0a', pattern(1000, 1), Buffer.from('first'));
      await put(conn, key, '0b', pattern(2000, 2), Buffer.from('second'));

      const items = (await list(conn, key)).sort((a, b) => a.version.localeCompare(b.version));
      expect(items).toEqual([
        { op: Op.ListItem, key, version: '0a', meta: Buffer.from('first'), size: 1000 },
        { op: Op.ListItem, key, version: '0b', meta: Buffer.from('second'), size: 2000 },
      ]);
      expect(await list(conn)).toHaveLength(2);
      await conn.send({ op: Op.Stat });
      expect(expectReply(await conn.receive(10_000), Op.StatOk)).toMatchObject({ pieces: 2, bytesUsed: 3000 });

      await conn.send({ op: Op.DeleteVersion, key, version: '0a' });
      expectReply(await conn.receive(10_000), Op.Ok);
      expect((await list(conn, key)).map((i) => i.version)).toEqual(['0b']);
      await conn.send({ op: Op.Prune, key, keepVersion: '0c' });
      expect(expectReply(await conn.receive(10_000), Op.Ok).value).toBe(1);
      expect(await list(conn)).toEqual([]);
    });

    it('keeps a piece invisible until COMMIT, and drops it on ABORT', async () => {
      const node = await startTestNode();
      const conn = await login(node);
      const key = Buffer.from('pending');
      await conn.send({ op: Op.PutBegin, key, version: '1', meta: Buffer.alloc(0), size: 5 });
      await conn.sendData(Buffer.from('hello'));
      await conn.send({ op: Op.PutEnd });
      expectReply(await conn.receive(10_000), Op.Ok);
      expect(await list(conn)).toEqual([]);
      await conn.send({ op: Op.Get, key, version: '1', offset: 0, length: 5 });
      await expectErrorReply(conn, 'NOT_FOUND');

      await conn.send({ op: Op.Abort, key, version: '1' });
      expectReply(await conn.receive(10_000), Op.Ok);
      await conn.send({ op: Op.Commit, key, version: '1' });
      await expectErrorReply(conn, 'NOT_FOUND');
      await ping(conn);
    });

    it('a GET with offset and length streams exactly those bytes', async () => {
      const node = await startTestNode();
      const conn = await login(node);
      const key = Buffer.from('ranged');
      const body = pattern(700_000, 3);
      await put(conn, key, '1', body);

      const range = await get(conn, key, '1', 300_001, 400_000 - 7);
      expect({ size: range.size, length: range.length }).toEqual({ size: 700_000, length: 400_000 - 7 });
      expect(range.bytes.equals(body.subarray(300_001, 700_000 - 6))).toBe(true);
      expect(range.largestFrame).toBeLessThanOrEqual(MAX_DATA_CHUNK_BYTES);

      const small = await get(conn, key, '1', 5, 3);
      expect(small.length).toBe(3);
      expect(small.bytes).toEqual(body.subarray(5, 8));

      const clipped = await get(conn, key, '1', 699_990, 1000);
      expect(clipped.length).toBe(10);
      expect(clipped.bytes).toEqual(body.subarray(699_990));

      const atEnd = await get(conn, key, '1', 700_000, 10);
      expect({ size: atEnd.size, length: atEnd.length, bytes: atEnd.bytes }).toEqual({ size: 700_000, length: 0, bytes: Buffer.alloc(0) });

      await conn.send({ op: Op.Get, key, version: '1', offset: 700_001, length: 1 });
      await expectErrorReply(conn, 'BAD_REQUEST');
      await ping(conn);
    });

    it('reads the pieces it sends into a few buffers it reuses, across GETs and connections, not a new one per read', async () => {
      const node = await startTestNode();
      const conn = await login(node);
      const key = Buffer.from('reread');
      const body = pattern(6 * 1024 * 1024 + 5, 11);
      await put(conn, key, '1', body);
      const allocations = vi.spyOn(BufferPool.prototype as unknown as { allocate: () => Buffer }, 'allocate');
      try {
        expect((await get(conn, key, '1')).bytes.equals(body)).toBe(true);
        // Seven reads of 1 MiB, at most four buffers out at once: the rest came back from the socket and were read into again.
        expect(allocations.mock.calls.length).toBeGreaterThan(0);
        expect(allocations.mock.calls.length).toBeLessThanOrEqual(4);
        const first = allocations.mock.calls.length;
        const other = await login(node);
        expect((await get(other, key, '1', 1, body.length)).bytes.equals(body.subarray(1))).toBe(true);
        expect(allocations.mock.calls.length).toBe(first);
      } finally {
        allocations.mockRestore();
      }
    });

    it('answers OK to a COMMIT retried after the node died in the middle of committing it', async () => {
      const root = await newRoot();
      const first = await startTestNode({ root });
      const key = Buffer.from('retried');
      const body = pattern(5000, 7);
      const conn = await login(first);
      await conn.send({ op: Op.PutBegin, key, version: '1', meta: Buffer.from('m'), size: body.length });
      await conn.sendData(body);
      await conn.send({ op: Op.PutEnd });
      expectReply(await conn.receive(10_000), Op.Ok);
      await first.close();
      // The commit got as far as linking the committed name, not as far as removing the pending one.
      const dir = join(root, 'users', (await readdir(join(root, 'users')))[0]!, 'o', key.toString('hex').slice(0, 2), key.toString('hex'));
      await link(join(dir, '1.p'), join(dir, '1.c'));

      const retry = await login(await startTestNode({ root }));
      await retry.send({ op: Op.Commit, key, version: '1' });
      expectReply(await retry.receive(10_000), Op.Ok);
      expect(await filesUnder(root)).toEqual(['1.c']);
      expect((await get(retry, key, '1')).bytes.equals(body)).toBe(true);
    });

    it('refuses a PUT whose body is shorter than declared, leaves no file, and keeps the connection', async () => {
      const node = await startTestNode();
      const conn = await login(node);
      const key = Buffer.from('torn');
      await conn.send({ op: Op.PutBegin, key, version: '1', meta: Buffer.from('m'), size: 1000 });
      await conn.sendData(pattern(600, 1));
      await conn.send({ op: Op.PutEnd });
      const error = await expectErrorReply(conn, 'BAD_REQUEST');
      expect(error.message).toContain('600 of 1000');
      await conn.send({ op: Op.Commit, key, version: '1' });
      await expectErrorReply(conn, 'NOT_FOUND');
      expect(await filesUnder(roots[0]!)).toEqual([]);
      await ping(conn);
    });

    it('drops a PUT\'s temp file as soon as its body goes wrong, while it reads the rest of the body to stay in step', async () => {
      const root = await newRoot();
      const node = await startTestNode({ root });
      const conn = await login(node);
      await conn.send({ op: Op.PutBegin, key: Buffer.from('long'), version: '1', meta: Buffer.from('m'), size: 1 });
      await conn.sendData(pattern(1, 3));
      await expect.poll(async () => (await filesUnder(root)).filter((name) => name.startsWith('.tmp-'))).toHaveLength(1);
      await conn.sendData(pattern(1, 5));
      // The PUT is still open (no PUT_END yet), but nothing of it stays on disk.
      await expect.poll(() => filesUnder(root)).toEqual([]);
      await conn.sendData(pattern(64 * 1024, 4));
      await conn.send({ op: Op.PutEnd });
      expect((await expectErrorReply(conn, 'BAD_REQUEST')).message).toBe('More body bytes than the declared 1.');
      expect(await filesUnder(root)).toEqual([]);
      await ping(conn);
    });

    it('answers a failure of its own file system with INTERNAL, an errno code and an id, and keeps the paths in its log', async () => {
      const root = await newRoot();
      // A file where alice's objects folder belongs: every PUT of hers fails inside the node.
      const { store } = await PieceStore.open(root);
      const userDir = store.userSpace('alice').directory;
      await mkdir(userDir, { recursive: true });
      await writeFile(join(userDir, 'o'), '');
      const logged: string[] = [];
      const node = await startTestNode({ root, log: (line) => logged.push(line) });
      const conn = await login(node);
      await conn.send({ op: Op.PutBegin, key: Buffer.from('k'), version: '1', meta: Buffer.alloc(0), size: 4 });
      await conn.sendData(Buffer.from('abcd'));
      await conn.send({ op: Op.PutEnd });
      const { message } = await expectErrorReply(conn, 'INTERNAL');
      const [, id] = /^The node could not carry out the request \(ENOTDIR, error ([0-9a-f]{8}) in the node's log\)\.$/.exec(message) ?? [];
      expect(id, message).toBeDefined();
      expect(message).not.toContain(root);
      expect(logged).toEqual([expect.stringMatching(new RegExp(`^error ${id} serving 127\\.0\\.0\\.1:\\d+: ENOTDIR: .*${root}`))]);
      await ping(conn);
    });

    it('refuses a PUT with a malformed version but reads past its body and stays usable', async () => {
      const node = await startTestNode();
      const conn = await login(node);
      await conn.send({ op: Op.PutBegin, key: Buffer.from('k'), version: '../X', meta: Buffer.alloc(0), size: 4 });
      await conn.sendData(Buffer.from('abcd'));
      await conn.send({ op: Op.PutEnd });
      await expectErrorReply(conn, 'BAD_REQUEST');
      await ping(conn);
      expect(await filesUnder(roots[0]!)).toEqual([]);
    });

    it("keeps alice's pieces invisible to bob, even when he sends her exact key and version", async () => {
      const node = await startTestNode();
      const alice = await login(node, 'alice');
      const bob = await login(node, 'bob');
      const key = Buffer.from('alice-secret');
      const body = pattern(5000, 4);
      await put(alice, key, '00aa', body);

      expect(await list(bob)).toEqual([]);
      expect(await list(bob, key)).toEqual([]);
      await bob.send({ op: Op.Get, key, version: '00aa', offset: 0, length: 5000 });
      await expectErrorReply(bob, 'NOT_FOUND');
      await bob.send({ op: Op.Prune, key, keepVersion: 'ffff' });
      expect(expectReply(await bob.receive(10_000), Op.Ok).value).toBe(0);
      await bob.send({ op: Op.DeleteVersion, key, version: '00aa' });
      await expectErrorReply(bob, 'NOT_FOUND');
      await bob.send({ op: Op.Commit, key, version: '00aa' });
      await expectErrorReply(bob, 'NOT_FOUND');
      await bob.send({ op: Op.Stat });
      expect(expectReply(await bob.receive(10_000), Op.StatOk).pieces).toBe(0);

      expect((await list(alice)).map((item) => item.version)).toEqual(['00aa']);
      expect((await get(alice, key, '00aa')).bytes.equals(body)).toBe(true);
    });

    it('serves 16 concurrent connections each doing PUT, COMMIT and GET of distinct data', async () => {
      const node = await startTestNode();
      const results = await Promise.all(
        Array.from({ length: 16 }, async (_, i) => {
          const conn = await login(node);
          const key = Buffer.from(`concurrent-${i}`);
          const body = pattern(150_000 + i * 1000, i + 10);
          await put(conn, key, (i + 1).toString(16), body);
          const back = await get(conn, key, (i + 1).toString(16));
          return back.bytes.equals(body);
        }),
      );
      expect(results).toEqual(Array.from({ length: 16 }, () => true));
      const conn = await login(node);
      expect((await list(conn)).map((item) => item.key.toString()).sort()).toEqual(Array.from({ length: 16 }, (_, i) => `concurrent-${i}`).sort());
    });
  });

  describe('timeouts and shutdown', () => {
    it('closes a logged-in connection that stays silent past the idle timeout', async () => {
      const node = await startTestNode({ idleTimeoutMs: 200 });
      const conn = await login(node);
      await ping(conn);
      await expectErrorReply(conn, 'TIMEOUT');
      await closed(conn);
    });

    it('gives up a PUT whose body trickles in below the minimum pace, though no frame comes late, and keeps no file', async () => {
      const root = await newRoot();
      const node = await startTestNode({ root, requestTimeoutMs: 1000 });
      const conn = await login(node);
      await conn.send({ op: Op.PutBegin, key: Buffer.from('slow'), version: '1', meta: Buffer.from('m'), size: 1024 * 1024 });
      const trickle = (async () => {
        while (!conn.closed) {
          await conn.sendData(Buffer.from('x')).catch(() => undefined);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      })();
      const error = await expectErrorReply(conn, 'TIMEOUT');
      expect(error.message).toMatch(/^The upload brought [1-9]\d* bytes in 1 s; a node gives up on one slower than 64 KiB per 1 s\.$/);
      await closed(conn);
      await trickle;
      expect(await filesUnder(root)).toEqual([]);
    });

    it('keeps a PUT whose body comes at the pace across many windows of the request timeout', async () => {
      const node = await startTestNode({ requestTimeoutMs: 1000 });
      const conn = await login(node);
      const body = pattern(16 * 64 * 1024, 7);
      await conn.send({ op: Op.PutBegin, key: Buffer.from('steady'), version: '1', meta: Buffer.from('m'), size: body.length });
      // 64 KiB every 150 ms: 2.4 s in all, over two windows, each well above the minimum.
      for (let at = 0; at < body.length; at += 64 * 1024) {
        await conn.sendData(body.subarray(at, at + 64 * 1024));
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      await conn.send({ op: Op.PutEnd });
      expect(expectReply(await conn.receive(10_000), Op.Ok).value).toBe(body.length);
      await conn.send({ op: Op.Commit, key: Buffer.from('steady'), version: '1' });
      expectReply(await conn.receive(10_000), Op.Ok);
      expect((await get(conn, Buffer.from('steady'), '1')).bytes.equals(body)).toBe(true);
    });

    it('closes a connection that never says HELLO once the login timeout passes', async () => {
      const node = await startTestNode({ loginTimeoutMs: 200 });
      const conn = await open(node);
      await expectErrorReply(conn, 'TIMEOUT');
      await closed(conn);
    });

    it('removes a pending piece its client abandoned without COMMIT once it is over an hour old, while running', async () => {
      let now = Date.now();
      let swept!: (line: string) => void;
      const sweepLogged = new Promise<string>((resolve) => (swept = resolve));
      const root = await newRoot();
      const node = await startTestNode({ root, now: () => now, pendingSweepIntervalMs: 10, log: (line) => line.includes('abandoned') && swept(line) });
      const vanishing = await login(node);
      await vanishing.send({ op: Op.PutBegin, key: Buffer.from('left'), version: '1', meta: Buffer.alloc(0), size: 3 });
      await vanishing.sendData(Buffer.from('abc'));
      await vanishing.send({ op: Op.PutEnd });
      expectReply(await vanishing.receive(10_000), Op.Ok);
      vanishing.destroy();
      expect(await filesUnder(root)).toEqual(['1.p']);

      now += 60 * 60_000 + 1_000;
      expect(await sweepLogged).toBe('removed 1 pending piece(s) abandoned without a commit');
      expect(await filesUnder(root)).toEqual([]);
      const conn = await login(node);
      await conn.send({ op: Op.Commit, key: Buffer.from('left'), version: '1' });
      await expectErrorReply(conn, 'NOT_FOUND');
    });

    it('a graceful close lets a PUT in flight finish, refuses new connections, then closes', async () => {
      const root = await newRoot();
      const node = await startTestNode({ root });
      const conn = await login(node);
      const key = Buffer.from('in-flight');
      const body = await putHalfway(conn, root, key, 5);

      const connectionClosed = closed(conn);
      const closing = node.close();
      expect((await rejectionOf(openConnection({ host: '127.0.0.1', port: node.port }, 5000))).code).toBe('CONNECTION_CLOSED');
      await conn.sendData(body.subarray(MAX_DATA_CHUNK_BYTES));
      await conn.send({ op: Op.PutEnd });
      expect(expectReply(await conn.receive(10_000), Op.Ok).value).toBe(body.length);
      await connectionClosed;
      await closing;
      expect(await filesUnder(root)).toEqual(['1.p']);

      // The piece survived the shutdown: a new node on the same root commits and serves it.
      const restarted = await startTestNode({ root });
      const again = await login(restarted);
      await again.send({ op: Op.Commit, key, version: '1' });
      expectReply(await again.receive(10_000), Op.Ok);
      expect((await get(again, key, '1')).bytes.equals(body)).toBe(true);
    });

    it('a graceful close ends idle connections at once', async () => {
      const node = await startTestNode();
      const conn = await login(node);
      const connectionClosed = closed(conn);
      await node.close();
      await connectionClosed;
      expect((await rejectionOf(conn.receive(1000))).code).toBe('CONNECTION_CLOSED');
    });
  });
});

describe('one data folder, one node', () => {
  it('refuses a second node on the same folder, naming the holder, and leaves the first one\'s write in progress alone', async () => {
    const root = await newRoot();
    const first = await startTestNode({ root });
    const conn = await login(first);
    const key = Buffer.from('in-progress');
    const body = await putHalfway(conn, root, key, 6);

    await expect(startTestNode({ root })).rejects.toThrow(
      `The data folder ${root} is in use by another node (process ${process.pid}). Stop that node or choose another --root; if process ${process.pid} is not a DFS Vault node, delete ${join(root, 'node.pid')}.`,
    );
    await conn.sendData(body.subarray(MAX_DATA_CHUNK_BYTES));
    await conn.send({ op: Op.PutEnd });
    expect(expectReply(await conn.receive(10_000), Op.Ok).value).toBe(body.length);
    await conn.send({ op: Op.Commit, key, version: '1' });
    expectReply(await conn.receive(10_000), Op.Ok);
    expect((await get(conn, key, '1')).bytes.equals(body)).toBe(true);
  });

  it('keeps the folder locked until a session cut off by the shutdown has finished what it was doing', async () => {
    const root = await newRoot();
    let saveStarted!: () => void;
    const saving = new Promise<void>((resolve) => (saveStarted = resolve));
    let letSaveEnd!: () => void;
    const saveMayEnd = new Promise<void>((resolve) => (letSaveEnd = resolve));
    const updateVerifier = async (): Promise<boolean> => {
      saveStarted();
      await saveMayEnd;
      return true;
    };
    const node = await startTestNode({ root, updateVerifier, shutdownGraceMs: 20 });
    const conn = await login(node);
    await conn.send({ op: Op.SetVerifier, slot: 'current', verifier: formatVerifier(createVerifier('new one')) });
    await saving;

    const closing = node.close();
    await closed(conn);
    const settled = await Promise.race([closing.then(() => 'closed'), new Promise((r) => setTimeout(() => r('still closing'), 200))]);
    expect(settled).toBe('still closing');
    expect(await readdir(root)).toContain('node.pid');
    letSaveEnd();
    await closing;
    expect(await readdir(root)).toEqual(['users']);
  });

  it('takes over the lock of a node that died without letting go, and lets go when closed', async () => {
    const root = await newRoot();
    const deadPid = 2 ** 31 - 1;
    await writeFile(join(root, 'node.pid'), `${deadPid}\n`);
    const node = await startTestNode({ root });
    expect(await readFile(join(root, 'node.pid'), 'utf8')).toBe(`${process.pid}\n`);
    await node.close();
    expect(await readdir(root)).toEqual(['users']);
    await ping(await login(await startTestNode({ root })));
  });
});

describe('clients that hang up in the middle of a GET', () => {
  it('leave no file open on the node', async () => {
    const node = await startTestNode();
    const writer = await login(node);
    const key = Buffer.from('hang-up');
    await put(writer, key, 'a1', pattern(4 * 1024 * 1024, 3));
    const { readdir } = await import('node:fs/promises');
    const openFiles = async (): Promise<number> => (await readdir('/proc/self/fd')).length;
    const before = await openFiles();
    for (let i = 0; i < 40; i++) {
      const conn = await login(node);
      await conn.send({ op: Op.Get, key, version: 'a1', offset: 0, length: Number.MAX_SAFE_INTEGER });
      conn.destroy();
      await closed(conn);
    }
    // Sessions notice the hang-ups asynchronously; wait (bounded) until the count settles.
    let after = await openFiles();
    for (let tries = 0; tries < 100 && after > before; tries++) {
      await new Promise((r) => setTimeout(r, 20));
      after = await openFiles();
    }
    expect(after).toBeLessThanOrEqual(before);
  });
});

describe('changing verifiers over the wire (SET_VERIFIER)', () => {
  const saved = new Map<string, ScramVerifier>();
  const changeable = {
    lookupUser: async () => (name: string) => saved.get(name),
    updateVerifier: async (name: string, update: VerifierUpdate) => {
      const next = await update();
      if (next) saved.set(name, next);
      return next !== undefined;
    },
  };

  beforeEach(() => {
    saved.clear();
    saved.set('alice', verifiers.get('alice')!);
  });

  async function setVerifier(conn: FramedConnection, slot: string, verifier: string): Promise<Message> {
    await conn.send({ op: Op.SetVerifier, slot, verifier });
    return conn.receive(10_000);
  }

  it('stores a pending password only with the current salt, then makes it current', async () => {
    const node = await startTestNode(changeable);
    const conn = await login(node);
    const { salt, iterations } = saved.get('alice')!;
    const other = await setVerifier(conn, 'pending', formatVerifier(createVerifier('new one')));
    expect(other).toMatchObject({ op: Op.Error, code: 'BAD_REQUEST', message: expect.stringContaining('salt and iterations of the current one') });
    const next = createVerifier('new one', { salt, iterations });
    expect(await setVerifier(conn, 'pending', formatVerifier(next))).toMatchObject({ op: Op.Ok });
    expect(saved.get('alice')!.pending).toEqual({ storedKey: next.storedKey, serverKey: next.serverKey });
    expect(await setVerifier(conn, 'pending', '')).toMatchObject({ op: Op.Ok });
    expect(saved.get('alice')!.pending).toBeUndefined();
    expect(await setVerifier(conn, 'current', formatVerifier(next))).toMatchObject({ op: Op.Ok });
    expect(saved.get('alice')).toMatchObject({ storedKey: next.storedKey });
    expect(await setVerifier(conn, 'current', 'SCRAM-SHA-256$100:c2FsdA==$' + 'A'.repeat(43) + '=:' + 'A'.repeat(43) + '=')).toMatchObject({ op: Op.Error, code: 'BAD_REQUEST' });
    expect(await setVerifier(conn, 'owner', formatVerifier(next))).toMatchObject({ op: Op.Error, message: 'Unknown verifier slot "owner".' });
  });

  it('lets a recovery login into its user\'s space, where it may replace the password but not stage one', async () => {
    const node = await startTestNode(changeable);
    const conn = await login(node);
    await put(conn, Buffer.from('k1'), '0a', Buffer.from('piece'));
    expect(await setVerifier(conn, 'recovery', formatVerifier(createVerifier('recovery secret')))).toMatchObject({ op: Op.Ok });
    const recovery = track(await connectAndLogin({ host: '127.0.0.1', port: node.port }, 'alice/recovery', 'recovery secret', { timeoutMs: 10_000 }));
    await recovery.send({ op: Op.List, key: Buffer.alloc(0) });
    expect(await recovery.receive(10_000)).toMatchObject({ op: Op.ListItem, key: Buffer.from('k1') });
    expect(await recovery.receive(10_000)).toMatchObject({ op: Op.End });
    expect(await setVerifier(recovery, 'pending', formatVerifier(createVerifier('x')))).toMatchObject({ op: Op.Error, code: 'BAD_REQUEST' });
    expect(await setVerifier(recovery, 'current', formatVerifier(createVerifier('reset')))).toMatchObject({ op: Op.Ok });
    expect((await rejectionOf(connectAndLogin({ host: '127.0.0.1', port: node.port }, 'alice', PASSWORDS.alice)))).toMatchObject({ code: 'AUTH_FAILED' });
    track(await connectAndLogin({ host: '127.0.0.1', port: node.port }, 'alice', 'reset', { timeoutMs: 10_000 }));
  });

  it("decides under the users file's lock: an administrator's reset made while a change waits for it is not written over", async () => {
    await inTempDir(async (dir) => {
      const usersFile = join(dir, 'dfs.conf');
      const before = verifiers.get('alice')!;
      await writeFile(usersFile, `${formatUserLine('alice', before)}\n`);
      const node = await startTestNode({ lookupUser: watchUsersFile(usersFile, () => undefined), updateVerifier: (name, update) => updateVerifier(usersFile, name, update) });
      const conn = await login(node);
      const staged = createVerifier('new one', { salt: before.salt, iterations: before.iterations });
      const reset = createVerifier('reset by the administrator');
      let reply: Promise<Message> | undefined;
      await withUsersFileLock(usersFile, async () => {
        reply = setVerifier(conn, 'pending', formatVerifier(staged));
        // The node has the request and waits for the lock, which this test holds while it resets alice.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await writeFile(`${usersFile}.new`, `${formatUserLine('alice', reset)}\n`);
        await rename(`${usersFile}.new`, usersFile);
      });
      expect(await reply).toMatchObject({ op: Op.Error, code: 'BAD_REQUEST', message: expect.stringContaining('salt and iterations of the current one') });
      expect((await loadUsersFile(usersFile)).users.get('alice')).toEqual(reset);
    });
  });

  it('does not let a session outlive the removal of its user by writing a password back, in any slot', async () => {
    const node = await startTestNode(changeable);
    const conn = await login(node);
    saved.delete('alice');
    for (const slot of ['current', 'recovery', 'pending']) {
      expect(await setVerifier(conn, slot, formatVerifier(createVerifier('back again'))), slot).toMatchObject({ op: Op.Error, code: 'NOT_FOUND' });
    }
    expect(saved.size).toBe(0);
  });

  it("answers BUSY, without the node's paths, when the users file stays locked by another process, and keeps the connection", async () => {
    const logged: string[] = [];
    const locked = async (): Promise<boolean> => {
      throw new UsersFileLockedError('/srv/dfs/dfs.conf is locked by process 4242 for more than 10 s; try again, or remove /srv/dfs/dfs.conf.lock if that process is gone.');
    };
    const node = await startTestNode({ ...changeable, updateVerifier: locked, log: (line) => logged.push(line) });
    const conn = await login(node);
    const reply = await setVerifier(conn, 'current', formatVerifier(createVerifier('new one')));
    expect(reply).toMatchObject({ op: Op.Error, code: 'BUSY', message: expect.stringContaining('Try again in a moment') });
    expect((reply as { message: string }).message).not.toContain('/srv/dfs');
    expect(logged).toEqual([expect.stringMatching(/^busy serving 127\.0\.0\.1:\d+: \/srv\/dfs\/dfs\.conf is locked by process 4242/)]);
    await ping(conn);
  });

  it('refuses any change on a node started without a way to save users', async () => {
    const node = await startTestNode();
    expect(await setVerifier(await login(node), 'current', formatVerifier(createVerifier('x')))).toMatchObject({ op: Op.Error, code: 'BAD_REQUEST', message: expect.stringContaining('cannot change passwords') });
  });
});
