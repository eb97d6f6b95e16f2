/**
 * Which local paths the user handed to the desktop app, kept in the main process: the page is not trusted with the
 * file system, so a path it names is read or written only when the user dropped or picked it (uploads) or chose it
 * in a save or folder dialog (downloads). Pure bookkeeping with an injected clock and path flavour, tested in Node.
 */
import * as nodePath from 'node:path';

/** How long a dropped or picked file may be uploaded by path. */
export const UPLOAD_GRANT_TTL_MS = 60 * 60 * 1000;
/** How long a destination chosen in a dialog may be written to. */
export const DOWNLOAD_GRANT_TTL_MS = 10 * 60 * 1000;
/** The most grants of each kind kept; the oldest go first (a page dropping files forever must not grow main's memory). */
export const MAX_GRANTS = 10_000;

/** The kinds of grant: an upload source (it and anything inside it), a chosen file (exactly it), a chosen folder (strictly inside it). */
type Kind = 'source' | 'file' | 'folder';

/** The options of `FileGrants`; every one has a default, tests inject the clock and the path flavour. */
export interface FileGrantsOptions {
  /** Milliseconds on a clock that only moves forward (default `performance.now`). */
  now?: () => number;
  maxEntries?: number;
  uploadTtlMs?: number;
  downloadTtlMs?: number;
  /** `node:path` (default), or `path.win32` / `path.posix` to check the other platform's rules. */
  path?: nodePath.PlatformPath;
}

/** A bounded set of `kind:path` keys, each with an expiry; kept in grant order, so the oldest expire and go first. */
class GrantSet {
  private readonly entries = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number,
  ) {}

  add(key: string): void {
    const now = this.now();
    this.prune(now);
    // Re-inserted, so a path granted again moves to the young end and gets a fresh expiry.
    this.entries.delete(key);
    this.entries.set(key, now + this.ttlMs);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  has(key: string): boolean {
    const expires = this.entries.get(key);
    return expires !== undefined && expires > this.now();
  }

  get size(): number {
    return this.entries.size;
  }

  private prune(now: number): void {
    for (const [key, expires] of this.entries) {
      if (expires > now) break;
      this.entries.delete(key);
    }
  }
}

/** The grants of one app run: upload sources the user handed over and download destinations the user chose. */
export class FileGrants {
  private readonly path: nodePath.PlatformPath;
  private readonly uploads: GrantSet;
  private readonly downloads: GrantSet;

  constructor(options: FileGrantsOptions = {}) {
    // A monotonic clock: setting the system clock back must not stretch a grant.
    const { now = () => performance.now(), maxEntries = MAX_GRANTS, uploadTtlMs = UPLOAD_GRANT_TTL_MS, downloadTtlMs = DOWNLOAD_GRANT_TTL_MS } = options;
    this.path = options.path ?? nodePath;
    this.uploads = new GrantSet(uploadTtlMs, maxEntries, now);
    this.downloads = new GrantSet(downloadTtlMs, maxEntries, now);
  }

  /** The user dropped or picked this file or folder: it, and anything inside it (a folder is walked), may be read. */
  grantUploadSource(path: string): void {
    const key = this.key(path);
    if (key !== undefined) this.uploads.add(`source:${key}`);
  }

  /** The user chose this file in a save dialog: exactly it may be written. */
  grantDownloadFile(path: string): void {
    const key = this.key(path);
    if (key !== undefined) this.downloads.add(`file:${key}`);
  }

  /** The user chose this folder for several files: anything inside it may be written (not the folder itself). */
  grantDownloadFolder(path: string): void {
    const key = this.key(path);
    if (key !== undefined) this.downloads.add(`folder:${key}`);
  }

  /** True when `path` was handed over for upload, or is inside a folder that was. */
  mayUpload(path: string): boolean {
    return this.covered(this.uploads, path, 'source', 'source');
  }

  /** True when `path` is a file chosen in a save dialog, or is inside a folder chosen for a download. */
  mayDownloadTo(path: string): boolean {
    return this.covered(this.downloads, path, 'file', 'folder');
  }

  /** How many grants are held (expired ones may still count until the next grant prunes them). */
  get size(): { uploads: number; downloads: number } {
    return { uploads: this.uploads.size, downloads: this.downloads.size };
  }

  /**
   * Looks `path` up, then each folder above it: resolving first removes `..` and `.` segments, and walking whole
   * path components means `/home/a/Down` never covers `/home/a/Downloads/x`.
   */
  private covered(set: GrantSet, path: string, atPath: Kind, above: Kind): boolean {
    let key = this.key(path);
    if (key === undefined) return false;
    if (set.has(`${atPath}:${key}`)) return true;
    for (;;) {
      const parent = this.path.dirname(key);
      if (parent === key) return false;
      key = parent;
      if (set.has(`${above}:${key}`)) return true;
    }
  }

  /** The comparable form of an absolute path: resolved, without a trailing separator, case-folded on Windows. */
  private key(path: string): string | undefined {
    if (typeof path !== 'string' || path === '' || path.includes('\0') || !this.path.isAbsolute(path)) return undefined;
    const resolved = this.path.resolve(path);
    // NTFS compares names without case, and so does path.win32.relative; on POSIX a different case is another file.
    return this.path.sep === '\\' ? resolved.toLowerCase() : resolved;
  }
}
