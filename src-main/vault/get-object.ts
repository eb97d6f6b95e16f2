import { INCOMPLETE_TEXT, VaultError } from '../shared/errors.js';
import { type ObjectState, type VersionState, buildCatalog, readableVersion } from './catalog.js';
import { createErasureCodec } from './erasure/reed-solomon.js';
import { type NodePool, throwIfLoginRejected } from './node-pool.js';
import { objectKeyFor } from './object-meta.js';
import type { ProgressListener } from './put-object.js';
import { type PieceFailure, readStripes } from './stripe-reader.js';
import { stripeLayout } from './stripe-layout.js';
import { joinChunk, stripePlaintext } from './stripe-codec.js';

/** Writes the next bytes of a download, in order; resolves when they may be reused. */
export type ByteSink = (parts: Buffer[]) => Promise<void>;

/** Everything the nodes that answered hold for one path. */
export async function lookupObject(pool: NodePool, path: string): Promise<{ key: Buffer; state: ObjectState | undefined; reachable: number }> {
  const key = objectKeyFor(path);
  const outcomes = await pool.onEveryNode((client) => client.list(key));
  throwIfLoginRejected(outcomes);
  const reachable = outcomes.filter((o) => o.ok).length;
  const state = buildCatalog(outcomes.map((o) => (o.ok ? o.value : undefined))).get(key.toString('hex'));
  return { key, state, reachable };
}

/** The version of `path` a reader gets, or a clear error: not found, a folder, or incomplete. */
export async function resolveFile(pool: NodePool, path: string): Promise<{ key: Buffer; version: VersionState }> {
  const { key, state, reachable } = await lookupObject(pool, path);
  if (reachable === 0) throw new VaultError('NODE_UNREACHABLE', 'No storage node is reachable. Start the nodes (dfs-vault cluster) or check dfc.conf.');
  const version = state && readableVersion(state);
  if (!version) {
    const seen = state?.versions.some((v) => v.meta.kind === 'file');
    if (seen) throw new VaultError('INCOMPLETE', INCOMPLETE_TEXT);
    throw new VaultError('NOT_FOUND', `No file named "${path}" in the vault. "dfs-vault ls" lists what is there.`);
  }
  if (version.meta.kind === 'tombstone') throw new VaultError('NOT_FOUND', `No file named "${path}" in the vault (it was deleted).`);
  if (version.meta.kind === 'folder') throw new VaultError('NOT_A_FILE', `"${path}" is a folder; download the files inside it.`);
  return { key, version };
}

/**
 * Downloads the newest readable version of `path` into `sink`, reading exactly k pieces (data pieces
 * first, so no decoding is needed while they are sound) and falling back to others on any failure.
 */
export async function getObject(
  pool: NodePool,
  path: string,
  sink: ByteSink,
  options: { onProgress?: ProgressListener; onPieceFailure?: (failure: PieceFailure) => void; signal?: AbortSignal } = {},
): Promise<VersionState> {
  const { key, version } = await resolveFile(pool, path);
  const { meta } = version;
  const layout = stripeLayout(meta.size, meta.stripeBytes, meta.k);
  const codec = createErasureCodec(meta.k, meta.m);
  let done = 0;
  let writing: Promise<void> = Promise.resolve();
  let index = 0;
  for await (const shards of readStripes(pool, key, version, layout, { onFailure: options.onPieceFailure, signal: options.signal })) {
    const direct = shards.slice(0, meta.k);
    // Data pieces as received need no decoding and no copy; only a stripe read from parity is joined and decoded.
    const data = direct.every((s) => s !== null) ? (direct as Buffer[][]) : codec.reconstructData(shards.map((s) => s && joinChunk(s)));
    const parts = stripePlaintext(data, layout, index);
    // Overlap the disk write of this stripe with the network read of the next.
    await writing;
    writing = sink(parts);
    // Awaited on the next turn; the no-op handler keeps a failed write from counting as unhandled meanwhile.
    writing.catch(() => undefined);
    done += parts.reduce((sum, p) => sum + p.length, 0);
    options.onProgress?.(done, meta.size);
    index++;
  }
  await writing;
  return version;
}
