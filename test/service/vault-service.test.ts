import { mkdtemp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterView, Transfer } from '../../src-main/shared/app-models.js';
import { INVALID_LOGIN_TEXT, VaultError } from '../../src-main/shared/errors.js';
import { accountOf } from '../../src-main/service/remembered-login.js';
import { VaultService, type VaultServiceOptions } from '../../src-main/service/vault-service.js';
import { filesContaining } from '../helpers/file-search.js';
import { seededBuffer } from '../helpers/gf-reference.js';
import { RecordingCredentialStore } from '../helpers/recording-credential-store.js';

const LOCAL = { kind: 'local' } as const;
const PASSWORD = 'correct horse battery staple';

/** Waits until `predicate` holds for a value from `poll`, polling briefly (no timing assertion: only a deadline). */
async function eventually<T>(poll: () => Promise<T> | T, predicate: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await poll();
    if (predicate(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function transferLog(service: VaultService): Transfer[] {
  const log: Transfer[] = [];
  service.on('transfer.changed', (t) => log.push(t));
  return log;
}

async function settled(service: VaultService, ids: string[]): Promise<Transfer[]> {
  return eventually(
    () => service.listTransfers().filter((t) => ids.includes(t.id)),
    (list) => list.length === ids.length && list.every((t) => t.state === 'done' || t.state === 'failed' || t.state === 'cancelled'),
    'transfers to finish',
  );
}

describe('vault service on the local cluster', () => {
  let dataDir: string;
  let work: string;
  let credentials: RecordingCredentialStore;
  let service: VaultService;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dfs-app-'));
    work = await mkdtemp(join(tmpdir(), 'dfs-work-'));
    credentials = new RecordingCredentialStore();
    service = new VaultService({ dataDir, credentials, statusIntervalMs: 200 });
  });

  afterAll(async () => {
    await service?.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  /** A second app with its own data folder, on the first one's cluster (by address); closed and removed after `use`. */
  async function withSecondApp(options: Partial<VaultServiceOptions>, use: (other: VaultService, addresses: string[]) => Promise<void>): Promise<void> {
    const otherDir = await mkdtemp(join(tmpdir(), 'dfs-app-'));
    const other = new VaultService({ dataDir: otherDir, credentials: new RecordingCredentialStore(), ...options });
    try {
      await use(other, (await service.clusterView()).nodes.map((n) => n.address));
    } finally {
      await other.close();
      await rm(otherDir, { recursive: true, force: true });
    }
  }

  it('starts four nodes, creates the account and signs in with one connect', async () => {
    const views: ClusterView[] = [];
    service.on('cluster.changed', (view) => views.push(view));
    const state = await service.connect({ target: LOCAL, username: 'alice', password: PASSWORD, remember: false });
    expect(state.status).toBe('signed-in');
    expect(state.username).toBe('alice');
    const view = await service.clusterView();
    expect(view.local).toBe('running');
    expect(view.localDir).toBe(join(dataDir, 'local-cluster'));
    expect(view.nodes.map((n) => [n.name, n.up, n.managed, n.running])).toEqual([
      ['DFS1', true, true, true],
      ['DFS2', true, true, true],
      ['DFS3', true, true, true],
      ['DFS4', true, true, true],
    ]);
    expect(view.nodes.every((n) => typeof n.latencyMs === 'number' && typeof n.bytesUsed === 'number')).toBe(true);
    await eventually(() => views, (v) => v.some((x) => x.local === 'running' && x.nodes.every((n) => n.up)), 'a cluster.changed event with every node up');
  });

  it('never writes the password into dfc.conf, dfs.conf or settings, and keeps the cluster folder private', async () => {
    expect(await filesContaining(dataDir, PASSWORD)).toEqual([]);
    expect((await stat(join(dataDir, 'local-cluster'))).mode & 0o777).toBe(0o700);
    expect(await readFile(join(dataDir, 'local-cluster', 'dfs.conf'), 'utf8')).toMatch(/^alice SCRAM-SHA-256\$/m);
  });

  it('keeps an existing account\'s password: a wrong one gets the classic message and signs nobody in', async () => {
    // Same cluster (the first service runs it), reached by address with a wrong password.
    await withSecondApp({}, async (other, addresses) => {
      const attempt = other.connect({ target: { kind: 'addresses', addresses }, username: 'alice', password: 'wrong', remember: false });
      await expect(attempt).rejects.toMatchObject({ code: 'AUTH_FAILED', message: INVALID_LOGIN_TEXT });
      expect((await other.state()).status).toBe('signed-out');
    });
  });

  it('uploads dropped files and folders from disk, reporting 100% only once committed', async () => {
    await mkdir(join(work, 'album', 'raw'), { recursive: true });
    await writeFile(join(work, 'notes.txt'), 'hello vault\n');
    await writeFile(join(work, 'album', 'a.jpg'), seededBuffer(3 * 1024 * 1024 + 5, 1));
    await writeFile(join(work, 'album', 'raw', 'b.cr2'), seededBuffer(70_000, 2));
    const log = transferLog(service);
    const changed: string[] = [];
    service.on('files.changed', (e) => changed.push(...e.paths));
    const { ids } = await service.uploadPaths([
      { source: join(work, 'notes.txt'), folder: '' },
      { source: join(work, 'album'), folder: 'trips' },
    ]);
    expect(ids).toHaveLength(3);
    const finished = await settled(service, ids);
    expect(finished.map((t) => [t.path, t.state, t.done === t.size])).toEqual([
      ['notes.txt', 'done', true],
      ['trips/album/a.jpg', 'done', true],
      ['trips/album/raw/b.cr2', 'done', true],
    ]);
    const big = log.filter((t) => t.path === 'trips/album/a.jpg');
    expect(big.some((t) => t.state === 'committing')).toBe(true);
    // Every announcement before "done" stays below 100%.
    expect(big.filter((t) => t.state !== 'done').every((t) => t.done < t.size)).toBe(true);
    expect(big.at(-1)).toMatchObject({ state: 'done', done: 3 * 1024 * 1024 + 5 });
    expect(changed).toEqual(expect.arrayContaining(['notes.txt', 'trips/album/a.jpg', 'trips/album/raw/b.cr2']));
    const listed = await service.list('trips/album');
    expect(listed.map((e) => [e.name, e.type, e.size, e.health])).toEqual([
      ['raw', 'folder', 0, 'healthy'],
      ['a.jpg', 'file', 3 * 1024 * 1024 + 5, 'healthy'],
    ]);
  });

  it('downloads a file to a local path byte for byte', async () => {
    const destination = join(work, 'copy.jpg');
    const { ids } = await service.download([{ path: 'trips/album/a.jpg', destination }]);
    const [transfer] = await settled(service, ids);
    expect(transfer).toMatchObject({ state: 'done', direction: 'download', size: 3 * 1024 * 1024 + 5 });
    expect((await readFile(destination)).equals(seededBuffer(3 * 1024 * 1024 + 5, 1))).toBe(true);
  });

  it('keeps both files when saving into a folder that has one of the same name, and replaces it when asked', async () => {
    const destination = join(work, 'keep.txt');
    await writeFile(destination, 'mine');
    await service.download([{ path: 'notes.txt', destination, ifExists: 'keep-both' }]).then(({ ids }) => settled(service, ids));
    expect(await readFile(destination, 'utf8')).toBe('mine');
    expect(await readFile(join(work, 'keep (2).txt'), 'utf8')).toBe('hello vault\n');
    await service.download([{ path: 'notes.txt', destination, ifExists: 'replace' }]).then(({ ids }) => settled(service, ids));
    expect(await readFile(destination, 'utf8')).toBe('hello vault\n');
  });

  it('takes an upload pushed chunk by chunk (a File without a path) and commits it on end', async () => {
    const content = seededBuffer(2 * 1024 * 1024 + 17, 3);
    const { id } = await service.beginUpload({ path: 'pushed/blob.bin', size: content.length, modified: 1_700_000_000_000 });
    for (let at = 0; at < content.length; at += 256 * 1024) await service.writeUpload({ id, bytes: content.subarray(at, at + 256 * 1024) });
    await service.endUpload({ id });
    const [entry] = await service.list('pushed');
    expect(entry).toMatchObject({ name: 'blob.bin', size: content.length, modified: new Date(1_700_000_000_000).toISOString() });
    await service.download([{ path: 'pushed/blob.bin', destination: join(work, 'blob.bin') }]).then(({ ids }) => settled(service, ids));
    expect((await readFile(join(work, 'blob.bin'))).equals(content)).toBe(true);
  });

  it('cancels a pushed upload midway: the sender is told and nothing is stored', async () => {
    const { id } = await service.beginUpload({ path: 'pushed/cancelled.bin', size: 4 * 1024 * 1024 });
    await service.writeUpload({ id, bytes: seededBuffer(1024 * 1024, 4) });
    service.cancelTransfer(id);
    await expect(service.writeUpload({ id, bytes: seededBuffer(1024, 5) })).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(service.endUpload({ id })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect((await service.list('pushed')).map((e) => e.name)).toEqual(['blob.bin']);
    expect(service.listTransfers().find((t) => t.id === id)?.state).toBe('cancelled');
  });

  it('cancels pushed uploads whose sender went away, so they do not hold transfer slots', async () => {
    await withSecondApp({ uploadIdleTimeoutMs: 200 }, async (other, addresses) => {
      await other.connect({ target: { kind: 'addresses', addresses }, username: 'alice', password: PASSWORD, remember: false });
      const abandoned = await Promise.all([1, 2].map((i) => other.beginUpload({ path: `pushed/abandoned-${i}.bin`, size: 100 })));
      const { ids } = await other.uploadPaths([{ source: join(work, 'notes.txt'), folder: 'after' }]);
      const finished = await settled(other, [...abandoned.map((a) => a.id), ...ids]);
      expect(finished.map((t) => [t.path, t.state])).toEqual([
        ['pushed/abandoned-1.bin', 'cancelled'],
        ['pushed/abandoned-2.bin', 'cancelled'],
        ['after/notes.txt', 'done'],
      ]);
      await expect(other.endUpload({ id: abandoned[0]!.id })).rejects.toMatchObject({ code: 'CANCELLED', message: expect.stringContaining('stalled') });
    });
  });

  it('refuses an upload whose bytes run short of the announced size, storing nothing', async () => {
    const { id } = await service.beginUpload({ path: 'pushed/short.bin', size: 1000 });
    await service.writeUpload({ id, bytes: seededBuffer(10, 6) });
    await expect(service.endUpload({ id })).rejects.toMatchObject({ code: 'LOCAL_IO' });
    expect((await service.list('pushed')).map((e) => e.name)).toEqual(['blob.bin']);
  });

  it('still downloads with two nodes stopped, and shows the files at risk', async () => {
    await service.stopNode(0);
    await service.stopNode(3);
    const view = await service.clusterView();
    expect(view.nodes.map((n) => n.up)).toEqual([false, true, true, false]);
    expect(view.nodes.map((n) => n.running)).toEqual([false, true, true, false]);
    const [entry] = await service.list('trips/album').then((l) => l.filter((e) => e.name === 'a.jpg'));
    expect(entry).toMatchObject({ health: 'at-risk', pieces: { good: 2, total: 4 } });
    // A folder is only as healthy as the worst file inside it.
    expect(await service.list('trips')).toMatchObject([{ name: 'album', type: 'folder', health: 'at-risk', pieces: { good: 2, total: 4 } }]);
    const destination = join(work, 'degraded.jpg');
    await service.download([{ path: 'trips/album/a.jpg', destination }]).then(({ ids }) => settled(service, ids));
    expect((await readFile(destination)).equals(seededBuffer(3 * 1024 * 1024 + 5, 1))).toBe(true);
    await service.startNode(0);
    await service.startNode(3);
    expect((await service.clusterView()).nodes.every((n) => n.up)).toBe(true);
  });

  it('refreshes the node strip after a change, so space used follows uploads without waiting for a poll', async () => {
    // Polling every hour: only the refresh after a change can bring a new view in time.
    await withSecondApp({ statusIntervalMs: 3_600_000 }, async (other, addresses) => {
      await other.connect({ target: { kind: 'addresses', addresses }, username: 'alice', password: PASSWORD, remember: false });
      const before = (await other.clusterView()).nodes.reduce((sum, n) => sum + (n.bytesUsed ?? 0), 0);
      const views: ClusterView[] = [];
      other.on('cluster.changed', (view) => views.push(view));
      await other.uploadPaths([{ source: join(work, 'album', 'a.jpg'), folder: 'more' }]).then(({ ids }) => settled(other, ids));
      await eventually(() => views, (v) => v.some((x) => x.nodes.reduce((sum, n) => sum + (n.bytesUsed ?? 0), 0) > before), 'a view with more space used');
      await other.remove(['more']);
    });
  });

  it('shows a crashed node as down and restarts it from the strip', async () => {
    const views: ClusterView[] = [];
    service.on('cluster.changed', (view) => views.push(view));
    const pid = await eventually(() => readPid(dataDir, 2), (p) => p !== undefined, 'the pid of DFS3');
    process.kill(pid!, 'SIGKILL');
    await eventually(() => views, (v) => v.some((x) => x.nodes[2]?.up === false && x.nodes[2]?.running === false), 'DFS3 shown down');
    await service.startNode(2);
    expect((await service.clusterView()).nodes[2]).toMatchObject({ up: true, running: true });
  });

  it('signs in through a dfc.conf file, remembering its absolute path', async () => {
    await withSecondApp({}, async (other) => {
      const conf = join(work, 'client.conf');
      const lines = (await service.clusterView()).nodes.map((n) => `Server ${n.name} ${n.address}`);
      await writeFile(conf, `${lines.join('\n')}\nUsername: alice\n`);
      const state = await other.connect({ target: { kind: 'config', path: conf }, username: 'alice', password: PASSWORD, remember: false });
      expect(state).toMatchObject({ status: 'signed-in', target: { kind: 'config', path: conf } });
      expect((await other.list('')).map((e) => e.name)).toContain('notes.txt');
    });
  });

  it('deletes, makes folders, checks, and finds nothing to repair on healthy files', async () => {
    await service.mkdir('empty/inner');
    expect((await service.list('empty')).map((e) => [e.name, e.type])).toEqual([['inner', 'folder']]);
    expect(await service.remove(['trips'])).toEqual({ removed: expect.arrayContaining(['trips/album/a.jpg', 'trips/album/raw/b.cr2']) });
    await expect(service.list('trips')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const health = await service.check(['notes.txt']);
    expect(health).toMatchObject([{ path: 'notes.txt', health: 'healthy', pieces: { good: 4, total: 4 } }]);
    expect(await service.repair([''])).toEqual([]);
  });

  it('refuses file operations once signed out, with a message that says what to do', async () => {
    const state = await service.signOut({ forget: false });
    expect(state.status).toBe('signed-out');
    await expect(service.list('')).rejects.toEqual(new VaultError('SIGNED_OUT', 'Sign in first.'));
    // The local cluster keeps running for the next sign-in.
    expect((await service.clusterView()).nodes.map((n) => n.running)).toEqual([true, true, true, true]);
  });
});

describe('remember me', () => {
  let dataDir: string;
  let first: VaultService | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dfs-app-'));
  });

  afterAll(async () => {
    await first?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps the password in the keychain only, resumes at the next start, and forgets it on request', async () => {
    const keychain = new RecordingCredentialStore();
    first = new VaultService({ dataDir, credentials: keychain });
    const state = await first.connect({ target: LOCAL, username: 'carol', password: PASSWORD, remember: true });
    expect(state.keychain).toEqual({ available: true, remembered: { username: 'carol', target: LOCAL } });
    expect([...keychain.secrets]).toEqual([[accountOf('carol', LOCAL, dataDir), PASSWORD]]);
    expect(await filesContaining(dataDir, PASSWORD)).toEqual([]);

    // Quitting stops the nodes; the next start of the app (same data folder and keychain) starts them and logs in by itself.
    await first.close();
    first = undefined;
    const second = new VaultService({ dataDir, credentials: keychain });
    try {
      expect((await second.resume()).status).toBe('signed-in');
      expect((await second.clusterView()).nodes.every((n) => n.up && n.managed)).toBe(true);
      const forgotten = await second.signOut({ forget: true });
      expect(forgotten.keychain.remembered).toBeUndefined();
      expect(keychain.secrets.size).toBe(0);
      const third = new VaultService({ dataDir, credentials: keychain });
      expect((await third.resume()).status).toBe('signed-out');
      await third.close();
    } finally {
      await second.close();
    }
  });

  it('says the keychain is unavailable and stores the password nowhere', async () => {
    const none = new RecordingCredentialStore(false);
    const service = new VaultService({ dataDir, credentials: none });
    try {
      const state = await service.connect({ target: LOCAL, username: 'carol', password: PASSWORD, remember: true });
      expect(state.status).toBe('signed-in');
      expect(state.keychain).toMatchObject({ available: false, reason: 'No keychain service is running on this machine.' });
      expect(state.keychain.remembered).toBeUndefined();
      expect(await filesContaining(dataDir, PASSWORD)).toEqual([]);
    } finally {
      await service.close();
    }
  });
});

/** The pid of local node `index`, read from the process list (the manager does not expose pids). */
async function readPid(dataDir: string, index: number): Promise<number | undefined> {
  const { execFile } = await import('node:child_process');
  const out = await new Promise<string>((resolve) => execFile('ps', ['-eo', 'pid=,args='], (_e, stdout) => resolve(stdout)));
  const root = join(dataDir, 'local-cluster', `DFS${index + 1}`);
  const line = out.split('\n').find((l) => l.includes(`--root ${root} `));
  return line ? Number(line.trim().split(/\s+/)[0]) : undefined;
}
