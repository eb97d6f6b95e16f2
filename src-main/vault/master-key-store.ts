import { compareVersions } from '../../servers/protocol/versions.js';
import { VaultError } from '../shared/errors.js';
import { createMasterKey, decodeWrappedMasterKey, encodeWrappedMasterKey, unwrapMasterKey, wrapMasterKey } from './crypto/master-key.js';
import { type NodePool, throwIfLoginRejected } from './node-pool.js';
import { nextVersion } from './object-meta.js';
import { PieceUpload } from './piece-upload.js';

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
}

/** One distinct record seen on the nodes, and where. */
interface Sighting {
  bytes: Buffer;
  version: string;
  nodes: number[];
}

/**
 * The user's master key: read from the nodes and unwrapped with the password, or, when no node has
 * one (first login), created, wrapped and stored on every reachable node. Nodes that answered without
 * a record are given the one in use, so a node that was down at first login catches up.
 */
export async function loadOrCreateMasterKey(pool: NodePool, password: string, options: MasterKeyOptions): Promise<Buffer> {
  let { sightings, reachable } = await readRecords(pool);
  if (sightings.length === 0) {
    await storeNewRecord(pool, password, reachable, options);
    // Read back rather than trust what was written: if another client created a key at the same
    // moment, both must settle on the same record (the most widely held, then the newest).
    ({ sightings, reachable } = await readRecords(pool));
  }
  const { masterKey, sighting } = await openBestRecord(sightings, password);
  const lacking = reachable.filter((node) => !sightings.some((s) => s.nodes.includes(node)));
  if (lacking.length > 0) await writeRecord(pool, sighting.bytes, sighting.version, lacking, 1).catch(() => undefined);
  return masterKey;
}

async function readRecords(pool: NodePool): Promise<{ sightings: Sighting[]; reachable: number[] }> {
  const outcomes = await pool.onEveryNode((client) => client.list(MASTER_KEY_OBJECT));
  throwIfLoginRejected(outcomes);
  const reachable = outcomes.filter((o) => o.ok).map((o) => o.node);
  if (reachable.length === 0) throw new VaultError('NODE_UNREACHABLE', 'No storage node is reachable. Start the nodes or check the addresses in dfc.conf.');
  const byBytes = new Map<string, Sighting>();
  for (const outcome of outcomes) {
    if (!outcome.ok || outcome.value.length === 0) continue;
    // A node keeps one record; should it hold several, its newest is the one it vouches for.
    const newest = outcome.value.reduce((a, b) => (compareVersions(b.version, a.version) > 0 ? b : a));
    const id = newest.meta.toString('hex');
    const seen = byBytes.get(id) ?? { bytes: newest.meta, version: newest.version, nodes: [] };
    seen.nodes.push(outcome.node);
    if (compareVersions(newest.version, seen.version) > 0) seen.version = newest.version;
    byBytes.set(id, seen);
  }
  const sightings = [...byBytes.values()].sort((a, b) => b.nodes.length - a.nodes.length || compareVersions(b.version, a.version));
  return { sightings, reachable };
}

// The password already passed SCRAM on the nodes, so a record that will not open was damaged or
// replaced; the others are tried in order (most widely held first), and only if none opens is it an error.
async function openBestRecord(sightings: Sighting[], password: string): Promise<{ masterKey: Buffer; sighting: Sighting }> {
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

async function storeNewRecord(pool: NodePool, password: string, reachable: number[], options: MasterKeyOptions): Promise<void> {
  const masterKey = createMasterKey();
  try {
    const bytes = encodeWrappedMasterKey(await wrapMasterKey(masterKey, password, { N: options.scryptN }));
    await writeRecord(pool, bytes, nextVersion([]), reachable, Math.min(options.quorum, pool.size));
  } finally {
    masterKey.fill(0);
  }
}

async function writeRecord(pool: NodePool, bytes: Buffer, version: string, nodes: number[], quorum: number): Promise<void> {
  const upload = await PieceUpload.begin(pool, MASTER_KEY_OBJECT, version, new Map(nodes.map((node) => [node, 0])), () => bytes, 0, quorum);
  try {
    await upload.commit();
    upload.finish();
  } catch (error) {
    await upload.abort();
    throw error;
  }
}
