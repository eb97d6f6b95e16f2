import { randomBytes } from 'node:crypto';
import { VaultError } from '../shared/errors.js';

/** What an object is: a file, a folder marker, or a tombstone left by a delete. */
export type ObjectKind = 'file' | 'folder' | 'tombstone';

/** The metadata stored beside each piece, sealed by VaultCipher; nodes keep it as an opaque blob. */
export interface ObjectMeta {
  kind: ObjectKind;
  path: string;
  size: number;
  /** Modification time, milliseconds since the epoch. */
  modified: number;
  stripeBytes: number;
  k: number;
  m: number;
  /** Which piece of the object this is (0..k-1 data, k.. parity). */
  piece: number;
}

const META_VERSION = 1;

/** Serializes metadata into the blob a node stores. */
export function encodeMeta(meta: ObjectMeta): Buffer {
  return Buffer.from(JSON.stringify({ v: META_VERSION, ...meta }), 'utf8');
}

/** Parses a stored blob; undefined for anything this client does not understand (skipped, never trusted). */
export function decodeMeta(blob: Buffer): ObjectMeta | undefined {
  try {
    const raw = JSON.parse(blob.toString('utf8')) as Record<string, unknown>;
    if (raw['v'] !== META_VERSION) return undefined;
    const { kind, path, size, modified, stripeBytes, k, m, piece } = raw;
    const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
    if (kind !== 'file' && kind !== 'folder' && kind !== 'tombstone') return undefined;
    if (typeof path !== 'string' || !isCount(size) || !isCount(modified) || !isCount(stripeBytes) || !isCount(k) || !isCount(m) || !isCount(piece)) return undefined;
    if (k < 1 || stripeBytes < 1 || piece >= k + m) return undefined;
    return { kind, path, size, modified, stripeBytes, k, m, piece };
  } catch {
    return undefined;
  }
}

/**
 * A new version id, 24 hex digits: microseconds since the epoch, then 32 random bits. It sorts after
 * every version in `existing` (even when this clock is behind the last writer's), and two writers of
 * the same path at the same moment never pick the same id, so their pieces can never mix.
 */
export function nextVersion(existing: Iterable<string>, now = Date.now()): string {
  let time = BigInt(now) * 1000n;
  for (const version of existing) {
    const value = BigInt(`0x${version}`);
    if (value >> 32n >= time) time = (value >> 32n) + 1n;
  }
  const random = BigInt(randomBytes(4).readUInt32BE(0));
  return ((time << 32n) | random).toString(16).padStart(24, '0');
}

/** Checks that a version id read from a node is the hex form this client writes. */
export function assertVersion(version: string): void {
  if (!/^[0-9a-f]{1,32}$/.test(version)) throw new VaultError('PROTOCOL', `A node reported a malformed version "${version.slice(0, 40)}".`);
}
