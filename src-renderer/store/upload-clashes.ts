import type { VaultApi } from '../../src-main/shared/contract.js';
import { baseName, breadcrumbs, keepBothPaths, parentOf } from './vault-paths.js';

/** The names already in each existing folder an upload writes into, and which of them are files. */
export interface FolderContents {
  names: Map<string, Set<string>>;
  files: Map<string, Set<string>>;
}

/**
 * Lists the folders that `paths` go into (and the folders above them, top down), skipping those that do not exist:
 * nothing can clash in a folder the upload makes. A folder that cannot be listed counts as empty.
 */
export async function folderContents(api: Pick<VaultApi, 'files'>, paths: readonly string[]): Promise<FolderContents> {
  const folders = new Set<string>();
  for (const path of paths) for (const crumb of breadcrumbs(parentOf(path))) folders.add(crumb.path);
  const contents: FolderContents = { names: new Map(), files: new Map() };
  const depth = (folder: string) => (folder === '' ? 0 : folder.split('/').length);
  for (const folder of [...folders].sort((a, b) => depth(a) - depth(b))) {
    const exists = folder === '' || (contents.names.get(parentOf(folder))?.has(baseName(folder)) ?? false);
    if (!exists) continue;
    const entries = await api.files.list({ folder }).catch(() => []);
    contents.names.set(folder, new Set(entries.map((e) => e.name)));
    contents.files.set(folder, new Set(entries.filter((e) => e.type === 'file').map((e) => e.name)));
  }
  return contents;
}

/** The paths that would replace a file already in the vault. */
export function replacedPaths(paths: readonly string[], contents: FolderContents): string[] {
  return paths.filter((path) => contents.files.get(parentOf(path))?.has(baseName(path)) ?? false);
}

/** `items` with each clashing one moved to a free "name (2).ext" next to it. */
export function keepingBoth<T extends { path: string }>(items: readonly T[], contents: FolderContents): T[] {
  const renamed = keepBothPaths(items.map((i) => i.path), contents.names);
  return items.map((item) => ({ ...item, path: renamed.get(item.path) ?? item.path }));
}
