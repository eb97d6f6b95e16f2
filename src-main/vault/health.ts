import { type FileHealth, type RepairResult, healthOf } from '../shared/models.js';
import { type ObjectState, type VersionState, expectedPieceBytes, layoutOf, nodesWithOlderVersions, readableVersion } from './catalog.js';
import { createErasureCodec } from './erasure/reed-solomon.js';
import type { NodePool } from './node-pool.js';
import { PieceUpload } from './piece-upload.js';
import { chunkCheck, joinChunk } from './stripe-codec.js';
import { plaintextBuffers, stripeOpener } from './stripe-opener.js';
import { type PieceFailure, type StripeOpener, openStripes, readStripes } from './stripe-reader.js';
import { nodeForPiece } from './stripe-layout.js';
import type { VaultCipher } from './vault-cipher.js';

type PieceState = FileHealth['detail'][number]['state'];

/** Reads one stored piece in full and verifies every chunk check; a node that fails to serve it is "unreachable" (or "busy"), not "damaged". */
async function verifyPieceChecks(pool: NodePool, key: Buffer, version: VersionState, piece: number): Promise<PieceState> {
  const holder = version.holders.find((h) => h.piece === piece)!;
  const layout = layoutOf(version.meta);
  let verdict: PieceState = 'sound';
  try {
    const onFailure = (failure: PieceFailure): void => {
      verdict = failure.kind;
    };
    for await (const stripe of readStripes(pool, key, { ...version, holders: [holder] }, layout, { pieces: 1, onFailure })) void stripe;
  } catch {
    if (verdict === 'sound') verdict = 'unreachable';
  }
  return verdict;
}

/**
 * Reads every stored piece of a version in full (each once, while all are sound) and returns the
 * verdict on each piece that is not sound. Pieces are read k at a time, every chunk checked and
 * every stripe opened: a seal opens only from chunks that are all the version's own, so this also
 * finds a piece altered along with its checks, or holding another file's chunks. Where fewer than k
 * pieces are left to open a group with, its pieces are judged by their chunk checks alone.
 */
async function verifyPieces(pool: NodePool, cipher: VaultCipher, key: Buffer, version: VersionState): Promise<Map<number, PieceState>> {
  const { k } = version.meta;
  const layout = layoutOf(version.meta);
  // The plaintext is only looked at, never kept: one buffer does for every stripe.
  const buffers = plaintextBuffers(version, 1);
  const open = stripeOpener(cipher, key, version, buffers);
  const verdicts = new Map<number, PieceState>();
  const record = (failure: PieceFailure): void => {
    if (verdicts.get(failure.holder.piece) !== 'damaged') verdicts.set(failure.holder.piece, failure.kind);
  };
  const pieces = version.holders.map((h) => h.piece).sort((a, b) => a - b);
  for (let at = 0; at < pieces.length; at += k) {
    const group = pieces.slice(at, at + k);
    const rank = (piece: number): number => (group.includes(piece) ? group.indexOf(piece) : k + piece);
    // A piece's own group judges it afresh, unless it was already found damaged while standing in for another.
    for (const piece of group) if (verdicts.get(piece) !== 'damaged') verdicts.delete(piece);
    try {
      const stripes = openStripes(pool, key, version, layout, open, {
        prefer: (a, b) => rank(a.piece) - rank(b.piece),
        onFailure: record,
        // Checks too, not just the seal: a chunk's zero padding lies outside what the seal covers, yet
        // decoding from parity reads it.
        checkChunksFirst: true,
      });
      for await (const stripe of stripes) buffers.release(stripe);
    } catch (error) {
      const unjudged = group.filter((piece) => !verdicts.has(piece));
      if ((error as { code?: string }).code === 'INCOMPLETE') {
        for (const piece of unjudged) {
          const verdict = await verifyPieceChecks(pool, key, version, piece);
          if (verdict !== 'sound') verdicts.set(piece, verdict);
        }
      } else {
        // Enough pieces were read, but no k of them open together: none of these can be vouched for.
        for (const piece of unjudged) verdicts.set(piece, 'damaged');
      }
    }
  }
  return verdicts;
}

/** Which nodes answered the listing a check starts from, and which of the others were only busy. */
export interface NodesAnswering {
  reachable: ReadonlySet<number>;
  busy: ReadonlySet<number>;
}

/**
 * Checks one object: for each piece index, is it on a node, and does every chunk verify.
 * `deep` reads each piece in full; otherwise presence and size are trusted.
 */
export async function checkObject(
  pool: NodePool,
  cipher: VaultCipher,
  key: Buffer,
  state: ObjectState,
  nodes: NodesAnswering,
  options: { deep: boolean; includeDeleted?: boolean },
): Promise<FileHealth | undefined> {
  const deep = options.deep;
  const version = readableVersion(state) ?? state.versions[0];
  if (!version || (version.meta.kind === 'tombstone' && !options.includeDeleted)) return undefined;
  const { meta } = version;
  const n = meta.k + meta.m;
  const verdicts = deep && expectedPieceBytes(meta) > 0 ? await verifyPieces(pool, cipher, key, version) : new Map<number, PieceState>();
  const detail: FileHealth['detail'] = [];
  for (let piece = 0; piece < n; piece++) {
    const holder = version.holders.find((h) => h.piece === piece);
    const home = holder?.node ?? nodeForPiece(key, piece, n);
    let pieceState: PieceState;
    if (holder) pieceState = verdicts.get(piece) ?? 'sound';
    else pieceState = nodes.reachable.has(home) ? 'missing' : nodes.busy.has(home) ? 'busy' : 'unreachable';
    detail.push({ piece, node: pool.servers[home]?.name ?? `node ${home + 1}`, state: pieceState });
  }
  const good = detail.filter((d) => d.state === 'sound').length;
  const pieces = { good, total: n };
  return { path: meta.path, kind: meta.kind, size: meta.size, pieces, health: healthOf(pieces, meta.k), detail };
}

/**
 * Rebuilds the missing or damaged pieces of one object from k sound ones and writes them to the
 * nodes that should hold them, as the same version; older versions there are then pruned.
 */
export async function repairObject(pool: NodePool, cipher: VaultCipher, key: Buffer, state: ObjectState, health: FileHealth): Promise<RepairResult> {
  const version = readableVersion(state);
  const label = version?.meta.kind === 'tombstone' ? `${health.path} (deletion)` : health.path;
  const result: RepairResult = { path: label, rebuilt: [], failed: [], pruned: [], before: health.pieces, after: health.pieces };
  const lacking = health.detail.filter((d) => d.state === 'missing' || d.state === 'damaged');
  if (!version || lacking.length === 0) {
    for (const d of health.detail.filter((x) => x.state !== 'sound')) {
      if (!version) {
        result.failed.push({ piece: d.piece, node: d.node, reason: 'fewer than k pieces are left; the file cannot be rebuilt' });
        continue;
      }
      // Nothing lacking, so every piece not sound sits on a node that is away: busy, or unreachable.
      const away = d.state === 'busy' ? 'busy' : 'unreachable';
      result.failed.push({ piece: d.piece, node: d.node, reason: `${d.node} is ${away}`, away });
    }
    return result;
  }
  const { meta } = version;
  const n = meta.k + meta.m;
  const targets = new Map<number, number>();
  for (const d of lacking) targets.set(pool.servers.findIndex((s) => s.name === d.node), d.piece);
  const layout = layoutOf(meta);
  const sources: VersionState = { ...version, holders: version.holders.filter((h) => !lacking.some((d) => d.piece === h.piece)) };
  let upload: PieceUpload | undefined;
  try {
    // A node may still hold a damaged, truncated or uncommitted copy of this version; nodes never
    // store over an existing version, so clear it first (it is worthless either way).
    await Promise.all(
      [...targets.keys()].map((node) =>
        pool
          .use(node, async (client) => {
            await client.abort(key, version.version);
            await client.deleteVersion(key, version.version).catch((error: unknown) => {
              if ((error as { code?: string }).code !== 'NOT_FOUND') throw error;
            });
          })
          .catch(() => undefined),
      ),
    );
    upload = await PieceUpload.begin(pool, key, version.version, targets, (piece) => cipher.sealMeta(key, version.version, { ...meta, piece }), expectedPieceBytes(meta), 1);
    const codec = createErasureCodec(meta.k, meta.m);
    // Rebuilt only from chunks whose stripe opens: a source altered along with its checks is read around, not copied.
    const buffers = plaintextBuffers(version, 1);
    const verify = stripeOpener(cipher, key, version, buffers);
    const rebuild: StripeOpener<Uint8Array[]> = (shards, index) => {
      buffers.release(verify(shards, index));
      return codec.reconstructAll(shards.map((s) => s && joinChunk(s)));
    };
    let stripe = 0;
    // Checked first as well: a source's padding, outside the seal, goes into the pieces rebuilt from it.
    for await (const all of openStripes(pool, key, sources, layout, rebuild, { checkChunksFirst: true })) {
      const index = stripe++;
      await upload.send((piece) => {
        const chunk = Buffer.from(all[piece]!.buffer, all[piece]!.byteOffset, all[piece]!.byteLength);
        return [chunk, chunkCheck(chunk, index, piece)];
      });
    }
    const done = new Set(await upload.commit());
    upload.finish();
    for (const [node, piece] of targets) {
      const name = pool.servers[node]!.name;
      if (done.has(node)) {
        result.rebuilt.push({ piece, node: name });
        await pool.use(node, (client) => client.prune(key, version.version)).catch(() => undefined);
      } else result.failed.push({ piece, node: name, reason: upload.failures.get(node)?.message ?? 'unknown failure' });
    }
  } catch (error) {
    await upload?.abort();
    for (const [node, piece] of targets) result.failed.push({ piece, node: pool.servers[node]!.name, reason: error instanceof Error ? error.message : String(error) });
  }
  const good = health.pieces.good + result.rebuilt.length;
  result.after = { good, total: n };
  return result;
}

/** Removes versions older than the one readers see from nodes that missed their prune; returns those nodes' names. */
export async function pruneSuperseded(pool: NodePool, key: Buffer, state: ObjectState): Promise<string[]> {
  const version = readableVersion(state);
  if (!version) return [];
  const pruned: string[] = [];
  for (const node of nodesWithOlderVersions(state, version)) {
    const removed = await pool.use(node, (client) => client.prune(key, version.version)).catch(() => 0);
    if (removed > 0) pruned.push(pool.servers[node]!.name);
  }
  return pruned;
}
