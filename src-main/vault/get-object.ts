import { INCOMPLETE_TEXT, VaultError } from '../shared/errors.js';
import { type ObjectState, type VersionState, buildCatalog, layoutOf, readableVersion } from './catalog.js';
import { type NodeOutcome, type NodePool, throwIfLoginRejected } from './node-pool.js';
import type { ProgressListener } from './put-object.js';
import { plaintextBuffers, stripeOpener } from './stripe-opener.js';
import { type PieceFailure, openStripes } from './stripe-reader.js';
import { throwIfNoNodeAnswered } from './unavailable-nodes.js';
import type { VaultCipher } from './vault-cipher.js';

/** Writes the next bytes of a download, in order; resolves when they may be reused. */
export type ByteSink = (parts: Buffer[]) => Promise<void>;

/** Everything the nodes that answered hold for one path, and each node's outcome. */
export async function lookupObject(pool: NodePool, cipher: VaultCipher, path: string): Promise<{ key: Buffer; state: ObjectState | undefined; outcomes: NodeOutcome<unknown>[] }> {
  const key = cipher.objectId(path);
  const outcomes = await pool.onEveryNode((client) => client.list(key));
  throwIfLoginRejected(outcomes);
  const state = buildCatalog(outcomes.map((o) => (o.ok ? o.value : undefined)), cipher).get(key.toString('hex'));
  return { key, state, outcomes };
}

/** The version of `path` a reader gets, or a clear error: not found, a folder, or incomplete. */
export async function resolveFile(pool: NodePool, cipher: VaultCipher, path: string): Promise<{ key: Buffer; version: VersionState }> {
  const { key, state, outcomes } = await lookupObject(pool, cipher, path);
  throwIfNoNodeAnswered(pool.servers, outcomes);
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

/** Options of a download. */
export interface GetOptions {
  onProgress?: ProgressListener;
  onPieceFailure?: (failure: PieceFailure) => void;
  signal?: AbortSignal;
  /** Rewinds the sink to empty, so a download can start over (see getObject). */
  restart?: () => Promise<void>;
  /**
   * True when the sink is done with the buffers it is given once its promise settles (it has written or
   * copied them, as a file write has), so that they can be reused for later stripes (two go round).
   */
  sinkReleasesParts?: boolean;
}

/**
 * Downloads the newest readable version of `path` into `sink`, reading exactly k pieces (data pieces
 * first, so no decoding is needed while they are sound) and falling back to others on any failure.
 * If the pieces vanish because a newer version replaced them mid-read, it starts over once on the
 * newer version (after `restart`, when bytes were already written).
 */
export async function getObject(pool: NodePool, cipher: VaultCipher, path: string, sink: ByteSink, options: GetOptions = {}): Promise<VersionState> {
  let resolved = await resolveFile(pool, cipher, path);
  for (let attempt = 0; ; attempt++) {
    const { key, version } = resolved;
    let written = 0;
    try {
      await readVersion(pool, cipher, key, version, sink, options, (bytes) => (written += bytes));
      return version;
    } catch (error) {
      if (attempt > 0 || (error as { code?: string }).code !== 'INCOMPLETE') throw error;
      const now = await resolveFile(pool, cipher, path).catch(() => undefined);
      if (!now || now.version.version === version.version) throw error;
      if (written > 0) {
        if (!options.restart) throw error;
        await options.restart();
      }
      resolved = now;
    }
  }
}

/** Streams one version's plaintext into `sink`, stripe by stripe; each stripe is written only once its seal has verified. */
async function readVersion(
  pool: NodePool,
  cipher: VaultCipher,
  key: Buffer,
  version: VersionState,
  sink: ByteSink,
  options: GetOptions,
  onWritten: (bytes: number) => void,
): Promise<void> {
  const { meta } = version;
  const layout = layoutOf(meta);
  let done = 0;
  let writing: Promise<void> = Promise.resolve();
  const buffers = options.sinkReleasesParts ? plaintextBuffers(version, 2) : undefined;
  let beingWritten: Buffer[] = [];
  const open = stripeOpener(cipher, key, version, buffers);
  try {
    // An AEAD seal proves every byte of a stripe, so chunk checks run only to find a damaged piece when it does not open.
    const checkChunksFirst = !cipher.stripes.authenticates;
    for await (const parts of openStripes(pool, key, version, layout, open, { onFailure: options.onPieceFailure, signal: options.signal, checkChunksFirst })) {
      const bytes = parts.reduce((sum, p) => sum + p.length, 0);
      // Overlap the disk write of this stripe with the network read of the next.
      await writing;
      // The stripe before is written: its buffer can take the next stripe while this one is written.
      buffers?.release(beingWritten);
      beingWritten = parts;
      onWritten(bytes);
      writing = sink(parts);
      // Awaited on the next turn; the no-op handler keeps a failed write from counting as unhandled meanwhile.
      writing.catch(() => undefined);
      done += bytes;
      options.onProgress?.(done, meta.size);
    }
  } catch (error) {
    // No write may still be running when the caller rewinds or removes the output.
    await writing.catch(() => undefined);
    throw error;
  }
  await writing;
}
