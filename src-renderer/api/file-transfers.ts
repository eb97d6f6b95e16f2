import type { SerializedVaultError } from '../../src-main/shared/errors.js';
import type { VaultEntry } from '../../src-main/shared/models.js';

/** A local File and the vault path it goes to ("photos/2026/beach.jpg"). */
export interface UploadItem {
  file: File;
  path: string;
}

/** An upload that could not start or finish, with the reason a person reads. */
export interface UploadFailure {
  path: string;
  error: SerializedVaultError;
}

/** The byte work that differs per host: moving Files in and vault entries out. */
export interface FileTransfers {
  /** Uploads each File to its vault path; resolves when all are committed or failed, listing the failures. */
  uploadFiles(files: readonly UploadItem[]): Promise<UploadFailure[]>;
  /** Downloads files (folders with everything in them); throws when nothing could be started. */
  downloadEntries(entries: readonly VaultEntry[]): Promise<void>;
  /** Stops sending the bytes of an upload to `path` this page is streaming (the host cancels its side). */
  stopUpload(path: string): void;
}
