import { copyFile, link, mkdir, mkdtemp, open, readdir, readFile, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { seededBuffer as pattern } from '../../helpers/gf-reference.js';
import { rejectionOf } from '../../helpers/protocol-assertions.js';
import { PieceStore } from '../../../servers/node/piece-store.js';
import { compareVersions } from '../../../servers/protocol/versions.js';
import type { StoredPiece, UserSpace } from '../../../servers/node/piece-store.js';
import { ProtocolError } from '../../../servers/protocol/errors.js';
import type { ProtocolErrorCode } from '../../../servers/protocol/errors.js';

// The store's own calls pass through to the real ones; a test may put itself between them to see which
// directories get synced, or to run two requests in a chosen interleaving.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, link: vi.fn(actual.link), open: vi.fn(actual.open) };
});
const real = await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises');

const HOUR_MS = 60 * 60 * 1000;

/** Stores `body` as a pending piece, in two writes. */
async function storePending(space: UserSpace, key: Buffer, version: string, body: Buffer, meta: Buffer = Buffer.from(`meta of ${version}`)): Promise<void> {
  const writer = await space.beginPut(key, version, meta, body.length);
  const half = Math.floor(body.length / 2);
  await writer.write(body.subarray(0, half));
  await writer.write(body.subarray(half));
  await writer.finish();
}

async function storeCommitted(space: UserSpace, key: Buffer, version: string, body: Buffer, meta?: Buffer): Promise<void> {
  await storePending(space, key, version, body, meta);
  await space.commit(key, version);
}

async function listed(space: UserSpace, key?: Buffer): Promise<StoredPiece[]> {
  const out: StoredPiece[] = [];
  for await (const piece of space.list(key)) out.push(piece);
  return out;
}

function versionsOf(pieces: StoredPiece[]): string[] {
  return pieces.map((p) => p.version).sort(compareVersions);
}

async function read(space: UserSpace, key: Buffer, version: string, offset = 0, length = Number.MAX_SAFE_INTEGER) {
  const piece = await space.openRead(key, version, offset, length);
  const chunks: Buffer[] = [];
  try {
    // A small buffer, so that a range takes several reads.
    while (piece.reader && !piece.reader.done) chunks.push(Buffer.from(await piece.reader.readInto(Buffer.alloc(4096))));
  } finally {
    await piece.reader?.close();
  }
  return { size: piece.size, length: piece.length, hasReader: piece.reader !== undefined, bytes: Buffer.concat(chunks) };
}


/**
 * Records each directory the store fsyncs, once the sync has returned; `beforeSync` may hold a sync back.
 * (The store syncs a directory by opening it read-only and syncing the handle.)
 */
function recordDirectorySyncs(beforeSync: (path: string) => Promise<void> = async () => undefined): string[] {
  const synced: string[] = [];
  vi.mocked(open).mockImplementation(async (path, flags, mode) => {
    const handle = await real.open(path, flags, mode);
    if (flags !== 'r' || !(await handle.stat()).isDirectory()) return handle;
    const sync = handle.sync.bind(handle);
    handle.sync = async () => {
      await beforeSync(String(path));
      await sync();
      synced.push(String(path));
    };
    return handle;
  });
  return synced;
}

/** The directory holding the pieces of `key` in `space`. */
function keyDirectory(space: UserSpace, key: Buffer): string {
  return join(space.directory, 'o', key.toString('hex').slice(0, 2), key.toString('hex'));
}

async function expectCode(promise: Promise<unknown>, code: ProtocolErrorCode): Promise<void> {
  expect((await rejectionOf(promise)).code).toBe(code);
}

/** Every file and directory under `root`, as paths relative to it. */
async function walk(root: string): Promise<{ files: string[]; dirs: string[] }> {
  const files: string[] = [];
  const dirs: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        dirs.push(relative(root, path));
        await visit(path);
      } else files.push(relative(root, path));
    }
  };
  await visit(root);
  return { files, dirs };
}

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'dfs-piece-store-'));
});

afterEach(async () => {
  vi.mocked(open).mockReset();
  vi.mocked(link).mockReset();
  await rm(root, { recursive: true, force: true });
});

describe('piece store', () => {
  const key = Buffer.from('object-key-1');

  it('keeps a stored piece pending and invisible until it is committed, then lists and reads it', async () => {
    const { store } = await PieceStore.open(root);
    const space = store.userSpace('alice');
    const body = pattern(5000, 1);
    const meta = Buffer.from('{"piece":0}');
    await storePending(space, key, '0001', body, meta);

    expect(await listed(space)).toEqual([]);
    expect(await listed(space, key)).toEqual([]);
    await expectCode(space.openRead(key, '0001', 0, 10), 'NOT_FOUND');
    expect((await space.stat()).pieces).toBe(0);

    await space.commit(key, '0001');
    expect(await listed(space)).toEqual([{ key, version: '0001', meta, size: body.length }]);
    expect(await listed(space, key)).toEqual([{ key, version: '0001', meta, size: body.length }]);
    expect((await read(space, key, '0001')).bytes.equals(body)).toBe(true);
    const usage = await space.stat();
    expect(usage.pieces).toBe(1);
    expect(usage.bytesUsed).toBe(body.length);
    expect(usage.bytesFree).toBeGreaterThan(0);
  });

  it('accepts a second commit of the same piece and refuses to commit a piece that was never stored', async () => {
    const { store } = await PieceStore.open(root);
    const space = store.userSpace('alice');
    await storeCommitted(space, key, 'a1', pattern(10, 2));
    await space.commit(key, 'a1');
    expect(versionsOf(await listed(space, key))).toEqual(['a1']);
    await expectCode(space.commit(key, 'a2'), 'NOT_FOUND');
    await expectCode(space.commit(Buffer.from('other'), 'a1'), 'NOT_FOUND');
  });

  it('finishes a commit cut short between its link and its cleanup when it is retried, even after a restart', async () => {
    const space = (await PieceStore.open(root)).store.userSpace('alice');
    await storePending(space, key, 'b1', pattern(10, 3));
    const dir = join(space.directory, 'o', key.toString('hex').slice(0, 2), key.toString('hex'));
    // What a node killed in the middle of commit() leaves: the committed name linked, the pending one still there.
    await link(join(dir, 'b1.p'), join(dir, 'b1.c'));

    const restarted = (await PieceStore.open(root)).store.userSpace('alice');
    await restarted.commit(key, 'b1');
    expect(await readdir(dir)).toEqual(['b1.c']);
    expect((await read(restarted, key, 'b1')).bytes).toEqual(pattern(10, 3));
  });

  it('answers a commit retried while the first is still syncing its directory only once it has synced that directory itself', async () => {
    const space = (await PieceStore.open(root)).store.userSpace('alice');
    await storePending(space, key, 'b4', pattern(10, 6));
    let firstSyncHeld!: () => void;
    const firstSyncStarted = new Promise<void>((resolve) => (firstSyncHeld = resolve));
    let letFirstSync!: () => void;
    const firstMaySync = new Promise<void>((resolve) => (letFirstSync = resolve));
    let syncs = 0;
    const synced = recordDirectorySyncs(async () => {
      if (++syncs > 1) return;
      firstSyncHeld();
      await firstMaySync;
    });

    // The first commit has linked the piece and removed the pending name, but not yet made that durable.
    const first = space.commit(key, 'b4');
    await firstSyncStarted;
    await space.commit(key, 'b4');
    expect(synced).toEqual([keyDirectory(space, key)]);
    letFirstSync();
    await first;
    expect(synced).toEqual([keyDirectory(space, key), keyDirectory(space, key)]);
  });

  it('answers OK to a commit whose link lost to another commit of the same piece, which removed the pending name meanwhile', async () => {
    const space = (await PieceStore.open(root)).store.userSpace('alice');
    await storePending(space, key, 'b5', pattern(10, 7));
    const synced = recordDirectorySyncs();
    let firstLinked!: Promise<void>;
    let first!: Promise<void>;
    vi.mocked(link)
      .mockImplementationOnce((from, to) => (firstLinked = real.link(from, to)))
      .mockImplementationOnce(async (from, to) => {
        await firstLinked;
        // This link fails (the first made that name); the first commit then ends before this one looks again.
        try {
          await real.link(from, to);
        } finally {
          await first;
        }
      });

    first = space.commit(key, 'b5');
    await space.commit(key, 'b5');
    expect(await readdir(keyDirectory(space, key))).toEqual(['b5.c']);
    expect(synced).toEqual([keyDirectory(space, key), keyDirectory(space, key)]);
    expect((await read(space, key, 'b5')).bytes).toEqual(pattern(10, 7));
  });

  it('syncs the parent of every directory a PUT creates, so that no power loss can drop one holding committed pieces', async () => {
    const space = (await PieceStore.open(root)).store.userSpace('alice');
    const synced = recordDirectorySyncs();
    const shard = dirname(keyDirectory(space, key));
    await storeCommitted(space, key, '1', pattern(10, 1));
    expect(synced.sort()).toEqual([join(root, 'users'), space.directory, join(space.directory, 'o'), shard, keyDirectory(space, key)].sort());

    // A key of the same shard creates only its own directory; a later version, none.
    synced.length = 0;
    const sibling = Buffer.from('object-key-2');
    expect(dirname(keyDirectory(space, sibling))).toBe(shard);
    await storeCommitted(space, sibling, '1', pattern(10, 2));
    expect(synced).toEqual([shard, keyDirectory(space, sibling)]);
    synced.length = 0;
    await storeCommitted(space, key, '2', pattern(10, 3));
    expect(synced).toEqual([keyDirectory(space, key)]);
  });

  it('syncs the users directory when a STAT creates a user\'s directory before any PUT', async () => {
    const space = (await PieceStore.open(root)).store.userSpace('alice');
    const synced = recordDirectorySyncs();
    await space.stat();
    expect(synced).toEqual([join(root, 'users')]);
    await storeCommitted(space, key, '1', pattern(10, 1));
    expect(synced).toContain(space.directory);
  });

  it('commits a pending piece equal to the one committed as that version, and refuses one that differs, which stays', async () => {
    const { store } = await PieceStore.open(root);
    const space = store.userSpace('alice');
    await storeCommitted(space, key, 'b2', pattern(10, 4));
    const dir = join(space.directory, 'o', key.toString('hex').slice(0, 2), key.toString('hex'));
    await copyFile(join(dir, 'b2.c'), join(dir, 'b2.p'));
    await space.commit(key, 'b2');
    expect(await readdir(dir)).toEqual(['b2.c']);

    await storeCommitted(space, key, 'b3', pattern(10, 5));
    await writeFile(join(dir, 'b3.p'), await readFile(join(dir, 'b2.c')));
    expect((await rejectionOf(space.commit(key, 'b3'))).message).toBe('That version of the object is already stored; use a new version.');
    expect((await readdir(dir)).sort()).toEqual(['b2.c', 'b3.c']);
    expect((await read(space, key, 'b3')).bytes).toEqual(pattern(10, 5));
  });

  it('stores an empty piece', async () => {
    const { store } = await PieceStore.open(root);
    const space = store.userSpace('alice');
    await storeCommitted(space, key, '1', Buffer.alloc(0), Buffer.alloc(0));
    expect(await listed(space)).toEqual([{ key, version: '1', meta: Buffer.alloc(0), size: 0 }]);
    expect(await read(space, key, '1')).toEqual({ size: 0, length: 0, hasReader: false, bytes: Buffer.alloc(0) });
  });

  it('aborting drops a pending piece and leaves its committed versions alone', async () => {
    const { store } = await PieceStore.open(root);
    const space = store.userSpace('alice');
    await storeCommitted(space, key, '1', pattern(100, 3));
    await storePending(space, key, '2', pattern(100, 4));
    await space.abort(key, '2');
    await expectCode(space.commit(key, '2'), 'NOT_FOUND');
    expect(versionsOf(await listed(space, key))).toEqual(['1']);
    const { files } = await walk(root);
    expect(files.map((f) => f.split(sep).at(-1))).toEqual(['1.c']);
    // Aborting what is not there is harmless.
    await space.abort(key, '3');
    await space.abort(Buffer.from('never-stored'), '3');
  });

  it('prune removes committed versions older than the one kept, and no pending piece, nothing newer or elsewhere', async () => {
    const { store } = await PieceStore.open(root);
    const space = store.userSpace('alice');
    const otherKey = Buffer.from('object-key-2');
    for (const version of ['1', '2', '9', 'a', '10', '1f']) await storeCommitted(space, key, version, pattern(20, version.length));
    await storePending(space, key, '3', pattern(20, 5));
    await storePending(space, key, '20', pattern(20, 6));
    await storeCommitted(space, otherKey, '1', pattern(20, 7));

    // Kept: "a" itself and the numerically larger "10", "1f" (a string sort would drop them), and both pending pieces:
    // a concurrent writer of an older version must still be able to commit.
    expect(await space.prune(key, 'a')).toBe(3);
    expect(versionsOf(await listed(space, key))).toEqual(['a', '10', '1f']);
    await space.commit(key, '20');
    await space.commit(key, '3');
    expect(versionsOf(await listed(space, key))).toEqual(['3', 'a', '10', '1f', '20']);
    expect(versionsOf(await listed(space, otherKey))).toEqual(['1']);

    expect(await space.prune(key, 'a')).toBe(1);
    expect(await space.prune(key, 'a')).toBe(0);
    expect(await space.prune(Buffer.from('never-stored'), 'ff')).toBe(0);
  });

  it('prune never deletes a newer version written with fewer digits than the one kept', async () => {
    const { store } = await PieceStore.open(root);
    const space = store.userSpace('alice');
    await storeCommitted(space, key, 'c', pattern(20, 1));
    await storeCommitted(space, key, '000000000000000b', pattern(20, 2));
    expect(await space.prune(key, '000000000000000b')).toBe(0);
    expect(versionsOf(await listed(space, key))).toEqual(['000000000000000b', 'c']);
  });

  it('refuses a second upload of a version already stored, keeping the first intact', async () => {
    const { store } = await PieceStore.open(root);
    const space = store.userSpace('alice');
    await storeCommitted(space, key, 'abc', pattern(100, 1));
    await expectCode(storePending(space, key, 'abc', pattern(100, 2)), 'BAD_REQUEST');
    await storePending(space, key, 'abd', pattern(100, 3));
    expect((await read(space, key, 'abc')).bytes.equals(pattern(100, 1))).toBe(true);
  });

  it('refuses an upload of a version that another upload committed after it began, and leaves no pending piece of it', async () => {
    const { store } = await PieceStore.open(root);
    const space = store.userSpace('alice');
    const late = await space.beginPut(key, 'abe', Buffer.from('m'), 100);
    await storeCommitted(space, key, 'abe', pattern(100, 1));
    await late.write(pattern(100, 2));
    expect((await rejectionOf(late.finish())).message).toBe('That version of the object is already stored; use a new version.');
    expect(await readdir(keyDirectory(space, key))).toEqual(['abe.c']);
    expect((await read(space, key, 'abe')).bytes).toEqual(pattern(100, 1));
  });

  it('deleteVersion removes exactly one committed version', async () => {
    const { store } = await PieceStore.open(root);
    const space = store.userSpace('alice');
    await storeCommitted(space, key, '1', pattern(10, 1));
    await storeCommitted(space, key, '2', pattern(10, 2));
    await storePending(space, key, '3', pattern(10, 3));

    await space.deleteVersion(key, '1');
    expect(versionsOf(await listed(space, key))).toEqual(['2']);
    await expectCode(space.openRead(key, '1', 0, 1), 'NOT_FOUND');
    await expectCode(space.deleteVersion(key, '1'), 'NOT_FOUND');
    // A pending version is not a committed one: it is not found, and stays committable.
    await expectCode(space.deleteVersion(key, '3'), 'NOT_FOUND');
    await space.commit(key, '3');
    expect(versionsOf(await listed(space, key))).toEqual(['2', '3']);
  });

  it('openRead reads exactly the requested range, clipped at the end of the piece', async () => {
    const { store } = await PieceStore.open(root);
    const space = store.userSpace('alice');
    const body = pattern(300_000, 9);
    await storeCommitted(space, key, '7', body, pattern(3000, 8));

    const whole = await read(space, key, '7');
    expect(whole.size).toBe(body.length);
    expect(whole.length).toBe(body.length);
    expect(whole.bytes.equals(body)).toBe(true);

    const middle = await read(space, key, '7', 100, 50);
    expect({ size: middle.size, length: middle.length }).toEqual({ size: body.length, length: 50 });
    expect(middle.bytes.equals(body.subarray(100, 150))).toBe(true);

    const acrossReadBuffers = await read(space, key, '7', 262_000, 1000);
    expect(acrossReadBuffers.bytes.equals(body.subarray(262_000, 263_000))).toBe(true);

    const tail = await read(space, key, '7', body.length - 10, 100);
    expect(tail.length).toBe(10);
    expect(tail.bytes.equals(body.subarray(body.length - 10))).toBe(true);

    expect(await read(space, key, '7', body.length, 5)).toEqual({ size: body.length, length: 0, hasReader: false, bytes: Buffer.alloc(0) });
    expect(await read(space, key, '7', 5, 0)).toEqual({ size: body.length, length: 0, hasReader: false, bytes: Buffer.alloc(0) });
    await expectCode(space.openRead(key, '7', body.length + 1, 1), 'BAD_REQUEST');
  });

  it('a reader of a piece cut short on disk since it was opened fails with INTERNAL instead of sending less than it said', async () => {
    const { store } = await PieceStore.open(root);
    const space = store.userSpace('alice');
    await storeCommitted(space, key, '8', pattern(10_000, 2), Buffer.from('m'));
    const piece = await space.openRead(key, '8', 0, 10_000);
    try {
      const [file] = (await readdir(root, { recursive: true })).filter((name) => name.endsWith('8.c'));
      await truncate(join(root, file!), 5000);
      // The header (8 bytes and one of metadata) and 4991 bytes of body are left.
      expect((await piece.reader!.readInto(Buffer.alloc(4096))).length).toBe(4096);
      expect((await piece.reader!.readInto(Buffer.alloc(4096))).length).toBe(895);
      expect(piece.reader!.done).toBe(false);
      await expectCode(piece.reader!.readInto(Buffer.alloc(4096)), 'INTERNAL');
    } finally {
      await piece.reader!.close();
      await piece.reader!.close();
    }
  });

  it('names everything on disk in hex, whatever bytes the key and user name hold', async () => {
    const { store } = await PieceStore.open(root);
    const hostileKey = Buffer.from('../../etc/passwd/..\\x\0/ é', 'utf8');
    const space = store.userSpace('../../mallory/..');
    await storeCommitted(space, hostileKey, 'abc', pattern(10, 1));
    await storePending(space, hostileKey, 'abd', pattern(10, 2));
    await storeCommitted(space, Buffer.from('/'), '1', pattern(10, 3));

    const { files, dirs } = await walk(root);
    expect(files).toHaveLength(3);
    for (const path of [...files, ...dirs]) {
      for (const segment of path.split(sep)) {
        if (segment === 'users' || segment === 'o') continue;
        expect(segment, path).toMatch(/^[0-9a-f.\-cp]+$/);
        expect(segment, path).not.toMatch(/^\.+$/);
      }
    }
    // The user's directory sits directly under users/, and the key's hex form names its folder.
    expect(relative(join(root, 'users'), space.directory)).toMatch(/^[0-9a-f]+$/);
    expect(dirs).toContain(join('users', relative(join(root, 'users'), space.directory), 'o', hostileKey.toString('hex').slice(0, 2), hostileKey.toString('hex')));
    expect((await listed(space, hostileKey)).map((p) => p.key)).toEqual([hostileKey]);
  });

  it('refuses keys and versions outside their limits', async () => {
    const { store } = await PieceStore.open(root);
    const space = store.userSpace('alice');
    await expectCode(space.beginPut(Buffer.alloc(0), '1', Buffer.alloc(0), 1), 'BAD_REQUEST');
    await expectCode(space.beginPut(Buffer.alloc(65, 1), '1', Buffer.alloc(0), 1), 'BAD_REQUEST');
    for (const version of ['', 'AB', '../1', '1/2', 'g', '1'.repeat(33), '1.c']) {
      await expectCode(space.beginPut(key, version, Buffer.alloc(0), 1), 'BAD_REQUEST');
      await expectCode(space.commit(key, version), 'BAD_REQUEST');
      await expectCode(space.openRead(key, version, 0, 1), 'BAD_REQUEST');
    }
    expect((await walk(root)).files).toEqual([]);
  });

  it('keeps two users in separate directories that never see each other', async () => {
    const { store } = await PieceStore.open(root);
    const alice = store.userSpace('alice');
    const bob = store.userSpace('bob');
    expect(alice.directory).not.toBe(bob.directory);
    expect(store.userSpace('alice').directory).toBe(alice.directory);

    await storeCommitted(alice, key, '5', pattern(64, 1));
    expect(await listed(bob)).toEqual([]);
    expect(await listed(bob, key)).toEqual([]);
    await expectCode(bob.openRead(key, '5', 0, 64), 'NOT_FOUND');
    await expectCode(bob.deleteVersion(key, '5'), 'NOT_FOUND');
    expect(await bob.prune(key, 'ff')).toBe(0);
    expect((await bob.stat()).pieces).toBe(0);

    const { files } = await walk(root);
    expect(files).toHaveLength(1);
    expect(join(root, files[0]!).startsWith(alice.directory + sep)).toBe(true);
    expect(versionsOf(await listed(alice, key))).toEqual(['5']);
  });

  it('rejects a torn write (body shorter than declared), and leaves nothing once discarded', async () => {
    const { store } = await PieceStore.open(root);
    const space = store.userSpace('alice');
    const writer = await space.beginPut(key, '1', Buffer.from('m'), 100);
    await writer.write(pattern(60, 1));
    await expectCode(writer.finish(), 'BAD_REQUEST');
    await expectCode(space.commit(key, '1'), 'NOT_FOUND');
    expect(await listed(space)).toEqual([]);
    await writer.discard();
    expect((await walk(root)).files).toEqual([]);
  });

  it('refuses more body bytes than declared', async () => {
    const { store } = await PieceStore.open(root);
    const space = store.userSpace('alice');
    const writer = await space.beginPut(key, '1', Buffer.alloc(0), 10);
    await writer.write(pattern(8, 1));
    await expectCode(writer.write(pattern(3, 2)), 'BAD_REQUEST');
    await writer.write(pattern(2, 3));
    await writer.finish();
    await space.commit(key, '1');
    expect((await read(space, key, '1')).bytes).toEqual(Buffer.concat([pattern(8, 1), pattern(2, 3)]));
  });

  describe('while running', () => {
    it('removes pending pieces abandoned for over an hour, and neither writes in progress nor committed pieces', async () => {
      const { store } = await PieceStore.open(root);
      const space = store.userSpace('alice');
      const t0 = Math.floor(Date.now() / 1000) * 1000;
      await storeCommitted(space, key, '1', pattern(10, 1));
      await storePending(space, key, '2', pattern(10, 2));
      await storePending(space, key, '3', pattern(10, 3));
      const dir = join(space.directory, 'o', key.toString('hex').slice(0, 2), key.toString('hex'));
      for (const name of ['1.c', '2.p']) await utimes(join(dir, name), t0 / 1000, t0 / 1000);
      await utimes(join(dir, '3.p'), (t0 + 600_000) / 1000, (t0 + 600_000) / 1000);
      // A write in progress whose temp file has not been touched for as long.
      const writer = await space.beginPut(key, '4', Buffer.alloc(0), 3);
      const temp = (await readdir(dir)).find((name) => name.startsWith('.tmp-'))!;
      await utimes(join(dir, temp), t0 / 1000, t0 / 1000);

      expect(await store.removeAbandonedPending(t0 + HOUR_MS + 1)).toBe(1);
      expect((await readdir(dir)).sort()).toEqual([temp, '1.c', '3.p'].sort());
      await writer.write(Buffer.from('abc'));
      await writer.finish();
      await space.commit(key, '4');
      await expectCode(space.commit(key, '2'), 'NOT_FOUND');
      expect(versionsOf(await listed(space, key))).toEqual(['1', '4']);
    });
  });

  describe('at open', () => {
    it('removes stale temp files, and pending pieces older than an hour, but keeps fresh pending and committed pieces', async () => {
      const first = await PieceStore.open(root);
      expect(first.removedLeftovers).toBe(0);
      const space = first.store.userSpace('alice');
      const t0 = Math.floor(Date.now() / 1000) * 1000;
      await storeCommitted(space, key, '1', pattern(10, 1));
      await storePending(space, key, '2', pattern(10, 2));
      await storePending(space, key, '3', pattern(10, 3));
      const dir = join(space.directory, 'o', key.toString('hex').slice(0, 2), key.toString('hex'));
      await writeFile(join(dir, '.tmp-4-0123456789ab'), 'half a piece');
      // An interrupted write into a key that never got any further.
      const lonely = join(space.directory, 'o', 'ff', 'ffee');
      await mkdir(lonely, { recursive: true });
      await writeFile(join(lonely, '.tmp-1-abcdefabcdef'), '');

      // "1" (committed) and "2" (pending) were written long ago; "3" ten minutes before opening.
      const at = (ms: number): number => ms / 1000;
      await utimes(join(dir, '1.c'), at(t0), at(t0));
      await utimes(join(dir, '2.p'), at(t0), at(t0));
      await utimes(join(dir, '3.p'), at(t0 + 51 * 60_000), at(t0 + 51 * 60_000));

      const { store, removedLeftovers } = await PieceStore.open(root, t0 + HOUR_MS + 60_000);
      expect(removedLeftovers).toBe(3);
      const names = (await readdir(dir)).sort();
      expect(names).toEqual(['1.c', '3.p']);
      expect(await readdir(lonely)).toEqual([]);
      const reopened = store.userSpace('alice');
      await reopened.commit(key, '3');
      await expectCode(reopened.commit(key, '2'), 'NOT_FOUND');
      expect(versionsOf(await listed(reopened, key))).toEqual(['1', '3']);
    });

    it('keeps a pending piece that is exactly an hour old', async () => {
      const { store } = await PieceStore.open(root);
      const space = store.userSpace('alice');
      await storePending(space, key, '2', pattern(10, 2));
      const t0 = Math.floor(Date.now() / 1000) * 1000;
      const path = join(space.directory, 'o', key.toString('hex').slice(0, 2), key.toString('hex'), '2.p');
      await utimes(path, t0 / 1000, t0 / 1000);
      expect((await stat(path)).mtimeMs).toBe(t0);
      expect((await PieceStore.open(root, t0 + HOUR_MS)).removedLeftovers).toBe(0);
      expect((await PieceStore.open(root, t0 + HOUR_MS + 1)).removedLeftovers).toBe(1);
    });

    it('creates the users directory of a fresh root', async () => {
      const fresh = join(root, 'new-node');
      const { removedLeftovers } = await PieceStore.open(fresh);
      expect(removedLeftovers).toBe(0);
      expect((await stat(join(fresh, 'users'))).isDirectory()).toBe(true);
    });
  });
});

describe('compareVersions', () => {
  it('orders hex versions numerically, shorter before longer', () => {
    const shuffled = ['10', 'ff', '9', '100', 'a', '0', '1f', 'fff', '1', 'f0'];
    expect([...shuffled].sort(compareVersions)).toEqual(['0', '1', '9', 'a', '10', '1f', 'f0', 'ff', '100', 'fff']);
  });

  it('orders versions of the same width digit by digit, and finds equal ones equal', () => {
    expect(compareVersions('0001a2', '0001b0')).toBeLessThan(0);
    expect(compareVersions('0001b0', '0001a2')).toBeGreaterThan(0);
    expect(compareVersions('18f2c3d4e5f60718', '18f2c3d4e5f60718')).toBe(0);
    expect(compareVersions('0000000000000009', '000000000000000a')).toBeLessThan(0);
  });

  it('ignores leading zeros when the widths differ', () => {
    expect(compareVersions('000000000000000a', 'b')).toBeLessThan(0);
    expect(compareVersions('c', '000000000000000b')).toBeGreaterThan(0);
    expect(compareVersions('00ff', 'ff')).not.toBe(0);
  });
});
