import { compareVersions } from '../../servers/protocol/versions.js';
import type { ListedPiece } from './node-client.js';
import { MASTER_KEY_OBJECT } from './master-key-store.js';
import type { ObjectMeta } from './object-meta.js';
import { type StripeLayout, bodylessLayout, stripeLayout } from './stripe-layout.js';
import type { VaultCipher } from './vault-cipher.js';

/** A piece of one version, as held by one node. */
export interface PieceHolder {
  node: number;
  piece: number;
  size: number;
}

/** One version of an object and the nodes that hold pieces of it. */
export interface VersionState {
  version: string;
  /** The metadata common to every piece (its `piece` field is that of the first holder seen). */
  meta: ObjectMeta;
  /** Holders with a distinct piece index and the size the layout requires. */
  holders: PieceHolder[];
}

/** Everything the nodes hold for one object key. */
export interface ObjectState {
  key: Buffer;
  /** Newest first. */
  versions: VersionState[];
}

/** How the body of an object with this metadata is laid out (folders and tombstones have none). */
export function layoutOf(meta: ObjectMeta): StripeLayout {
  return meta.kind === 'file' ? stripeLayout(meta.size, meta.stripeBytes, meta.k) : bodylessLayout(meta.stripeBytes, meta.k);
}

/** The size each piece of an object with this metadata must have. */
export function expectedPieceBytes(meta: ObjectMeta): number {
  return layoutOf(meta).pieceBytes;
}

/** What the pieces of one version must agree on (everything but the piece index). */
function objectSignature(meta: ObjectMeta): string {
  return JSON.stringify([meta.kind, meta.path, meta.size, meta.modified, meta.stripeBytes, meta.k, meta.m]);
}

/**
 * Merges the listings of every node (undefined for a node that did not answer) into per-object
 * state. Pieces whose metadata does not open (altered, moved, another vault's) count as missing; a
 * piece whose metadata opens but whose size is wrong (cut short or extended) holds nothing usable,
 * yet shows the version exists, so it reads as incomplete rather than absent. Where the pieces of
 * one version disagree on their metadata, the account most of them give wins, so one damaged
 * header cannot make the sound pieces of a file unreadable.
 */
export function buildCatalog(listings: ReadonlyArray<readonly ListedPiece[] | undefined>, cipher: Pick<VaultCipher, 'openMeta'>): Map<string, ObjectState> {
  const candidates = new Map<string, { key: Buffer; versions: Map<string, Map<string, VersionState>> }>();
  listings.forEach((listing, node) => {
    for (const item of listing ?? []) {
      if (item.key.equals(MASTER_KEY_OBJECT)) continue;
      const meta = cipher.openMeta(item.key, item.version, item.meta);
      if (!meta) continue;
      const hexKey = item.key.toString('hex');
      let object = candidates.get(hexKey);
      if (!object) candidates.set(hexKey, (object = { key: item.key, versions: new Map() }));
      let accounts = object.versions.get(item.version);
      if (!accounts) object.versions.set(item.version, (accounts = new Map()));
      const signature = objectSignature(meta);
      let state = accounts.get(signature);
      if (!state) accounts.set(signature, (state = { version: item.version, meta, holders: [] }));
      if (item.size === expectedPieceBytes(meta) && !state.holders.some((h) => h.piece === meta.piece)) state.holders.push({ node, piece: meta.piece, size: item.size });
    }
  });
  const objects = new Map<string, ObjectState>();
  for (const [hexKey, { key, versions }] of candidates) {
    const chosen = [...versions.values()].map((accounts) => [...accounts.values()].reduce((best, next) => (next.holders.length > best.holders.length ? next : best)));
    objects.set(hexKey, { key, versions: chosen.sort((a, b) => compareVersions(b.version, a.version)) });
  }
  return objects;
}

/**
 * The version every reader sees: the newest with at least k pieces, unless a newer tombstone is on
 * any node. A delete must win even when most of the nodes that recorded it are down, or an older
 * version that a node missed the prune of would come back.
 */
export function readableVersion(object: ObjectState): VersionState | undefined {
  return object.versions.find((v) => v.meta.kind === 'tombstone' || v.holders.length >= v.meta.k);
}

/** Nodes that still hold a version older than `version` (a prune they missed). */
export function nodesWithOlderVersions(object: ObjectState, version: VersionState): number[] {
  const nodes = new Set<number>();
  for (const older of object.versions) {
    if (compareVersions(older.version, version.version) < 0) for (const holder of older.holders) nodes.add(holder.node);
  }
  return [...nodes].sort((a, b) => a - b);
}
