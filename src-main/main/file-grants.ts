/**
 * Which local paths the user handed to the desktop app, kept in the main process: the page is not trusted with the
 * file system, so a path it names is read or written only when the user dropped or picked it (uploads) or chose it
 * in a save or folder dialog (downloads). Pure bookkeeping with an injected clock and path flavour, tested in Node.
 */
import * as nodePath from 'node:path';
import type { DownloadGrant } from '../service/call-handlers.js';
import { ExpiringEntries } from '../service/expiring-entries.js';
import { placeAgainst } from '../service/path-placement.js';

/** How long a dropped or picked file may be uploaded by path. */
export const UPLOAD_GRANT_TTL_MS = 60 * 60 * 1000;
/** How long a destination chosen in a dialog may be written to. */
export const DOWNLOAD_GRANT_TTL_MS = 10 * 60 * 1000;
/** The most grants of each kind kept; the oldest go first (a page dropping files forever must not grow main's memory). */
export const MAX_GRANTS = 10_000;

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

/** The grants of one app run: upload sources the user handed over and download destinations the user chose. */
export class FileGrants {
  private readonly path: nodePath.PlatformPath;
  private readonly uploads: ExpiringEntries;
  /** Each with how many downloads it still allows: names that differ only in case are one path on Windows, and each gets its download. */
  private readonly downloads: ExpiringEntries<{ grant: DownloadGrant; uses: number }>;

  constructor(options: FileGrantsOptions = {}) {
    // A monotonic clock: setting the system clock back must not stretch a grant.
    const { now = () => performance.now(), maxEntries = MAX_GRANTS, uploadTtlMs = UPLOAD_GRANT_TTL_MS, downloadTtlMs = DOWNLOAD_GRANT_TTL_MS } = options;
    this.path = options.path ?? nodePath;
    this.uploads = new ExpiringEntries(uploadTtlMs, maxEntries, now);
    this.downloads = new ExpiringEntries(downloadTtlMs, maxEntries, now);
  }

  /** The user dropped or picked this file or folder: it, and anything inside it (a folder is walked), may be read. */
  grantUploadSource(path: string): void {
    const key = this.key(path);
    if (key !== undefined) this.uploads.add(key, true);
  }

  /** The user chose this file in a save dialog: exactly it may be written, once. */
  grantDownloadFile(path: string): void {
    const key = this.key(path);
    if (key !== undefined) this.downloads.add(key, { grant: { kind: 'chosen-file' }, uses: 1 });
  }

  /**
   * The user chose `folder` for the files `names` (relative paths, `/`-separated, as the dialog was asked for):
   * each of those exactly may be written, once, and only strictly inside the folder. Not anything else in it: a
   * page must not pick, say, an installer in Downloads to replace.
   */
  grantDownloadFolder(folder: string, names: readonly string[]): void {
    const root = this.key(folder);
    if (root === undefined) return;
    const resolvedFolder = this.path.resolve(folder);
    for (const name of names) {
      if (typeof name !== 'string' || name === '' || name.includes('\0') || this.path.isAbsolute(name)) continue;
      const key = this.key(this.path.join(root, name));
      if (key === undefined || placeAgainst(root, key, this.path) !== 'inside') continue;
      const earlier = this.downloads.peek(key);
      const uses = earlier?.grant.kind === 'in-folder' ? earlier.uses + 1 : 1;
      this.downloads.add(key, { grant: { kind: 'in-folder', folder: resolvedFolder }, uses });
    }
  }

  /** True when `path` was handed over for upload, or is inside a folder that was. */
  mayUpload(path: string): boolean {
    return this.uploadRootOf(path) !== undefined;
  }

  /**
   * The granted source that covers `path`, resolved: it, or the nearest folder above it that was handed over; undefined
   * when none does. Resolving first removes `..` and `.` segments, and walking whole path components means
   * `/home/a/Down` never covers `/home/a/Downloads/x`.
   */
  uploadRootOf(path: string): string | undefined {
    let key = this.key(path);
    if (key === undefined) return undefined;
    if (this.uploads.has(key)) return key;
    for (;;) {
      const parent = this.path.dirname(key);
      if (parent === key) return undefined;
      key = parent;
      if (this.uploads.has(key)) return key;
    }
  }

  /** How `path` may be downloaded to, using its grant up (a second download there needs the dialog again); undefined when it was never granted. */
  takeDownload(path: string): DownloadGrant | undefined {
    const key = this.key(path);
    if (key === undefined) return undefined;
    const entry = this.downloads.peek(key);
    if (entry && entry.uses > 1) {
      entry.uses--;
      return entry.grant;
    }
    return this.downloads.take(key)?.grant;
  }

  /** How many grants are held (expired ones may still count until the next grant prunes them). */
  get size(): { uploads: number; downloads: number } {
    return { uploads: this.uploads.size, downloads: this.downloads.size };
  }

  /** The comparable form of an absolute path: resolved, without a trailing separator, case-folded on Windows. */
  private key(path: string): string | undefined {
    if (typeof path !== 'string' || path === '' || path.includes('\0') || !this.path.isAbsolute(path)) return undefined;
    const resolved = this.path.resolve(path);
    // NTFS compares names without case, and so does path.win32.relative; on POSIX a different case is another file.
    return this.path.sep === '\\' ? resolved.toLowerCase() : resolved;
  }
}
