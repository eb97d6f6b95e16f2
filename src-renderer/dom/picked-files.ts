import type { UploadItem } from '../api/file-transfers.js';
import { joinVaultPath } from '../store/vault-paths.js';

/** Files from a file input, each aimed at the current folder (a folder input keeps each file's relative path). */
export function pickedUploads(files: FileList | null, folder: string): UploadItem[] {
  return [...(files ?? [])].map((file) => ({ file, path: joinVaultPath(folder, file.webkitRelativePath || file.name) }));
}
