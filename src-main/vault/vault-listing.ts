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

/** The entries directly inside `folder` ("" is the top): files, folder markers, and folders implied by deeper paths. */
export function folderEntries(objects: readonly ListedObject[], folder: string): VaultEntry[] {
  const entries = new Map<string, VaultEntry>();
  const prefix = folder === '' ? '' : `${folder}/`;
  for (const object of objects) {
    if (!object.path.startsWith(prefix) || object.path === folder) continue;
    const rest = object.path.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) {
      const type = object.kind;
      const id = `${type}:${rest}`;
      const previous = entries.get(id);
      entries.set(id, {
        name: rest,
        path: object.path,
        type,
        size: object.size,
        modified: new Date(Math.max(object.modified, previous ? Date.parse(previous.modified) : 0)).toISOString(),
        pieces: { good: object.good, total: object.total },
        health: healthOf({ good: object.good, total: object.total }, object.k),
      });
    } else {
      const name = rest.slice(0, slash);
      const id = `folder:${name}`;
      const previous = entries.get(id);
      const modified = Math.max(object.modified, previous ? Date.parse(previous.modified) : 0);
      entries.set(id, previous ? { ...previous, modified: new Date(modified).toISOString() } : {
        name,
        path: prefix + name,
        type: 'folder',
        size: 0,
        modified: new Date(modified).toISOString(),
        pieces: { good: object.total, total: object.total },
        health: 'healthy',
      });
    }
  }
  return [...entries.values()].sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'folder' ? -1 : 1));
}

/** True when `folder` exists: a marker, or any object below it. */
export function folderExists(objects: readonly ListedObject[], folder: string): boolean {
  if (folder === '') return true;
  return objects.some((o) => (o.kind === 'folder' && o.path === folder) || o.path.startsWith(`${folder}/`));
}
