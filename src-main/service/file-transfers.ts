import { lstat, mkdir, open, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Transfer } from '../shared/app-models.js';
import { VaultError } from '../shared/errors.js';
import type { VaultEntry } from '../shared/models.js';
import { numberedName } from '../shared/numbered-name.js';
import type { ByteSource } from '../vault/byte-source.js';
import type { Vault } from '../vault/vault.js';
import { normalizeVaultPath, parentOf } from '../vault/vault-path.js';
import { planUploads } from './local-uploads.js';
import { placeAgainst } from './path-placement.js';
import { PushedUploads } from './pushed-uploads.js';
import { TransferManager } from './transfer-manager.js';

/** What transfers need of the signed-in vault: listings, and files in and out by path or by stream. */
export type TransferVault = Pick<Vault, 'list' | 'putFile' | 'getFile' | 'putStream' | 'getStream'>;

/** Where transfers find the vault and how they tell the service what happened. */
export interface FileTransfersOptions {
  /** The signed-in vault; throws SIGNED_OUT when nobody is signed in. */
  vault: () => TransferVault;
  /** A transfer was queued, progressed or ended (the service's `transfer.changed`). */
  announce: (transfer: Transfer) => void;
  /** An upload committed these vault paths (the service's `files.changed`). */
  changed: (paths: string[]) => void;
  /** How long a pushed upload waits for its next chunk before it is cancelled (default 60 s). */
  uploadIdleTimeoutMs?: number;
}

/**
 * Files in and out of the vault as tracked transfers: local paths (uploaded by walking folders, downloaded with
 * "keep both"), uploads pushed chunk by chunk, and the browser host's streamed bodies; listed, cancelled and cleared.
 */
export class FileTransfers {
  private readonly transfers: TransferManager;
  private readonly pushed: PushedUploads;

  constructor(private readonly options: FileTransfersOptions) {
    this.transfers = new TransferManager(options.announce);
    this.pushed = new PushedUploads(options.uploadIdleTimeoutMs);
  }

  /** Every transfer, oldest first. */
  list(): Transfer[] {
    return this.transfers.list();
  }

  /** Cancels a transfer; a pushed one also fails its sender's next write. One already committing goes on to its real outcome. */
  cancel(id: string): void {
    if (this.transfers.cancel(id)) this.pushed.fail(id, new VaultError('CANCELLED', 'The upload was cancelled; nothing was stored.'));
  }

  /** Forgets finished transfers. */
  clearFinished(): void {
    this.transfers.clearFinished();
  }

  /**
   * Cancels every transfer not yet committing and fails the senders of pushed uploads (at sign-out, before the vault
   * closes); `commitsEnded` then waits for the committing ones.
   */
  cancelAll(): void {
    this.transfers.cancelAll();
    this.pushed.failAll(new VaultError('CANCELLED', 'Signed out; the upload was cancelled.'));
  }

  /** Settles once every upload committing now has finished (done or failed). */
  commitsEnded(): Promise<void> {
    return this.transfers.commitsEnded();
  }

  /** Queues an upload of each file under the given local files and folders, each streamed from disk; returns the ids. */
  async uploadPaths(items: Array<{ source: string; folder: string }>): Promise<{ ids: string[] }> {
    const vault = this.options.vault();
    const planned = await planUploads(items);
    const ids = planned.map((item) => {
      const { id, result } = this.transfers.start({ direction: 'upload', path: item.path, size: Math.max(0, item.size), local: item.source }, (context) =>
        vault.putFile(item.source, item.path, { signal: context.signal, onProgress: context.progress, onCommitting: context.committing }),
      );
      void result.then(() => this.options.changed([item.path]), () => undefined);
      return id;
    });
    return { ids };
  }

  /**
   * Queues a download of each vault file to its local destination, once every size is known; returns the ids. With
   * `within` (the folder the user chose), a destination reached through a link inside that folder is refused.
   */
  async download(items: Array<{ path: string; destination: string; ifExists?: 'replace' | 'keep-both'; within?: string }>): Promise<{ ids: string[] }> {
    const vault = this.options.vault();
    // One listing per folder, however many of its files are downloaded (a folder of thousands, say).
    const listings = new Map<string, Promise<VaultEntry[]>>();
    const sizes: VaultEntry[] = [];
    for (const item of items) sizes.push(await this.fileEntry(item.path, listings));
    const ids = items.map((item, i) => {
      const { id, result } = this.transfers.start({ direction: 'download', path: sizes[i]!.path, size: sizes[i]!.size, local: item.destination }, async (context) => {
        if (item.within !== undefined) await refuseLinksBelow(item.within, dirname(item.destination));
        // A folder downloaded as a whole keeps its layout: make the subfolders on the way.
        await mkdir(dirname(item.destination), { recursive: true });
        const reserved = item.ifExists === 'keep-both' ? await reserveFreeName(item.destination) : undefined;
        try {
          return await vault.getFile(item.path, reserved ?? item.destination, { signal: context.signal, onProgress: context.progress });
        } catch (error) {
          // Still the empty file that held the name: nothing was saved there.
          if (reserved && (await stat(reserved).catch(() => undefined))?.size === 0) await rm(reserved, { force: true });
          throw error;
        }
      });
      result.catch(() => undefined);
      return id;
    });
    return { ids };
  }

  /** Opens an upload whose bytes arrive through `write`; a Cancel fails the sender's next write too. */
  async beginUpload(request: { path: string; size: number; modified?: number }): Promise<{ id: string }> {
    const vault = this.options.vault();
    return this.pushed.open((source) => {
      const started = this.transfers.start({ direction: 'upload', path: request.path, size: request.size }, (context) => {
        context.signal.addEventListener('abort', () => this.pushed.fail(started.id, context.signal.reason as Error), { once: true });
        return vault.putStream(source, request.size, request.path, { modified: request.modified, signal: context.signal, onCommitting: context.committing, onProgress: context.progress });
      });
      started.result.then(() => this.options.changed([request.path]), () => undefined);
      return started;
    });
  }

  /** Hands a pushed upload its next chunk; resolves once the upload has taken it. */
  write(request: { id: string; bytes: Uint8Array }): Promise<void> {
    return this.pushed.write(request.id, request.bytes);
  }

  /** Tells a pushed upload no more chunks come; resolves once the quorum has committed it. */
  end(request: { id: string }): Promise<void> {
    return this.pushed.end(request.id);
  }

  /** Uploads a body read from `source` as a tracked transfer; resolves with its id once committed. */
  async uploadStream(request: { path: string; size: number; modified?: number; source: ByteSource }): Promise<{ id: string }> {
    const vault = this.options.vault();
    const { id, result } = this.transfers.start({ direction: 'upload', path: request.path, size: request.size }, (context) =>
      vault.putStream(request.source, request.size, request.path, { modified: request.modified, signal: context.signal, onProgress: context.progress, onCommitting: context.committing }),
    );
    await result;
    this.options.changed([request.path]);
    return { id };
  }

  /** The file entry at `path`: NOT_FOUND when there is none, NOT_A_FILE for a folder; `listings` caches folder listings. */
  async fileEntry(path: string, listings = new Map<string, Promise<VaultEntry[]>>()): Promise<VaultEntry> {
    const vault = this.options.vault();
    const target = normalizeVaultPath(path);
    const folder = parentOf(target);
    let listing = listings.get(folder);
    if (!listing) listings.set(folder, (listing = vault.list(folder)));
    const entries = await listing.catch((error: unknown) => {
      if (error instanceof VaultError && error.code === 'NOT_FOUND') return [];
      throw error;
    });
    const entry = entries.find((e) => e.path === target);
    if (!entry) throw new VaultError('NOT_FOUND', `No file named "${target}" in the vault.`);
    if (entry.type !== 'file') throw new VaultError('NOT_A_FILE', `"${target}" is a folder; download the files inside it.`);
    return entry;
  }

  /** Streams a vault file into `sink` as a tracked download; `signal` (the client went away) cancels it. */
  async downloadStream(path: string, sink: (parts: Buffer[]) => Promise<void>, signal?: AbortSignal): Promise<{ id: string; size: number }> {
    const vault = this.options.vault();
    const entry = await this.fileEntry(path);
    const { id, result } = this.transfers.start({ direction: 'download', path: entry.path, size: entry.size }, (context) => {
      signal?.addEventListener('abort', () => this.transfers.cancel(id), { once: true });
      return vault.getStream(entry.path, sink, { signal: context.signal, onProgress: context.progress });
    });
    const { size } = await result;
    return { id, size };
  }
}

/**
 * Throws if a folder between `root` (itself not checked: the user chose it) and `folder` is a symbolic link: a
 * download into the chosen folder must not land wherever such a link points.
 */
export async function refuseLinksBelow(root: string, folder: string): Promise<void> {
  let at = resolve(root);
  const target = resolve(folder);
  if (placeAgainst(at, target) === 'outside') throw new VaultError('INVALID_REQUEST', 'A download into a chosen folder must stay inside it.');
  for (const step of relative(at, target).split(sep).filter(Boolean)) {
    at = join(at, step);
    const info = await lstat(at).catch(() => undefined);
    if (!info) return;
    if (info.isSymbolicLink()) {
      throw new VaultError('LOCAL_IO', `${at} is a link; DFS Vault saves only into the folder you chose, not through links in it. Choose another folder, or remove the link.`);
    }
  }
}

/**
 * `destination`, or the first of "name (2).ext", "name (3).ext", … that does not exist yet, created empty: the name is
 * reserved at once (exclusive create), so two downloads saving at the same time never pick the same one and replace
 * each other, nor one a file something else made meanwhile. Anything at a name, a link included, counts as taken.
 */
export async function reserveFreeName(destination: string): Promise<string> {
  const folder = dirname(destination);
  const name = basename(destination);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? destination : join(folder, numberedName(name, n));
    try {
      await (await open(candidate, 'wx')).close();
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
