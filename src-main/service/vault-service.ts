import { join, resolve } from 'node:path';
import type { NodeProgram } from '../../servers/cluster/node-process.js';
import type { ClusterTarget, ClusterView, KeychainState, PasswordChange, RecoveryKey, SessionState, Transfer } from '../shared/app-models.js';
import type { EventName, EventOf } from '../shared/contract.js';
import { VaultError } from '../shared/errors.js';
import { missedNodeText, whenReachable } from '../shared/missed-nodes.js';
import type { FileHealth, RepairResult, VaultEntry } from '../shared/models.js';
import type { ByteSource } from '../vault/byte-source.js';
import type { ConfigErrorDetail, ServerEntry } from '../vault/dfc-config.js';
import { Vault } from '../vault/vault.js';
import { type AppSettings, loadSettings, saveSettings } from './app-settings.js';
import { type ConfigPathPolicy, sameTarget, serversOfTarget } from './cluster-targets.js';
import type { CredentialStore } from './credential-store.js';
import { EventHub } from './event-hub.js';
import { FileTransfers } from './file-transfers.js';
import { LocalClusterManager } from './local-cluster-manager.js';
import { nodeViews } from './cluster-view.js';
import { type Login, RememberedLogin } from './remembered-login.js';
import { settledWithin } from './settled-within.js';

/** How the service stores its data and runs the local cluster. */
export interface VaultServiceOptions {
  /** Settings and the local cluster's data (Electron: app.getPath('userData')). */
  dataDir: string;
  /** Where "Remember me" keeps passwords: the OS keychain. */
  credentials: CredentialStore;
  /** How to run a storage node process (Electron: its own binary with ELECTRON_RUN_AS_NODE=1). */
  nodeProgram?: NodeProgram;
  /** How often the node strip is refreshed while someone watches it (default 2 s). */
  statusIntervalMs?: number;
  /** How long a pushed upload waits for its next chunk before it is cancelled (default 60 s). */
  uploadIdleTimeoutMs?: number;
  /** How long signing out or closing waits for uploads that are committing before it closes the connections (default 10 s). */
  commitWaitMs?: number;
  log?: (line: string) => void;
}

/** The default of `commitWaitMs`: within the 15 s a quit waits for the whole close. */
const COMMIT_WAIT_MS = 10_000;

interface Session {
  vault: Vault;
  username: string;
  target: ClusterTarget;
}

/**
 * Everything the UI can do, behind one object that both hosts (Electron IPC and the browser host) call: login and
 * "remember me", the local cluster, files, and transfers with progress events.
 */
export class VaultService {
  private readonly hub = new EventHub();
  private readonly files: FileTransfers;
  private readonly local: LocalClusterManager;
  private readonly remembered: RememberedLogin;
  private session: Session | undefined;
  private settings: Promise<AppSettings>;
  /** After an explicit sign-out, `resume` does not log back in by itself (a page reload, say). */
  private signedOutByUser = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private lastView = '';
  private closed = false;

  constructor(private readonly options: VaultServiceOptions) {
    this.settings = loadSettings(options.dataDir);
    this.remembered = new RememberedLogin({
      credentials: options.credentials,
      recorded: async () => (await this.settings).remembered,
      record: (login) => this.updateSettings({ remembered: login }),
      dataDir: options.dataDir,
    });
    this.files = new FileTransfers({
      vault: () => this.vault(),
      announce: (transfer) => this.hub.emit('transfer.changed', transfer),
      changed: (paths) => this.hub.emit('files.changed', { paths }),
      uploadIdleTimeoutMs: options.uploadIdleTimeoutMs,
    });
    this.local = new LocalClusterManager({
      dir: join(options.dataDir, 'local-cluster'),
      program: options.nodeProgram,
      log: options.log,
      preferredPorts: async () => (await this.settings).localPorts,
      savePorts: (ports) => this.updateSettings({ localPorts: ports }),
      onChange: () => void this.refreshCluster(),
    });
    // Space used on each node changes with every commit and delete: refresh the strip shortly after.
    this.hub.on('files.changed', () => this.refreshSoon());
  }

  /** Subscribes to an event; the node strip is polled only while someone listens to `cluster.changed`. */
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
    const off = this.hub.on(event, listener);
    if (event === 'cluster.changed') this.schedulePolling();
    return () => {
      off();
      if (event === 'cluster.changed') this.schedulePolling();
    };
  }

  // ── Session ──────────────────────────────────────────────────────────────────────────────────────────────────

  /** Who is signed in, to which cluster, and what the keychain can do. */
  async state(): Promise<SessionState> {
    const settings = await this.settings;
    const availability = await this.remembered.keychainAvailability();
    const keychain: KeychainState = { ...availability, ...(settings.remembered ? { remembered: settings.remembered } : {}) };
    const base = { keychain, ...(settings.lastUsed ? { lastUsed: settings.lastUsed } : {}) };
    const session = this.session;
    return session ? { status: 'signed-in', username: session.username, target: session.target, ...base } : { status: 'signed-out', ...base };
  }

  /** At start: logs in with the login the keychain remembers (starting the local cluster if that is the target). */
  async resume(): Promise<SessionState> {
    const login = (await this.settings).remembered;
    if (this.session || this.signedOutByUser || !login) return this.state();
    const password = await this.remembered.passwordOf(login);
    if (password === undefined) return this.state();
    return this.connect({ target: login.target, username: login.username, password, remember: true });
  }

  /**
   * Logs in; for the local cluster, starts it first and creates the account if it is new. Remembers or forgets the
   * password. A dfc.conf named by a page is read only as its host's `policy` allows (see `configDetail`).
   */
  async connect(request: { target: ClusterTarget; username: string; password: string; remember: boolean }, policy?: ConfigPathPolicy): Promise<SessionState> {
    const { username, password } = request;
    const target = absoluteTarget(request.target);
    request = { ...request, target };
    const servers = await this.serversFor(target, { username, password }, policy);
    const vault = await Vault.connect({ servers, username, password });
    await this.endSession();
    this.session = { vault, username, target };
    this.signedOutByUser = false;
    await this.updateSettings({ lastUsed: { username, target } });
    await this.remembered.afterSignIn(request);
    const state = await this.state();
    this.hub.emit('session.changed', state);
    void this.refreshCluster();
    return state;
  }

  /** Signs out; with `forget`, also removes the remembered password from the keychain. */
  async signOut(request: { forget: boolean }): Promise<SessionState> {
    await this.endSession();
    this.signedOutByUser = true;
    if (request.forget) await this.remembered.forget();
    const state = await this.state();
    this.hub.emit('session.changed', state);
    void this.refreshCluster();
    return state;
  }

  // ── Account ──────────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Changes the signed-in user's password on every node (each must be up; a wrong current password is AUTH_FAILED).
   * A login the keychain remembers gets the new password too, so the next start still signs in by itself. A change
   * that took effect but left the old password accepted somewhere is reported in `unfinished`, not thrown.
   */
  async changePassword(request: { current: string; next: string }): Promise<PasswordChange> {
    const session = this.requireSession();
    const { oldPasswordStillAcceptedBy: lagging } = await session.vault.changePassword(request.current, request.next);
    // Even when some nodes still accept the old password too, the new one is the vault's now: the keychain follows.
    const change = await this.keychainFollows(session, request.next);
    if (lagging.length === 0) return change;
    const unfinished = `The new password works on every node, but ${lagging.map(missedNodeText).join(', ')} still also accept${lagging.length === 1 ? 's' : ''} the old one. Change the password again ${whenReachable(lagging)} to finish.`;
    return { ...change, unfinished };
  }

  /** The signed-in vault's recovery key, once `password` is confirmed; `notRegisteredOn` names the nodes that were down or busy. */
  async recoveryKey(request: { password: string }): Promise<RecoveryKey> {
    const { recoveryKey, notRegisteredOn } = await this.vault().recoveryKey(request.password);
    return { recoveryKey, notRegisteredOn };
  }

  /**
   * Sets a new password from a recovery key (a forgotten password). Finds the nodes as `connect` does, starting the
   * local cluster when that is the target, but creates no account and signs nobody in: the user then signs in with
   * the new password. A remembered login of this user and cluster gets the new password.
   */
  async recover(request: { target: ClusterTarget; username: string; recoveryKey: string; newPassword: string }, policy?: ConfigPathPolicy): Promise<PasswordChange> {
    const target = absoluteTarget(request.target);
    const servers = target.kind === 'local' ? await this.localServers() : await serversOfTarget(target, await this.configDetail(target, policy));
    await Vault.recover({ servers, username: request.username, recoveryKey: request.recoveryKey, newPassword: request.newPassword });
    await this.updateSettings({ lastUsed: { username: request.username, target } });
    const change = await this.keychainFollows({ username: request.username, target }, request.newPassword);
    this.hub.emit('session.changed', await this.state());
    return change;
  }

  // ── Cluster ──────────────────────────────────────────────────────────────────────────────────────────────────

  /** The node strip: each node's up/down, latency and space, plus which ones this app runs. */
  async clusterView(): Promise<ClusterView> {
    const session = this.session;
    const nodes = nodeViews({
      managed: this.local.servers(),
      running: this.local.running(),
      listening: this.local.listening(),
      ...(session ? { statuses: await session.vault.nodeStatus() } : {}),
      signedInLocally: session?.target.kind === 'local',
    });
    return { local: this.local.state, localDir: this.local.dir, nodes };
  }

  /** Starts the local cluster's nodes. */
  async startLocal(): Promise<ClusterView> {
    await this.local.start();
    return this.clusterView();
  }

  /** Stops the local cluster's nodes (a signed-in vault on it stays signed in, with every node down). */
  async stopLocal(): Promise<ClusterView> {
    await this.local.stop();
    return this.clusterView();
  }

  /** Starts one local node again (after a stop or a crash). */
  async startNode(index: number): Promise<ClusterView> {
    await this.local.startNode(index);
    return this.clusterView();
  }

  /** Stops one local node. */
  async stopNode(index: number): Promise<ClusterView> {
    await this.local.stopNode(index);
    return this.clusterView();
  }

  // ── Files ────────────────────────────────────────────────────────────────────────────────────────────────────

  /** The entries of a folder. */
  async list(folder: string): Promise<VaultEntry[]> {
    return this.vault().list(folder);
  }

  /** Creates a folder. */
  async mkdir(path: string): Promise<void> {
    await this.vault().mkdir(path);
    this.hub.emit('files.changed', { paths: [path] });
  }

  /** Deletes files and folders (recursively); returns every path removed. */
  async remove(paths: string[]): Promise<{ removed: string[] }> {
    const removed: string[] = [];
    try {
      for (const path of paths) removed.push(...(await this.vault().remove(path)));
    } finally {
      if (removed.length > 0) this.hub.emit('files.changed', { paths: removed });
    }
    return { removed };
  }

  /** Reads and verifies every piece of the given files (or folders' files). */
  async check(paths: string[]): Promise<FileHealth[]> {
    const results: FileHealth[] = [];
    for (const path of paths) results.push(...(await this.vault().check(path)));
    return results;
  }

  /** Rebuilds missing or damaged pieces of the given files. */
  async repair(paths: string[]): Promise<RepairResult[]> {
    const results: RepairResult[] = [];
    for (const path of paths) results.push(...(await this.vault().repair(path)));
    if (results.length > 0) this.hub.emit('files.changed', { paths: results.map((r) => r.path) });
    return results;
  }

  // ── Transfers ────────────────────────────────────────────────────────────────────────────────────────────────

  /** Every transfer of this session. */
  listTransfers(): Transfer[] {
    return this.files.list();
  }

  /** Cancels a transfer. */
  cancelTransfer(id: string): void {
    this.files.cancel(id);
  }

  /** Forgets finished transfers. */
  clearFinished(): void {
    this.files.clearFinished();
  }

  /** Uploads local files and folders (walked recursively), streaming each from disk. Returns at once with the transfer ids. */
  uploadPaths(items: Array<{ source: string; folder: string }>): Promise<{ ids: string[] }> {
    return this.files.uploadPaths(items);
  }

  /** Downloads vault files to local paths. Returns at once with the transfer ids. */
  download(items: Array<{ path: string; destination: string; ifExists?: 'replace' | 'keep-both' }>): Promise<{ ids: string[] }> {
    return this.files.download(items);
  }

  /** Starts an upload whose bytes arrive through `writeUpload` (a File without a local path). */
  beginUpload(request: { path: string; size: number; modified?: number }): Promise<{ id: string }> {
    return this.files.beginUpload(request);
  }

  /** Adds the next chunk of a pushed upload; resolves once the upload has taken it. */
  writeUpload(request: { id: string; bytes: Uint8Array }): Promise<void> {
    return this.files.write(request);
  }

  /** Ends a pushed upload; resolves once the quorum has committed it. */
  endUpload(request: { id: string }): Promise<void> {
    return this.files.end(request);
  }

  /** Uploads a body streamed by the browser host; resolves with the transfer id once committed. */
  uploadStream(request: { path: string; size: number; modified?: number; source: ByteSource }): Promise<{ id: string }> {
    return this.files.uploadStream(request);
  }

  /** The file entry at `path` (its size, before a download starts); `listings` caches folder listings across calls. */
  fileEntry(path: string, listings?: Map<string, Promise<VaultEntry[]>>): Promise<VaultEntry> {
    return this.files.fileEntry(path, listings);
  }

  /** Streams a vault file into `sink` as a tracked download (the browser host's response body). */
  downloadStream(path: string, sink: (parts: Buffer[]) => Promise<void>, signal?: AbortSignal): Promise<{ id: string; size: number }> {
    return this.files.downloadStream(path, sink, signal);
  }

  /** Ends everything: transfers, the session, polling and the local cluster's nodes. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.refreshTimer);
    this.pollTimer = undefined;
    await this.endSession();
    await this.local.stop();
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────────────────────────────

  private vault(): Vault {
    return this.requireSession().vault;
  }

  private requireSession(): Session {
    if (!this.session) throw new VaultError('SIGNED_OUT', 'Sign in first.');
    return this.session;
  }

  private async serversFor(target: ClusterTarget, account: { username: string; password: string }, policy?: ConfigPathPolicy): Promise<ServerEntry[]> {
    if (target.kind !== 'local') return serversOfTarget(target, await this.configDetail(target, policy));
    await this.local.ensureAccount({ name: account.username, password: account.password });
    return this.localServers();
  }

  /**
   * Checks that the page may have this target's dfc.conf read, and says how much a failed read may tell it. The
   * paths the service stored itself (the last login's, the remembered one's) are always allowed; any other only as
   * the host's policy allows. Without a policy (code, not a page) any path is read; errors quote nothing either way.
   */
  private async configDetail(target: ClusterTarget, policy?: ConfigPathPolicy): Promise<ConfigErrorDetail> {
    if (!policy) return 'without-contents';
    if (target.kind !== 'config') return policy.configErrors;
    const { lastUsed, remembered } = await this.settings;
    if (![lastUsed, remembered].some((login) => login && sameTarget(login.target, target))) policy.authorizeConfigPath(target.path);
    return policy.configErrors;
  }

  /** The local cluster's nodes, started first unless running. */
  private async localServers(): Promise<ServerEntry[]> {
    if (this.local.state !== 'running') await this.local.start();
    return this.local.servers();
  }

  /** After a password change or reset, the keychain follows; a login it had to forget leaves the sign-in screen at once. */
  private async keychainFollows(login: Login, password: string): Promise<PasswordChange> {
    const change = await this.remembered.takeNewPassword(login, password);
    if (change.keychainProblem) this.hub.emit('session.changed', await this.state());
    return change;
  }

  private async updateSettings(change: Partial<AppSettings>): Promise<void> {
    const next: AppSettings = { ...(await this.settings), ...change };
    for (const key of Object.keys(change) as Array<keyof AppSettings>) if (change[key] === undefined) delete next[key];
    this.settings = Promise.resolve(next);
    await saveSettings(this.options.dataDir, next);
  }

  private async endSession(): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.session = undefined;
    this.files.cancelAll();
    // An upload already committing may have landed on some nodes: cut off, its outcome would be unknown (and
    // reported as cancelled). It gets a while to finish; a node that hangs must not hold a quit forever.
    await settledWithin(this.files.commitsEnded(), this.options.commitWaitMs ?? COMMIT_WAIT_MS);
    session.vault.close();
  }

  private schedulePolling(): void {
    const wanted = this.hub.count('cluster.changed') > 0 && !this.closed;
    if (wanted && !this.pollTimer) {
      this.pollTimer = setInterval(() => void this.refreshCluster(), this.options.statusIntervalMs ?? 2000);
      this.pollTimer.unref();
    } else if (!wanted && this.pollTimer) {
      clearInterval(this.pollTimer);
      this.pollTimer = undefined;
    }
  }

  private refreshSoon(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refreshCluster();
    }, 250);
    this.refreshTimer.unref();
  }

  private async refreshCluster(): Promise<void> {
    if (this.closed || this.hub.count('cluster.changed') === 0) return;
    try {
      const view = await this.clusterView();
      const text = JSON.stringify(view);
      if (text === this.lastView) return;
      this.lastView = text;
      this.hub.emit('cluster.changed', view);
    } catch (error) {
      this.options.log?.(`Could not refresh the node strip: ${(error as Error).message}`);
    }
  }
}

/** The target with a config path made absolute, so a later start reads the same file whatever its working folder. */
function absoluteTarget(target: ClusterTarget): ClusterTarget {
  return target.kind === 'config' ? { kind: 'config', path: resolve(target.path) } : target;
}
