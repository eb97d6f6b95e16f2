import type { VaultApi } from '../../src-main/shared/contract.js';
import type { VaultEntry } from '../../src-main/shared/models.js';

/** A file to download and its path relative to the folder the selection was made in. */
export interface DownloadFile {
  path: string;
  relative: string;
  size: number;
}

/** The files behind a selection: files as they are, folders walked recursively. */
export async function expandEntries(api: Pick<VaultApi, 'files'>, entries: readonly VaultEntry[]): Promise<DownloadFile[]> {
  const files: DownloadFile[] = [];
  const walk = async (entry: VaultEntry, relative: string): Promise<void> => {
    if (entry.type === 'file') {
      files.push({ path: entry.path, relative, size: entry.size });
      return;
    }
    for (const child of await api.files.list({ folder: entry.path })) await walk(child, `${relative}/${child.name}`);
  };
  for (const entry of entries) await walk(entry, entry.name);
  return files;
}
