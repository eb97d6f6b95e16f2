import { describe, expect, it, vi } from 'vitest';
import type { FileTransfers } from '../../src-renderer/api/file-transfers.js';
import { HOST_LOST_TEXT, connectEvents, followHostConnection } from '../../src-renderer/store/events.js';
import { healthTargets } from '../../src-renderer/store/folder-slice.js';
import { createVaultStore } from '../../src-renderer/store/store.js';
import { baseName } from '../../src-renderer/store/vault-paths.js';
import { createFakeVault, settle } from './helpers/fake-vault.js';

const noFiles: FileTransfers = { uploadFiles: async () => [], downloadEntries: async () => undefined, stopUpload: () => undefined };

function setup(files: Record<string, number | null> = {}, options: { keychain?: boolean } = {}) {
  const fake = createFakeVault(files, options);
  const store = createVaultStore({ api: fake.api, files: noFiles });
  connectEvents(fake.api, store);
  return { fake, store };
}

const login = { target: { kind: 'local' as const }, username: 'alice', password: 'secret', remember: false };

describe('store', () => {
  it('starts on the connect screen when nothing is remembered', async () => {
    const { store } = setup();
    await store.getState().start();
    expect(store.getState().phase).toBe('signed-out');
    expect(store.getState().info?.host).toBe('web');
    expect(store.getState().cluster?.local).toBe('stopped');
  });

  it('signs in, starts the local cluster and lists the top folder', async () => {
    const { store } = setup({ 'a.txt': 10, 'docs/b.txt': 20 });
    await store.getState().start();
    expect(await store.getState().connect(login)).toBe(true);
    await settle();
    const s = store.getState();
    expect(s.phase).toBe('signed-in');
    expect(s.cluster?.local).toBe('running');
    expect(s.entries.map((e) => e.path).sort()).toEqual(['a.txt', 'docs']);
  });

  it('shows the host message word for word on a wrong password', async () => {
    const { store } = setup();
    expect(await store.getState().connect({ ...login, password: 'wrong' })).toBe(false);
    expect(store.getState().notices.map((n) => [n.kind, n.text, n.code])).toEqual([['error', 'Invalid Username/Password. Please try again.', 'AUTH_FAILED']]);
    expect(store.getState().phase).not.toBe('signed-in');
  });

  it('takes a failed attempt\'s error away as soon as the next sign-in starts', async () => {
    const { fake, store } = setup();
    expect(await store.getState().connect({ ...login, password: 'wrong' })).toBe(false);
    expect(store.getState().notices).toHaveLength(1);
    let answer: () => void = () => undefined;
    fake.override('session.connect', () => new Promise((_, reject) => (answer = () => reject(new Error('The nodes did not answer.')))));
    const second = store.getState().connect(login);
    expect(store.getState().connecting).toBe(true);
    expect(store.getState().notices).toEqual([]);
    answer();
    expect(await second).toBe(false);
    expect(store.getState().notices.map((n) => n.text)).toEqual(['The nodes did not answer.']);
  });

  it('warns that nothing is remembered when the keychain is unavailable', async () => {
    const { store } = setup({}, { keychain: false });
    await store.getState().connect({ ...login, remember: true });
    expect(store.getState().notices.map((n) => n.text)).toEqual(['Cannot remember the password on this machine: no Secret Service is running']);
  });

  it('refreshes the folder when the host reports changes in it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { fake, store } = setup({ 'a.txt': 10 });
      await store.getState().connect(login);
      await vi.runAllTimersAsync();
      fake.objects.set('new.txt', { path: 'new.txt', type: 'file', size: 5, modified: '2026-01-01T00:00:00Z', good: 4 });
      fake.emit('files.changed', { paths: ['new.txt'] });
      await vi.runAllTimersAsync();
      expect(store.getState().entries.map((e) => e.path).sort()).toEqual(['a.txt', 'new.txt']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('ignores a slow listing of a folder that was left', async () => {
    const { fake, store } = setup({ 'a/x.txt': 1, 'b/y.txt': 2 });
    await store.getState().connect(login);
    await settle();
    let release: () => void = () => undefined;
    fake.override('files.list', async ({ folder }) => {
      if (folder === 'a') await new Promise<void>((resolve) => (release = resolve));
      return [...fake.objects.values()].filter((o) => o.path.startsWith(`${folder}/`)).map((o) => ({ name: o.path.split('/').pop() ?? '', path: o.path, type: o.type, size: o.size, modified: o.modified, pieces: { good: 4, total: 4 }, health: 'healthy' as const }));
    });
    const slow = store.getState().openFolder('a');
    await store.getState().openFolder('b');
    release();
    await slow;
    expect(store.getState().folder).toBe('b');
    expect(store.getState().entries.map((e) => e.path)).toEqual(['b/y.txt']);
  });

  it('puts the keyboard cursor on the folder just left when going up', async () => {
    const { store } = setup({ 'a/b/c/x.txt': 1, 'a/y.txt': 2 });
    await store.getState().connect(login);
    await settle();
    await store.getState().openFolder('a/b/c');
    await store.getState().openFolder('a');
    expect(store.getState().selection).toEqual({ selected: [], anchor: null, focused: 'a/b' });
    await store.getState().openFolder('a/b');
    expect(store.getState().selection.focused).toBeNull();
  });

  it('makes folders, refusing bad names before asking the host', async () => {
    const { fake, store } = setup();
    await store.getState().connect(login);
    expect(await store.getState().makeFolder('a/b')).toMatch(/cannot contain/);
    expect(await store.getState().makeFolder('photos')).toBeNull();
    expect(fake.objects.has('photos')).toBe(true);
    expect(await store.getState().makeFolder('photos')).toBe('"photos" already exists.');
  });

  it('deletes entries and drops them from the selection', async () => {
    const { store } = setup({ 'a.txt': 1, 'b.txt': 2 });
    await store.getState().connect(login);
    await settle();
    store.getState().setSelection({ selected: ['a.txt', 'b.txt'], anchor: 'a.txt', focused: 'b.txt' });
    await store.getState().removeEntries(store.getState().entries.filter((e) => e.path === 'a.txt'));
    expect(store.getState().entries.map((e) => e.path)).toEqual(['b.txt']);
    expect(store.getState().selection.selected).toEqual(['b.txt']);
  });

  it('opens readable check and repair results', async () => {
    const { fake, store } = setup({ 'a.txt': 1 });
    const stored = fake.objects.get('a.txt');
    if (stored) stored.good = 3;
    await store.getState().connect(login);
    await store.getState().checkPaths(['a.txt']);
    expect(store.getState().dialog).toMatchObject({ kind: 'check-results', results: [{ path: 'a.txt', health: 'degraded' }] });
    store.getState().closeDialog();
    await store.getState().repairPaths(['a.txt']);
    expect(store.getState().dialog).toMatchObject({ kind: 'repair-results', results: [{ path: 'a.txt', after: { good: 4, total: 4 } }] });
  });

  it('keeps a dialog the user is in when a check ends, and shows the results after it', async () => {
    const { fake, store } = setup({ 'a.txt': 1 });
    await store.getState().connect(login);
    await settle();
    let finishCheck: () => void = () => undefined;
    fake.override('files.check', async () => {
      await new Promise<void>((resolve) => (finishCheck = resolve));
      return [{ path: 'a.txt', kind: 'file' as const, size: 1, health: 'healthy' as const, pieces: { good: 4, total: 4 }, detail: [] }];
    });
    const checking = store.getState().checkPaths(['a.txt']);
    store.getState().openDialog({ kind: 'change-password' });
    finishCheck();
    await checking;
    expect(store.getState().dialog).toEqual({ kind: 'change-password' });
    store.getState().closeDialog();
    expect(store.getState().dialog).toMatchObject({ kind: 'check-results', results: [{ path: 'a.txt' }] });
    store.getState().closeDialog();
    expect(store.getState().dialog).toBeNull();
  });

  it('keeps an upload waiting for its Replace answer when another dialog comes, and drops waiting dialogs on sign-out', async () => {
    const { store } = setup({ 'a.txt': 1 });
    await store.getState().connect(login);
    await settle();
    await store.getState().uploadItems([{ path: 'a.txt', file: new File(['x'], 'a.txt') }]);
    expect(store.getState().dialog?.kind).toBe('confirm-replace');
    await store.getState().repairPaths(['a.txt']);
    expect(store.getState().dialog?.kind).toBe('confirm-replace');
    expect(store.getState().waitingDialogs.map((d) => d.kind)).toEqual(['repair-results']);
    await store.getState().signOut(false);
    expect(store.getState().dialog).toBeNull();
    expect(store.getState().waitingDialogs).toEqual([]);
  });

  it('asks before a sign-out cancels transfers under way, and signs out at once when only a committing upload is left', async () => {
    const { fake, store } = setup({ 'a.txt': 1 });
    await store.getState().connect(login);
    await settle();
    fake.emit('transfer.changed', { id: 'up', direction: 'upload', path: 'big.bin', size: 100, done: 40, state: 'running', startedAt: 1, bytesPerSecond: 10 });
    store.getState().requestSignOut(false);
    await settle();
    expect(store.getState().phase).toBe('signed-in');
    expect(store.getState().dialog).toEqual({ kind: 'confirm-sign-out', forget: false, transfers: 1 });
    store.getState().closeDialog();
    // A committing upload is waited for by the sign-out, not cancelled: nothing to ask about.
    fake.emit('transfer.changed', { id: 'up', direction: 'upload', path: 'big.bin', size: 100, done: 99, state: 'committing', startedAt: 1, bytesPerSecond: 10 });
    store.getState().requestSignOut(false);
    await settle();
    expect(store.getState().dialog).toBeNull();
    expect(store.getState().phase).toBe('signed-out');
  });

  it('checks and repairs the selected folders as well as files, and everything in the folder when nothing is selected', async () => {
    const { store } = setup({ 'a.txt': 1, 'docs/b.txt': 2, 'photos/c.jpg': 3 });
    await store.getState().connect(login);
    await settle();
    expect(healthTargets(store.getState()).sort()).toEqual(['a.txt', 'docs', 'photos']);
    store.getState().setSelection({ selected: ['docs'], anchor: 'docs', focused: 'docs' });
    expect(healthTargets(store.getState())).toEqual(['docs']);
  });

  it('keeps transfers from events and clears the finished ones', async () => {
    const { fake, store } = setup();
    const base = { direction: 'upload' as const, size: 10, startedAt: 1, bytesPerSecond: 0 };
    fake.emit('transfer.changed', { ...base, id: 'a', path: 'a', done: 10, state: 'done' });
    fake.emit('transfer.changed', { ...base, id: 'b', path: 'b', done: 5, state: 'running' });
    expect(store.getState().transfers).toHaveLength(2);
    await store.getState().clearFinishedTransfers();
    expect(store.getState().transfers.map((t) => t.id)).toEqual(['b']);
    expect(fake.calls.map((c) => c.name)).toContain('transfers.clearFinished');
  });

  it('reports upload failures as one notice', async () => {
    const fake = createFakeVault();
    const failing: FileTransfers = {
      uploadFiles: async (items) => items.map((i) => ({ path: i.path, error: { code: 'QUORUM_FAILED' as const, message: 'Only 2 of 4 nodes answered.' } })),
      downloadEntries: async () => undefined,
      stopUpload: () => undefined,
    };
    const store = createVaultStore({ api: fake.api, files: failing });
    await store.getState().connect(login);
    const file = new File(['x'], 'x.txt');
    await store.getState().uploadItems([
      { file, path: 'x.txt' },
      { file, path: 'y.txt' },
    ]);
    expect(store.getState().notices.map((n) => n.text)).toEqual(['2 uploads failed. x.txt: Only 2 of 4 nodes answered.']);
  });

  it('says once, and until it is back, that the browser host has stopped; then fetches everything again', async () => {
    const { fake, store } = setup({ 'a.txt': 10 });
    await store.getState().connect(login);
    await settle();
    followHostConnection('lost', store, fake.api);
    followHostConnection('lost', store, fake.api);
    expect(store.getState().notices.map((n) => [n.kind, n.text, n.repeat, n.persistent])).toEqual([['error', HOST_LOST_TEXT, 1, true]]);
    let asked = 0;
    fake.override('session.state', async () => {
      asked++;
      return fake.session;
    });
    followHostConnection('back', store, fake.api);
    await settle();
    expect(store.getState().notices).toEqual([]);
    expect(asked).toBe(1);
  });

  it('goes back to the connect screen when the host ends the session', async () => {
    const { fake, store } = setup({ 'a.txt': 1 });
    await store.getState().connect(login);
    await settle();
    fake.session = { status: 'signed-out', keychain: { available: true } };
    fake.emit('session.changed', fake.session);
    expect(store.getState().phase).toBe('signed-out');
    expect(store.getState().entries).toEqual([]);
  });
});

describe('store notices', () => {
  it('drops connect-screen errors once signed in', async () => {
    const { store } = setup();
    await store.getState().connect({ ...login, password: 'wrong' });
    expect(store.getState().notices).toHaveLength(1);
    await store.getState().connect(login);
    expect(store.getState().notices).toEqual([]);
  });
});

describe('store and the node strip', () => {
  it('lists the folder again when a node goes down', async () => {
    const { fake, store } = setup({ 'a.txt': 1 });
    await store.getState().connect(login);
    await settle();
    const lists = () => fake.calls.filter((c) => c.name === 'files.list').length;
    const before = lists();
    await store.getState().stopNode(1);
    await settle();
    expect(store.getState().cluster?.nodes[1]?.up).toBe(false);
    expect(lists()).toBe(before + 1);
  });

  it('lists uploads waiting for a slot as queued, and cancels one without asking the host', async () => {
    const fake = createFakeVault();
    await fake.api.session.connect(login);
    const stopped: string[] = [];
    let finish: () => void = () => undefined;
    const files: FileTransfers = { ...noFiles, stopUpload: (path) => void stopped.push(path), uploadFiles: () => new Promise((resolve) => (finish = () => resolve([]))) };
    const store = createVaultStore({ api: fake.api, files });
    store.setState({ phase: 'signed-in' });
    const items = ['a.bin', 'b.bin', 'c.bin'].map((path) => ({ path, file: new File(['12345'], path) }));
    const uploading = store.getState().uploadItems(items);
    await settle();
    const rows = () => store.getState().transfers.map((t) => [t.path, t.state]);
    expect(rows()).toEqual([
      ['a.bin', 'queued'],
      ['b.bin', 'queued'],
      ['c.bin', 'queued'],
    ]);
    store.getState().applyTransfer({ id: 'host-a', direction: 'upload', path: 'a.bin', size: 5, done: 1, state: 'running', startedAt: 0, bytesPerSecond: 1 });
    const waitingB = store.getState().transfers.find((t) => t.path === 'b.bin')!;
    await store.getState().cancelTransfer(waitingB.id);
    expect(stopped).toEqual(['b.bin']);
    expect(fake.calls.filter((c) => c.name === 'transfers.cancel')).toEqual([]);
    expect(rows()).toEqual([
      ['b.bin', 'cancelled'],
      ['c.bin', 'queued'],
      ['a.bin', 'running'],
    ]);
    finish();
    await uploading;
    expect(rows()).toEqual([
      ['b.bin', 'cancelled'],
      ['a.bin', 'running'],
    ]);
  });

  it('asks before an upload replaces files, and replaces them or keeps both as answered', async () => {
    const fake = createFakeVault({ 'a.txt': 1, 'docs/b.txt': 2, 'docs/inner/c.txt': 3 });
    await fake.api.session.connect(login);
    const sent: string[][] = [];
    const store = createVaultStore({ api: fake.api, files: { ...noFiles, uploadFiles: async (items) => (sent.push(items.map((i) => i.path)), []) } });
    store.setState({ phase: 'signed-in' });
    const items = ['a.txt', 'docs/b.txt', 'docs/new.txt', 'docs/inner/c.txt', 'fresh/a.txt'].map((path) => ({ path, file: new File(['x'], baseName(path)) }));
    await store.getState().uploadItems(items, ['empty']);
    expect(sent).toEqual([]);
    expect(store.getState().dialog).toEqual({ kind: 'confirm-replace', items, emptyFolders: ['empty'], replaced: ['a.txt', 'docs/b.txt', 'docs/inner/c.txt'] });
    await store.getState().uploadItems(items, [], 'keep-both');
    await store.getState().uploadItems(items, [], 'replace');
    expect(sent).toEqual([
      ['a (2).txt', 'docs/b (2).txt', 'docs/new.txt', 'docs/inner/c (2).txt', 'fresh/a.txt'],
      ['a.txt', 'docs/b.txt', 'docs/new.txt', 'docs/inner/c.txt', 'fresh/a.txt'],
    ]);
  });

  it('stops sending an upload\'s bytes when it is cancelled, and asks the host to cancel it too', async () => {
    const fake = createFakeVault();
    const stopped: string[] = [];
    const cancelCalls = () => fake.calls.filter((c) => c.name === 'transfers.cancel').length;
    // The host hears of the cancel before the page stops sending: a request cut first would reach it as a failure.
    const store = createVaultStore({ api: fake.api, files: { ...noFiles, stopUpload: (path) => void stopped.push(`${path} after ${cancelCalls()} cancel`) } });
    store.getState().applyTransfer({ id: 't1', direction: 'upload', path: 'big.bin', size: 10, done: 1, state: 'running', startedAt: 0, bytesPerSecond: 1 });
    store.getState().applyTransfer({ id: 't2', direction: 'download', path: 'other.bin', size: 10, done: 1, state: 'running', startedAt: 0, bytesPerSecond: 1 });
    await store.getState().cancelTransfer('t1');
    await store.getState().cancelTransfer('t2');
    expect(stopped).toEqual(['big.bin after 1 cancel']);
    expect(fake.calls.filter((c) => c.name === 'transfers.cancel').map((c) => c.request)).toEqual([{ id: 't1' }, { id: 't2' }]);
  });
});
