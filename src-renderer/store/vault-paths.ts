/** Vault path arithmetic for the UI: `/`-separated, no leading slash, "" is the top folder. No DOM. */
import { numberedName } from '../../src-main/shared/numbered-name.js';

/** Joins a folder and a relative path ("a" + "b/c.txt" → "a/b/c.txt"; "" + "x" → "x"). */
export function joinVaultPath(folder: string, relative: string): string {
  const parts = [...folder.split('/'), ...relative.split('/')].filter((part) => part !== '');
  return parts.join('/');
}

/** The folder part of a path ("" for top-level names). */
export function parentOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at);
}

/** The last segment of a path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Going up from `from` to `to`: the entry of `to` that leads back down to `from` ("a/b/c" to "a" → "a/b"), else null. */
export function entryTowards(from: string, to: string): string | null {
  if (to !== '' && !from.startsWith(`${to}/`)) return null;
  const [next] = from.slice(to === '' ? 0 : to.length + 1).split('/');
  return next ? joinVaultPath(to, next) : null;
}

/**
 * "Keep both": a new path for each of `paths` whose name is taken in its folder ("a/x.txt" → "a/x (2).txt"), free there
 * and given to no other of `paths`. `taken` holds the names already in each folder.
 */
export function keepBothPaths(paths: readonly string[], taken: ReadonlyMap<string, ReadonlySet<string>>): Map<string, string> {
  const names = new Map<string, Set<string>>();
  const renamed = new Map<string, string>();
  for (const path of paths) {
    const folder = parentOf(path);
    let inFolder = names.get(folder);
    if (!inFolder) names.set(folder, (inFolder = new Set(taken.get(folder))));
    let name = baseName(path);
    if (inFolder.has(name)) {
      let n = 2;
      while (inFolder.has(numberedName(name, n))) n++;
      name = numberedName(name, n);
      renamed.set(path, joinVaultPath(folder, name));
    }
    inFolder.add(name);
  }
  return renamed;
}

/** One step of the breadcrumb trail. */
export interface Crumb {
  name: string;
  path: string;
}

/** The trail from the top folder (named `rootName`) down to `folder`. */
export function breadcrumbs(folder: string, rootName = 'Vault'): Crumb[] {
  const crumbs: Crumb[] = [{ name: rootName, path: '' }];
  let path = '';
  for (const part of folder.split('/').filter((p) => p !== '')) {
    path = path ? `${path}/${part}` : part;
    crumbs.push({ name: part, path });
  }
  return crumbs;
}

/** Why a new folder or file name cannot be used, or null when it can. */
export function nameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'Enter a name.';
  if (trimmed === '.' || trimmed === '..') return `"${trimmed}" cannot be used as a name.`;
  if (/[/\\]/.test(trimmed)) return 'A name cannot contain / or \\.';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return 'A name cannot contain control characters.';
  if (new TextEncoder().encode(trimmed).length > 255) return 'The name is longer than 255 bytes.';
  return null;
}

/** True when a change under any of `changed` can alter the listing of `folder`. */
export function affectsFolder(changed: readonly string[], folder: string): boolean {
  if (folder === '') return changed.length > 0;
  return changed.some((path) => path === '' || path === folder || path.startsWith(`${folder}/`) || folder.startsWith(`${path}/`));
}
