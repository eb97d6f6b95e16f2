import { type VaultEntry, healthOf } from '../shared/models.js';
import { type ObjectState, readableVersion } from './catalog.js';

/** One object as a listing shows it: its readable version, or its newest one if none is readable. */
export interface ListedObject {
  path: string;
  kind: 'file' | 'folder';
  size: number;
  modified: number;
  good: number;
  total: number;
  k: number;
  readable: boolean;
}

/** Reduces catalog state to the live objects (deleted ones dropped; unreadable files kept, marked). */
export function liveObjects(objects: Iterable<ObjectState>): ListedObject[] {
  const live: ListedObject[] = [];
  for (const state of objects) {
    const version = readableVersion(state) ?? state.versions[0];
    if (!version || version.meta.kind === 'tombstone') continue;
    const { meta } = version;
    live.push({
      path: meta.path,
      kind: meta.kind === 'folder' ? 'folder' : 'file',
      size: meta.size,
      modified: meta.modified,
      good: version.holders.length,
      total: meta.k + meta.m,
      k: meta.k,
      readable: version.holders.length >= meta.k,
    });
  }
  return live;
}

/**
 * The entries directly inside `folder` ("" is the top): files, folder markers, and folders implied by deeper paths.
 * A folder's pieces and health are those of the worst object inside it (or of its marker), so a folder never looks
 * healthier than what it holds.
 */
export function folderEntries(objects: readonly ListedObject[], folder: string): VaultEntry[] {
  const entries = new Map<string, VaultEntry>();
  const prefix = folder === '' ? '' : `${folder}/`;
  for (const object of objects) {
    if (!object.path.startsWith(prefix) || object.path === folder) continue;
    const rest = object.path.slice(prefix.length);
    const slash = rest.indexOf('/');
    const name = slash < 0 ? rest : rest.slice(0, slash);
    const type = slash < 0 ? object.kind : 'folder';
    const id = `${type}:${name}`;
    const pieces = { good: object.good, total: object.total };
    const entry: VaultEntry = {
      name,
      path: prefix + name,
      type,
      size: type === 'file' ? object.size : 0,
      modified: new Date(object.modified).toISOString(),
      pieces,
      health: healthOf(pieces, object.k),
    };
    const previous = entries.get(id);
    entries.set(id, previous ? mergeFolderEntry(previous, entry) : entry);
  }
  return [...entries.values()].sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'folder' ? -1 : 1));
}

const SEVERITY = { healthy: 0, degraded: 1, 'at-risk': 2, unavailable: 3 } as const;

/** Two sightings of one folder: the latest modification and the worst health. */
function mergeFolderEntry(a: VaultEntry, b: VaultEntry): VaultEntry {
  const worse = SEVERITY[b.health] > SEVERITY[a.health] || (SEVERITY[b.health] === SEVERITY[a.health] && b.pieces.good < a.pieces.good) ? b : a;
  return { ...a, modified: a.modified > b.modified ? a.modified : b.modified, pieces: worse.pieces, health: worse.health };
}

/** True when `folder` exists: a marker, or any object below it. */
export function folderExists(objects: readonly ListedObject[], folder: string): boolean {
  if (folder === '') return true;
  return objects.some((o) => (o.kind === 'folder' && o.path === folder) || o.path.startsWith(`${folder}/`));
}
