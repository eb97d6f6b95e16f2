import { randomBytes } from 'node:crypto';
import { type FileHandle, lstat, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { BackgroundFlusher } from '../../servers/node/background-flusher.js';
import { VaultError } from '../shared/errors.js';
import type { MissedNode } from '../shared/missed-nodes.js';
import type { FileHealth, NodeStatus, RepairResult, VaultEntry } from '../shared/models.js';
import { type ByteSource, fileSource } from './byte-source.js';
import { buildCatalog, type ObjectState } from './catalog.js';
import type { ServerEntry } from './dfc-config.js';
import { getObject } from './get-object.js';
import { type NodesAnswering, checkObject, pruneSuperseded, repairObject } from './health.js';
import { changePassword, type AccountOptions, type PasswordChangeResult, type RecoverRequest, recoverAccount, registerRecoveryLogin, showRecoveryKey } from './account.js';
import { loadOrCreateMasterKey } from './master-key-store.js';
import { NodePool } from './node-pool.js';
import { type ProgressListener, currentKind, putObject, writeQuorum } from './put-object.js';
import type { PieceFailure } from './stripe-reader.js';
import { DEFAULT_STRIPE_BYTES } from './stripe-layout.js';
import { throwIfNoNodeAnswered } from './unavailable-nodes.js';
import { folderEntries, folderExists, liveObjects } from './vault-listing.js';
import { VaultCipher } from './vault-cipher.js';
import { whyWriteFailed } from './write-errors.js';
import type { StripeSealer } from './crypto/stripe-seal.js';
import { normalizeVaultPath, parentOf } from './vault-path.js';

/** How to reach the cluster and who logs in. */
export interface VaultOptions {
  servers: ServerEntry[];
  username: string;
  password: string;
  /** Per-request timeout towards a node (default 15 s). */
  timeoutMs?: number;
  /** Plaintext bytes per stripe (default 1 MiB). */
  stripeBytes?: number;
  /** scrypt N used when this login creates the vault's master key (default: the production cost); tests pass 2^10. */
  scryptN?: number;
  /**
   * How file contents are sealed (default AES-256-GCM per stripe). Only the benchmark passes another, to
   * measure the cost of encryption in the same run; no configuration, flag or UI setting reaches it.
   */
  stripeSealer?: StripeSealer;
  /** Hears of a node that has not answered a login for a few seconds (see PoolOptions.onSlowNode). */
  onSlowNode?: (server: ServerEntry, waitingUpToMs: number) => void;
}

/** What `Vault.recover` needs: where the nodes are, whose vault, the recovery key and the new password. */
export type RecoverOptions = RecoverRequest;

/** Options of a transfer. */
export interface TransferOptions {
  onProgress?: ProgressListener;
  /** Uploads: the file's own bytes start to go out (any folders it needed are made by then). */
  onUploading?: () => void;
  /** Uploads: every byte is sent; the quorum's commit is awaited. */
  onCommitting?: () => void;
  signal?: AbortSignal;
}

/** The default split: two parity pieces (any two nodes may be lost), the rest data. */
export function defaultCode(nodes: number): { k: number; m: number } {
  const m = Math.min(2, nodes - 1);
  return { k: nodes - m, m };
}

/** The vault client: every operation on files, folders and health, over a pool of node connections. */
export class Vault {
  private readonly pool: NodePool;
  private readonly code: { k: number; m: number };
  private readonly stripeBytes: number;
  private cipherOrUndefined: VaultCipher | undefined;
  private readonly accountOptions: AccountOptions;

  private constructor(options: VaultOptions) {
    if (options.servers.length === 0) throw new VaultError('INVALID_CONFIG', 'No storage nodes are configured.');
    this.pool = new NodePool(options.servers, { username: options.username, password: options.password, timeoutMs: options.timeoutMs, onSlowNode: options.onSlowNode });
    this.code = defaultCode(options.servers.length);
    this.stripeBytes = options.stripeBytes ?? DEFAULT_STRIPE_BYTES;
    this.accountOptions = { scryptN: options.scryptN, timeoutMs: options.timeoutMs };
  }

  /** Logs in to every reachable node; fails on a wrong password or when no node answers. */
  static async connect(options: VaultOptions): Promise<Vault> {
    const vault = new Vault(options);
    const outcomes = await vault.pool.onEveryNode((client) => client.ping());
    try {
      throwIfNoNodeAnswered(vault.pool.servers, outcomes);
      const quorum = writeQuorum(vault.code.k, vault.pool.size);
      const masterKey = await loadOrCreateMasterKey(vault.pool, options.password, {
        quorum,
        scryptN: options.scryptN,
        // A node that cannot take it now is given it when the user next shows the recovery key.
        onCreated: async (created) => void (await registerRecoveryLogin(vault.pool, created)),
      });
      vault.cipherOrUndefined = new VaultCipher(masterKey, options.stripeSealer);
      masterKey.fill(0);
    } catch (error) {
      vault.close();
      throw error;
    }
    return vault;
  }

  /** The keys of this login (set by connect before the vault is handed out). */
  private get cipher(): VaultCipher {
    if (!this.cipherOrUndefined) throw new VaultError('INTERNAL', 'The vault is not connected.');
    return this.cipherOrUndefined;
  }

  /** The object id nodes store `path` under (for diagnostics and tests; it reveals nothing about the path). */
  objectIdOf(vaultPath: string): Buffer {
    return this.cipher.objectId(normalizeVaultPath(vaultPath));
  }

  /**
   * Changes the login password on every node and re-wraps the master key under it; files are not
   * re-encrypted. Refuses unless every node is reachable; if it fails midway the old password still works.
   */
  async changePassword(currentPassword: string, newPassword: string): Promise<PasswordChangeResult> {
    return changePassword(this.pool, currentPassword, newPassword, this.accountOptions);
  }

  /**
   * The vault's recovery key (its master key in printable form), once `password` is confirmed.
   * Also lets every reachable node accept the key for `Vault.recover`; `notRegisteredOn` names the nodes that were down or busy.
   */
  async recoveryKey(password: string): Promise<{ recoveryKey: string; notRegisteredOn: MissedNode[] }> {
    return showRecoveryKey(this.pool, password);
  }

  /** Sets a new password from a recovery key, without the old password; every node must be reachable. */
  static async recover(options: RecoverOptions): Promise<void> {
    await recoverAccount(options);
  }

  /** Nodes in configuration order. */
  get servers(): readonly ServerEntry[] {
    return this.pool.servers;
  }

  /** Bytes received from nodes since connecting. */
  get bytesReceived(): number {
    return this.pool.bytesReceived;
  }

  /** Uploads a local file to `vaultPath` (default: its base name). */
  async putFile(localPath: string, vaultPath?: string, options: TransferOptions = {}): Promise<{ path: string; size: number }> {
    const path = normalizeVaultPath(vaultPath ?? basename(localPath));
    let handle;
    try {
      handle = await open(localPath, 'r');
    } catch (error) {
      throw localError(error, localPath);
    }
    try {
      const info = await handle.stat();
      if (info.isDirectory()) throw new VaultError('NOT_A_FILE', `${localPath} is a folder; upload the files inside it.`);
      if (!info.isFile()) {
        throw new VaultError('NOT_A_FILE', `${localPath} is not a regular file (a device, pipe or socket), so its size is unknown; save it to a file first and upload that.`);
      }
      await this.putStream(fileSource(handle), info.size, path, { ...options, modified: info.mtimeMs });
      return { path, size: info.size };
    } finally {
      await handle.close();
    }
  }

  /** Uploads `size` bytes from `source` to `path`. */
  async putStream(source: ByteSource, size: number, vaultPath: string, options: TransferOptions & { modified?: number } = {}): Promise<void> {
    const path = normalizeVaultPath(vaultPath);
    if ((await currentKind(this.pool, this.cipher, path)) === 'folder') throw new VaultError('NOT_A_FILE', `"${path}" is a folder; choose another name.`);
    const made = await this.makeParentFolders(path);
    options.onUploading?.();
    let committing = false;
    try {
      await putObject(this.pool, this.cipher, {
        path,
        kind: 'file',
        size,
        modified: Math.round(options.modified ?? Date.now()),
        source,
        ...this.code,
        stripeBytes: this.stripeBytes,
        onProgress: options.onProgress,
        onCommitting: () => {
          committing = true;
          options.onCommitting?.();
        },
        signal: options.signal,
      });
    } catch (caught) {
      // Connections dropped to stop at once fail with whatever they were doing; what happened is the cancel. Not once
      // the commit began, which no cancel stops: then its own failure is what happened (it may have landed on some nodes).
      const cancelled = options.signal?.aborted && !committing && !(caught instanceof VaultError && caught.code === 'CANCELLED');
      const error = cancelled ? new VaultError('CANCELLED', 'The upload was cancelled; nothing was stored.', { cause: caught }) : caught;
      if (made.length === 0 || !(error instanceof VaultError)) throw error;
      const folders = made.map((f) => `"${f}"`).join(', ');
      throw new VaultError(error.code, `${error.message} (The folder${made.length > 1 ? 's' : ''} ${folders} made for it ${made.length > 1 ? 'stay' : 'stays'}.)`, { cause: error });
    }
  }

  /**
   * Downloads `vaultPath` to `localPath` through a temp file: a failed download leaves no partial file.
   * Resolves with the size and the file written (inside `localPath` when that is a folder).
   */
  async getFile(vaultPath: string, localPath: string, options: TransferOptions & { onPieceFailure?: (f: PieceFailure) => void } = {}): Promise<{ size: number; savedAs: string }> {
    const path = normalizeVaultPath(vaultPath);
    const target = await downloadTarget(localPath, path);
    try {
      const { size } = await (target.special ? this.getIntoSpecialFile(path, target.path, options) : this.getIntoFile(path, target.path, target.replacedMode, options));
      return { size, savedAs: target.path };
    } catch (error) {
      if (!options.signal?.aborted) throw error;
      // However the cancel surfaced (between stripes, or as connections dropped to stop at once), one account of it.
      const outcome = target.special ? 'what was written to it so far stays' : 'nothing was saved';
      throw new VaultError('CANCELLED', `The download of ${path} to ${target.path} was cancelled; ${outcome}.`, { cause: error });
    }
  }

  /** Downloads to a regular file: a temp file beside it, fsynced, then renamed over it (keeping `replacedMode`, that of the file it replaces). */
  private async getIntoFile(path: string, target: string, replacedMode: number | undefined, options: TransferOptions & { onPieceFailure?: (f: PieceFailure) => void }): Promise<{ size: number }> {
    const name = basename(target);
    // Short enough for any name the file system takes (255 bytes), and still telling whose it is where it can.
    const tempName = Buffer.byteLength(name) <= 200 ? `.${name}.dfs-partial-${randomBytes(4).toString('hex')}` : `.dfs-partial-${randomBytes(8).toString('hex')}`;
    const temp = join(dirname(target), tempName);
    // Replacing a file keeps its permissions: a private key downloaded again must not become readable by all.
    let handle;
    try {
      handle = await open(temp, 'wx', replacedMode === undefined ? 0o644 : 0o600);
    } catch (error) {
      throw localError(error, target);
    }
    // Flushing to disk as the download arrives leaves little for the final fsync.
    const flusher = new BackgroundFlusher(handle);
    let position = 0;
    try {
      const sink = async (parts: Buffer[]): Promise<void> => {
        const written = await writeFully(handle, parts, position, target);
        position += written;
        flusher.wrote(written);
      };
      const restart = async (): Promise<void> => {
        await flusher.settle();
        await handle.truncate(0);
        position = 0;
      };
      const version = await getObject(this.pool, this.cipher, path, sink, { ...options, restart, sinkReleasesParts: true });
      await flusher.settle();
      await handle.sync();
      if (position !== version.meta.size || (await handle.stat()).size !== version.meta.size) {
        throw new VaultError('LOCAL_IO', `Could not write all of ${target} (${position} of ${version.meta.size} bytes); is the disk full? Nothing was saved.`);
      }
      // Not the setuid, setgid or sticky bits: new contents must not inherit the privileges of the file they replace.
      if (replacedMode !== undefined) await handle.chmod(replacedMode & 0o777);
      await handle.close();
      await rename(temp, target);
      return { size: version.meta.size };
    } catch (error) {
      await flusher.settle();
      await handle.close().catch(() => undefined);
      await rm(temp, { force: true });
      throw error;
    }
  }

  /** Downloads into a device or pipe (/dev/null, /dev/stdout, a FIFO) as it arrives: no temp file, and nothing to rename. */
  private async getIntoSpecialFile(path: string, target: string, options: TransferOptions & { onPieceFailure?: (f: PieceFailure) => void }): Promise<{ size: number }> {
    let handle: FileHandle;
    try {
      handle = await open(target, 'w');
    } catch (error) {
      throw localError(error, target);
    }
    try {
      const sink = async (parts: Buffer[]): Promise<void> => void (await writeFully(handle, parts, null, target));
      const version = await getObject(this.pool, this.cipher, path, sink, { ...options, sinkReleasesParts: true });
      return { size: version.meta.size };
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  /** Streams `vaultPath` into a sink (used by the browser host). */
  async getStream(vaultPath: string, sink: (parts: Buffer[]) => Promise<void>, options: TransferOptions = {}): Promise<{ size: number }> {
    const version = await getObject(this.pool, this.cipher, normalizeVaultPath(vaultPath), sink, options);
    return { size: version.meta.size };
  }

  /** Lists the entries directly inside `folder` (default: the top). */
  async list(folder = ''): Promise<VaultEntry[]> {
    const path = normalizeVaultPath(folder, { allowRoot: true });
    const objects = liveObjects((await this.catalog()).objects.values());
    if (!folderExists(objects, path)) {
      const file = objects.find((o) => o.path === path && o.kind === 'file');
      if (file) return folderEntries([file], parentOf(path)).filter((e) => e.path === path);
      throw new VaultError('NOT_FOUND', `No folder named "${path}" in the vault.`);
    }
    return folderEntries(objects, path);
  }

  /** Creates a folder and any of its parents that are missing; resolves with its normalized path. */
  async mkdir(folder: string): Promise<string> {
    const path = normalizeVaultPath(folder);
    const kind = await currentKind(this.pool, this.cipher, path);
    if (kind === 'file') throw new VaultError('NOT_A_FILE', `"${path}" is already a file.`);
    if (kind === 'folder') return path;
    await this.makeParentFolders(path);
    await this.putFolderRecord(path);
    return path;
  }

  /**
   * Deletes a file, or a folder with everything in it, by writing tombstones. Returns the paths removed.
   * A file is only ever itself: should files also sit under its name as a folder (stored by an older
   * client, which kept no folder records), they stay.
   */
  async remove(target: string): Promise<string[]> {
    const path = normalizeVaultPath(target);
    const objects = liveObjects((await this.catalog()).objects.values());
    const file = objects.find((o) => o.path === path && o.kind === 'file');
    const doomed = file ? [file] : objects.filter((o) => o.path === path || o.path.startsWith(`${path}/`));
    if (doomed.length === 0) throw new VaultError('NOT_FOUND', `Nothing named "${path}" in the vault.`);
    // Deepest first, so an interrupted delete never leaves files whose folder is gone.
    doomed.sort((a, b) => b.path.length - a.path.length);
    const removed: string[] = [];
    for (const object of doomed) {
      try {
        await putObject(this.pool, this.cipher, { path: object.path, kind: 'tombstone', size: 0, modified: Date.now(), ...this.code, stripeBytes: this.stripeBytes });
      } catch (error) {
        if (removed.length === 0 || !(error instanceof VaultError)) throw error;
        throw new VaultError(
          error.code,
          `Deleted ${removed.length} of ${doomed.length} items in "${path}", then stopped at "${object.path}": ${error.message} Run rm again to delete the rest.`,
          { cause: error },
        );
      }
      removed.push(object.path);
    }
    return removed;
  }

  /** Health of every file (or those under `target`); `deep` reads and verifies every piece. */
  async check(target = '', options: { deep?: boolean } = {}): Promise<FileHealth[]> {
    const { objects, nodes } = await this.catalog();
    const results: FileHealth[] = [];
    for (const state of this.select(objects, target)) {
      const health = await checkObject(this.pool, this.cipher, state.key, state, nodes, { deep: options.deep ?? true });
      if (health) results.push(health);
    }
    return results.sort((a, b) => a.path.localeCompare(b.path));
  }

  /** Rebuilds missing or damaged pieces onto the nodes that lack them (tombstones of deletes included). */
  async repair(target = ''): Promise<RepairResult[]> {
    const { objects, nodes } = await this.catalog();
    const results: RepairResult[] = [];
    for (const state of this.select(objects, target)) {
      const health = await checkObject(this.pool, this.cipher, state.key, state, nodes, { deep: true, includeDeleted: true });
      const result = health && health.pieces.good < health.pieces.total ? await repairObject(this.pool, this.cipher, state.key, state, health) : undefined;
      const pruned = await pruneSuperseded(this.pool, state.key, state);
      if (result) results.push({ ...result, pruned });
      else if (health && pruned.length > 0) {
        results.push({ path: health.path, rebuilt: [], failed: [], pruned, before: health.pieces, after: health.pieces });
      }
    }
    return results.sort((a, b) => a.path.localeCompare(b.path));
  }

  /** Up, busy or down, latency and usage of each node. */
  async nodeStatus(): Promise<NodeStatus[]> {
    const outcomes = await this.pool.onEveryNode(async (client) => ({ latencyMs: await client.ping(), ...(await client.stat()) }));
    return outcomes.map((o) => {
      const server = this.pool.servers[o.node]!;
      const base = { name: server.name, address: `${server.host}:${server.port}` };
      if (o.ok) return { ...base, up: true, latencyMs: o.value.latencyMs, bytesUsed: o.value.bytesUsed, bytesFree: o.value.bytesFree };
      return { ...base, up: false, ...(o.error.code === 'NODE_BUSY' ? { busy: true } : {}), error: o.error.message };
    });
  }

  /** Closes every connection. */
  close(): void {
    this.pool.close();
  }

  /** Drops every connection, those in use too: a transfer under way fails at once (and leaves nothing behind). */
  abort(): void {
    this.pool.abort();
  }

  private select(objects: Map<string, ObjectState>, target: string): ObjectState[] {
    const path = normalizeVaultPath(target, { allowRoot: true });
    const chosen = [...objects.values()].filter((state) => {
      const p = state.versions[0]?.meta.path ?? '';
      return path === '' || p === path || p.startsWith(`${path}/`);
    });
    if (path !== '' && chosen.length === 0) throw new VaultError('NOT_FOUND', `Nothing named "${path}" in the vault.`);
    return chosen;
  }

  private async catalog(): Promise<{ objects: Map<string, ObjectState>; nodes: NodesAnswering }> {
    const outcomes = await this.pool.onEveryNode((client) => client.list());
    throwIfNoNodeAnswered(this.pool.servers, outcomes);
    const reachable = new Set(outcomes.filter((o) => o.ok).map((o) => o.node));
    const busy = new Set(outcomes.filter((o) => !o.ok && o.error.code === 'NODE_BUSY').map((o) => o.node));
    return { objects: buildCatalog(outcomes.map((o) => (o.ok ? o.value : undefined)), this.cipher), nodes: { reachable, busy } };
  }

  /**
   * Checks that no parent of `path` is a file, then records the parents that have no folder record yet,
   * outermost first, and returns those. Every folder then has a record, so a later upload cannot store a file over it.
   */
  private async makeParentFolders(path: string): Promise<string[]> {
    const missing: string[] = [];
    for (let parent = parentOf(path); parent !== ''; parent = parentOf(parent)) {
      const kind = await currentKind(this.pool, this.cipher, parent);
      if (kind === 'file') throw new VaultError('NOT_A_FILE', `"${parent}" is a file, so "${path}" cannot be stored inside it. Choose another folder.`);
      if (kind === undefined) missing.push(parent);
    }
    for (const folder of missing.reverse()) await this.putFolderRecord(folder);
    return missing;
  }

  private async putFolderRecord(path: string): Promise<void> {
    await putObject(this.pool, this.cipher, { path, kind: 'folder', size: 0, modified: Date.now(), ...this.code, stripeBytes: this.stripeBytes });
  }
}

/**
 * Where a download of vault `path` to `localPath` goes: into a folder under the file's own name; through
 * a symbolic link to the file it names; straight into a device or pipe (`special`). A folder in the way
 * is refused before anything is downloaded. `replacedMode` is the mode of the file already there, if any.
 */
async function downloadTarget(localPath: string, path: string): Promise<{ path: string; special: boolean; replacedMode?: number }> {
  let target = localPath;
  let info = await stat(target).catch(() => undefined);
  if (info?.isDirectory()) {
    target = join(localPath, path.slice(path.lastIndexOf('/') + 1));
    info = await stat(target).catch(() => undefined);
  }
  if (info?.isDirectory()) throw new VaultError('NOT_A_FILE', `${target} is a folder; give another name to save "${path}" as.`);
  const link = await lstat(target).catch(() => undefined);
  if (link?.isSymbolicLink()) {
    if (!info) throw new VaultError('LOCAL_IO', `${target} is a link to a file that does not exist; remove the link or give another name.`);
    // The rename goes over the file the link names, so the link stays a link. A device or pipe is written
    // through the link: /dev/stdout names a pipe that has no path (realpath fails on "pipe:[…]").
    if (info.isFile()) target = await realpath(target);
  }
  return { path: target, special: info !== undefined && !info.isFile(), replacedMode: info?.mode };
}

/**
 * Writes every byte of `parts` at `position` (null: where the handle is, as for a pipe or device), going
 * on after short writes; fails clearly if nothing is taken.
 */
async function writeFully(handle: FileHandle, parts: Buffer[], position: number | null, path: string): Promise<number> {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  // A temp file is removed on failure; what went into a pipe or device is out already.
  const outcome = position === null ? 'The download stopped part way.' : 'Nothing was saved.';
  let done = 0;
  let pending = parts;
  while (done < total) {
    let bytesWritten: number;
    try {
      ({ bytesWritten } = await handle.writev(pending, position === null ? undefined : position + done));
    } catch (error) {
      throw new VaultError('LOCAL_IO', `Could not write to ${path}: ${whyWriteFailed(error)}. ${outcome}`, { cause: error });
    }
    if (bytesWritten === 0) throw new VaultError('LOCAL_IO', `Could not write to ${path}; is the disk full? ${outcome}`);
    done += bytesWritten;
    pending = skipBytes(pending, bytesWritten);
  }
  return total;
}

/** The buffers that remain after the first `count` bytes. */
function skipBytes(parts: Buffer[], count: number): Buffer[] {
  const rest: Buffer[] = [];
  let skip = count;
  for (const part of parts) {
    if (skip >= part.length) skip -= part.length;
    else {
      rest.push(skip > 0 ? part.subarray(skip) : part);
      skip = 0;
    }
  }
  return rest;
}

function localError(error: unknown, path: string): VaultError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such file or folder'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'ENOTDIR'
            ? 'part of the path is a file, not a folder'
            : (error as Error).message;
  return new VaultError('LOCAL_IO', `Cannot open ${path}: ${why}.`, { cause: error });
}

