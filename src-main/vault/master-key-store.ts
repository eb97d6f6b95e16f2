import { compareVersions } from '../../servers/protocol/versions.js';
import { VaultError } from '../shared/errors.js';
import { createMasterKey, decodeWrappedMasterKey, encodeWrappedMasterKey, unwrapMasterKey, wrapMasterKey } from './crypto/master-key.js';
import type { NodePool } from './node-pool.js';
import { nextVersion } from './object-meta.js';
import { PieceUpload } from './piece-upload.js';
import { throwIfNoNodeAnswered } from './unavailable-nodes.js';

/**
 * The reserved object key under which every node keeps the user's wrapped master key, as the
 * metadata of a body-less piece. It is 20 bytes long and every path's object id is 32, so no path
 * can ever map to it; to the node it is one more opaque object.
 */
export const MASTER_KEY_OBJECT = Buffer.from('dfs-vault master key');

/** How the master key is created on first login. */
export interface MasterKeyOptions {
  /** Nodes that must take a new record before it counts as stored (the k + 1 write quorum). */
  quorum: number;
  /** scrypt N for a new record (default: the production cost); tests pass a small one. */
  scryptN?: number;
  /** Called with a newly created master key while it is stored (to set up the recovery login). */
  onCreated?: (masterKey: Buffer) => Promise<void>;
}

/** One distinct record seen on the nodes, and where. */
export interface Sighting {
  bytes: Buffer;
  version: string;
  nodes: number[];
}

/** Every record on the nodes, and the nodes that answered. */
export interface MasterKeyRecords {
  sightings: Sighting[];
  reachable: number[];
}

/**
 * The user's master key: read from the nodes and unwrapped with the password, or, when no node has
 * one (first login), created, wrapped and stored on every reachable node. Nodes that answered without
 * a record are given the one in use, so a node that was down at first login catches up.
 */
export async function loadOrCreateMasterKey(pool: NodePool, password: string, options: MasterKeyOptions): Promise<Buffer> {
  let { sightings, reachable } = await readMasterKeyRecords(pool);
  if (sightings.length === 0) {
    await storeNewRecord(pool, password, reachable, options);
    // Read back rather than trust what was written: if another client created a key at the same
    // moment, both must settle on the same record (the most widely held, then the newest).
    ({ sightings, reachable } = await readMasterKeyRecords(pool));
  }
  const { masterKey, sighting } = await openBestRecord(sightings, password);
  const lacking = reachable.filter((node) => !sightings.some((s) => s.nodes.includes(node)));
  if (lacking.length > 0) await writeMasterKeyRecord(pool, sighting.bytes, sighting.version, lacking, 1).catch(() => undefined);
  return masterKey;
}

/**
 * Every distinct record the nodes hold, most widely held first, then newest. A node holds one record,
 * or two while a password change is in progress (the old password's and the new one's).
 */
export async function readMasterKeyRecords(pool: NodePool): Promise<MasterKeyRecords> {
  const outcomes = await pool.onEveryNode((client) => client.list(MASTER_KEY_OBJECT));
  throwIfNoNodeAnswered(pool.servers, outcomes);
  const reachable = outcomes.filter((o) => o.ok).map((o) => o.node);
  const byBytes = new Map<string, Sighting>();
  for (const outcome of outcomes) {
    if (!outcome.ok) continue;
    for (const record of outcome.value) {
      const id = record.meta.toString('hex');
      const seen = byBytes.get(id) ?? { bytes: record.meta, version: record.version, nodes: [] };
      if (!seen.nodes.includes(outcome.node)) seen.nodes.push(outcome.node);
      if (compareVersions(record.version, seen.version) > 0) seen.version = record.version;
      byBytes.set(id, seen);
    }
  }
  const sightings = [...byBytes.values()].sort((a, b) => b.nodes.length - a.nodes.length || compareVersions(b.version, a.version));
  return { sightings, reachable };
}

/**
 * Opens the first record the password opens, trying them in order. The password already passed SCRAM
 * on the nodes, so a record that will not open was damaged, replaced, or belongs to the other side of
 * a password change; only if none opens is it an error.
 */
export async function openBestRecord(sightings: Sighting[], password: string): Promise<{ masterKey: Buffer; sighting: Sighting }> {
  let lastError: unknown;
  for (const sighting of sightings) {
    try {
      return { masterKey: await unwrapMasterKey(decodeWrappedMasterKey(sighting.bytes), password), sighting };
    } catch (error) {
      lastError = error;
    }
  }
  throw new VaultError(
    'PROTOCOL',
    'The nodes accepted your password, but the vault key they hold does not open with it: it was damaged or tampered with, or the password was changed while some nodes were down. Bring every node up and log in again; if that fails, restore access with your recovery key.',
    { cause: lastError },
  );
}

/** The record `masterKey` wrapped under `password`, as stored. */
export async function wrappedRecord(masterKey: Buffer, password: string, scryptN?: number): Promise<Buffer> {
  return encodeWrappedMasterKey(await wrapMasterKey(masterKey, password, { N: scryptN }));
}

async function storeNewRecord(pool: NodePool, password: string, reachable: number[], options: MasterKeyOptions): Promise<void> {
  const masterKey = createMasterKey();
  try {
    const bytes = await wrappedRecord(masterKey, password, options.scryptN);
    await writeMasterKeyRecord(pool, bytes, nextVersion([]), reachable, Math.min(options.quorum, pool.size));
    await options.onCreated?.(masterKey);
  } finally {
    masterKey.fill(0);
  }
}

/** Stores and commits one record version on `nodes`; fails unless `quorum` of them took it. */
export async function writeMasterKeyRecord(pool: NodePool, bytes: Buffer, version: string, nodes: number[], quorum: number): Promise<void> {
  const upload = await PieceUpload.begin(pool, MASTER_KEY_OBJECT, version, new Map(nodes.map((node) => [node, 0])), () => bytes, 0, quorum);
  try {
    await upload.commit();
    upload.finish();
  } catch (error) {
    await upload.abort();
    throw error;
  }
}
