/**
 * An in-memory host for renderer tests: the contract's calls over a fake vault (files, a four-node local cluster,
 * sessions, transfers), built into a real `VaultApi` with `buildVaultApi`, plus a hook to push events.
 */
import type { ClusterView, SessionState, Transfer } from '../../../src-main/shared/app-models.js';
import { type ApiTransport, type CallHandlers, type CallName, type EventName, type EventOf, type VaultApi, buildVaultApi } from '../../../src-main/shared/contract.js';
import { INVALID_LOGIN_TEXT, VaultError, serializeError } from '../../../src-main/shared/errors.js';
import type { MissedNode } from '../../../src-main/shared/missed-nodes.js';
import type { FileHealth, Health, VaultEntry } from '../../../src-main/shared/models.js';

/** A stored file or folder of the fake vault. */
export interface FakeObject {
  path: string;
  type: 'file' | 'folder';
  size: number;
  modified: string;
  good: number;
}

/** The fake's knobs and its recorded calls. */
export interface FakeVault {
  api: VaultApi;
  objects: Map<string, FakeObject>;
  calls: Array<{ name: CallName; request: unknown }>;
  session: SessionState;
  cluster: ClusterView;
  transfers: Map<string, Transfer>;
  /** Accepted password for every username. */
  password: string;
  /** The recovery key `account.recoveryKey` shows and `account.recover` accepts (dashes and spaces aside). */
  recoveryKey: string;
  /** Nodes `account.recoveryKey` reports as down or busy. */
  notRegisteredOn: MissedNode[];
  emit<E extends EventName>(event: E, payload: EventOf<E>): void;
  /** Replaces one handler (to make a call fail, say). */
  override<N extends CallName>(name: N, handler: CallHandlers[N]): void;
}

const health = (good: number): Health => (good >= 4 ? 'healthy' : good > 2 ? 'degraded' : good === 2 ? 'at-risk' : 'unavailable');

function parentOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at);
}

/** Builds a fake host with `files` (path → size, or null for a folder) in the vault. */
export function createFakeVault(files: Record<string, number | null> = {}, options: { keychain?: boolean } = {}): FakeVault {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const objects = new Map<string, FakeObject>();
  const addFolders = (path: string) => {
    for (let p = parentOf(path); p !== ''; p = parentOf(p)) {
      if (!objects.has(p)) objects.set(p, { path: p, type: 'folder', size: 0, modified: '2026-03-01T10:00:00.000Z', good: 0 });
    }
  };
  for (const [path, size] of Object.entries(files)) {
    objects.set(path, { path, type: size === null ? 'folder' : 'file', size: size ?? 0, modified: '2026-03-02T12:30:00.000Z', good: size === null ? 0 : 4 });
    addFolders(path);
  }
  let nextTransfer = 1;
  const uploads = new Map<string, { path: string; size: number; received: number }>();
  const fake: FakeVault = {
    api: undefined as unknown as VaultApi,
    objects,
    calls: [],
    password: 'secret',
    recoveryKey: '7Q2MX-4HJKP-0ABCD-EFGHJ-KMNPQ-RSTVW-XYZ01-23456-789AB-CDEFG-HJKMN',
    notRegisteredOn: [],
    session: { status: 'signed-out', keychain: options.keychain === false ? { available: false, reason: 'no Secret Service is running' } : { available: true } },
    cluster: {
      local: 'stopped',
      localDir: '/home/alice/.config/dfs-vault/cluster',
      nodes: [0, 1, 2, 3].map((index) => ({ index, name: `DFS${index + 1}`, address: `127.0.0.1:1000${index + 1}`, up: false, managed: true, running: false })),
    },
    transfers: new Map(),
    emit(event, payload) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    override(name, handler) {
      (handlers as Record<string, unknown>)[name] = handler;
    },
  };
  const setCluster = (running: boolean) => {
    fake.cluster = {
      ...fake.cluster,
      local: running ? 'running' : 'stopped',
      nodes: fake.cluster.nodes.map((n) => ({ ...n, up: running, running, latencyMs: running ? 2 + n.index : undefined, bytesUsed: running ? 1_572_864 * (n.index + 1) : undefined })),
    };
    fake.emit('cluster.changed', fake.cluster);
    return fake.cluster;
  };
  const signedIn = () => {
    if (fake.session.status !== 'signed-in') throw new VaultError('SIGNED_OUT', 'Sign in first.');
  };
  const entry = (o: FakeObject): VaultEntry => ({
    name: o.path.slice(o.path.lastIndexOf('/') + 1),
    path: o.path,
    type: o.type,
    size: o.size,
    modified: o.modified,
    pieces: { good: o.good, total: o.type === 'folder' ? 0 : 4 },
    health: o.type === 'folder' ? 'healthy' : health(o.good),
  });
  const report = (t: Transfer) => {
    fake.transfers.set(t.id, t);
    fake.emit('transfer.changed', t);
  };
  const handlers: CallHandlers = {
    'app.info': async () => ({ host: 'web', version: '0.1.0', platform: 'linux', dialogs: false }),
    'session.state': async () => fake.session,
    'session.resume': async () => fake.session,
    'session.connect': async ({ target, username, password, remember }) => {
      if (password !== fake.password) throw new VaultError('AUTH_FAILED', INVALID_LOGIN_TEXT);
      if (target.kind === 'local' && fake.cluster.local !== 'running') setCluster(true);
      fake.session = {
        status: 'signed-in',
        username,
        target,
        keychain: remember && fake.session.keychain.available ? { ...fake.session.keychain, remembered: { username, target } } : fake.session.keychain,
        lastUsed: { username, target },
      };
      return fake.session;
    },
    'session.signOut': async ({ forget }) => {
      const { remembered: _r, ...keychain } = fake.session.keychain;
      fake.session = { status: 'signed-out', keychain: forget ? keychain : fake.session.keychain, ...(fake.session.lastUsed ? { lastUsed: fake.session.lastUsed } : {}) };
      return fake.session;
    },
    'account.changePassword': async ({ current, next }) => {
      signedIn();
      if (current !== fake.password) throw new VaultError('AUTH_FAILED', INVALID_LOGIN_TEXT);
      fake.password = next;
      return { keychainUpdated: fake.session.keychain.remembered?.username === fake.session.username };
    },
    'account.recoveryKey': async ({ password }) => {
      signedIn();
      if (password !== fake.password) throw new VaultError('AUTH_FAILED', INVALID_LOGIN_TEXT);
      return { recoveryKey: fake.recoveryKey, notRegisteredOn: fake.notRegisteredOn };
    },
    'account.recover': async ({ recoveryKey, newPassword }) => {
      const bare = (key: string) => key.replace(/[\s-]/g, '').toUpperCase();
      if (bare(recoveryKey).length !== 55) throw new VaultError('INVALID_REQUEST', 'A recovery key has 11 groups of 5 characters.');
      if (bare(recoveryKey) !== bare(fake.recoveryKey)) throw new VaultError('AUTH_FAILED', 'This recovery key is not the key of this vault; nothing was changed.');
      fake.password = newPassword;
      return { keychainUpdated: false };
    },
    'cluster.status': async () => fake.cluster,
    'cluster.startLocal': async () => setCluster(true),
    'cluster.stopLocal': async () => setCluster(false),
    'cluster.startNode': async ({ index }) => {
      fake.cluster = { ...fake.cluster, nodes: fake.cluster.nodes.map((n) => (n.index === index ? { ...n, up: true, running: true, latencyMs: 3 } : n)) };
      return fake.cluster;
    },
    'cluster.stopNode': async ({ index }) => {
      fake.cluster = { ...fake.cluster, nodes: fake.cluster.nodes.map((n) => (n.index === index ? { ...n, up: false, running: false, latencyMs: undefined } : n)) };
      return fake.cluster;
    },
    'files.list': async ({ folder }) => {
      signedIn();
      if (folder !== '' && objects.get(folder)?.type !== 'folder') throw new VaultError('NOT_FOUND', `There is no folder "${folder}".`);
      return [...objects.values()].filter((o) => parentOf(o.path) === folder).map(entry);
    },
    'files.mkdir': async ({ path }) => {
      signedIn();
      if (objects.has(path)) throw new VaultError('INVALID_PATH', `"${path}" already exists.`);
      objects.set(path, { path, type: 'folder', size: 0, modified: new Date().toISOString(), good: 0 });
      addFolders(path);
      fake.emit('files.changed', { paths: [path] });
    },
    'files.remove': async ({ paths }) => {
      signedIn();
      const removed: string[] = [];
      for (const path of paths) {
        for (const key of [...objects.keys()]) {
          if (key === path || key.startsWith(`${path}/`)) {
            objects.delete(key);
            if (key === path) removed.push(path);
          }
        }
      }
      fake.emit('files.changed', { paths: removed });
      return { removed };
    },
    'files.check': async ({ paths }) =>
      paths.map((path): FileHealth => {
        const o = objects.get(path);
        const good = o?.good ?? 0;
        return {
          path,
          kind: o?.type ?? 'file',
          size: o?.size ?? 0,
          pieces: { good, total: 4 },
          health: health(good),
          detail: [0, 1, 2, 3].map((piece) => ({ piece, node: `DFS${piece + 1}`, state: piece < good ? ('sound' as const) : ('missing' as const) })),
        };
      }),
    'files.repair': async ({ paths }) =>
      paths.map((path) => {
        const o = objects.get(path);
        const before = { good: o?.good ?? 0, total: 4 };
        const rebuilt = [0, 1, 2, 3].filter((p) => p >= before.good).map((piece) => ({ piece, node: `DFS${piece + 1}` }));
        if (o && o.good >= 2) o.good = 4;
        return { path, rebuilt: o && before.good >= 2 ? rebuilt : [], failed: o && before.good < 2 ? [{ piece: 0, node: 'DFS1', reason: 'Only one piece is left.' }] : [], pruned: [], before, after: { good: o?.good ?? 0, total: 4 } };
      }),
    'transfers.list': async () => [...fake.transfers.values()],
    'transfers.cancel': async ({ id }) => {
      const t = fake.transfers.get(id);
      if (t) report({ ...t, state: 'cancelled', finishedAt: Date.now() });
    },
    'transfers.clearFinished': async () => {
      for (const [id, t] of fake.transfers) if (['done', 'failed', 'cancelled'].includes(t.state)) fake.transfers.delete(id);
    },
    'transfers.uploadPaths': async ({ items }) => ({ ids: items.map(() => `t${nextTransfer++}`) }),
    'transfers.download': async ({ items }) => ({ ids: items.map(() => `t${nextTransfer++}`) }),
    'uploads.begin': async ({ path, size }) => {
      signedIn();
      const id = `t${nextTransfer++}`;
      uploads.set(id, { path, size, received: 0 });
      report({ id, direction: 'upload', path, size, done: 0, state: 'running', startedAt: Date.now(), bytesPerSecond: 0 });
      return { id };
    },
    'uploads.write': async ({ id, bytes }) => {
      const u = uploads.get(id);
      if (!u) throw new VaultError('NOT_FOUND', 'No such upload.');
      u.received += bytes.byteLength;
    },
    'uploads.end': async ({ id }) => {
      const u = uploads.get(id);
      if (!u) throw new VaultError('NOT_FOUND', 'No such upload.');
      objects.set(u.path, { path: u.path, type: 'file', size: u.received, modified: new Date().toISOString(), good: 4 });
      addFolders(u.path);
      const t = fake.transfers.get(id);
      if (t) report({ ...t, done: u.received, state: 'done', finishedAt: Date.now() });
      fake.emit('files.changed', { paths: [u.path] });
    },
    'dialogs.chooseDownloadTarget': async () => ({ kind: 'cancelled' }),
    'dialogs.chooseConfigFile': async () => ({}),
  };
  const transport: ApiTransport = {
    async invoke(name, request) {
      fake.calls.push({ name, request });
      try {
        const handler = handlers[name] as (request: unknown, context: void) => Promise<unknown>;
        return { ok: true, value: await handler(request, undefined) };
      } catch (error) {
        return { ok: false, error: serializeError(error) };
      }
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  fake.api = buildVaultApi(transport);
  return fake;
}

/** Waits until queued promise callbacks ran. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}
