import { VaultError, INCOMPLETE_TEXT } from '../shared/errors.js';
import type { PieceHolder, VersionState } from './catalog.js';
import { expectedPieceBytes } from './catalog.js';
import type { NodeClient } from './node-client.js';
import type { NodePool } from './node-pool.js';
import { chunkCheck, joinChunk } from './stripe-codec.js';
import { CHUNK_CHECK_BYTES, type StripeLayout, chunkBytesAt, pieceOffsetOf } from './stripe-layout.js';

/** Why a piece was given up during a read: its bytes were wrong, it was gone, or its node did not serve it (down, or busy). */
export interface PieceFailure {
  holder: PieceHolder;
  kind: 'damaged' | 'missing' | 'unreachable' | 'busy';
  reason: string;
}

/** The bytes a node served for a piece are not what was stored (check failed, wrong length). */
class DamagedPiece extends Error {}

function describeFailure(holder: PieceHolder, error: unknown): PieceFailure {
  const reason = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  return { holder, kind: error instanceof DamagedPiece ? 'damaged' : code === 'NOT_FOUND' ? 'missing' : code === 'NODE_BUSY' ? 'busy' : 'unreachable', reason };
}

/** Reads a piece's bytes from a GET stream in exact amounts. */
class PieceStream {
  private leftover: Buffer = Buffer.alloc(0);
  private readonly iterator: AsyncGenerator<Buffer>;

  constructor(
    readonly holder: PieceHolder,
    readonly client: NodeClient,
    key: Buffer,
    version: string,
    offset: number,
    length: number,
  ) {
    this.iterator = client.get(key, version, offset, length);
  }

  /** The next `bytes` bytes as slices of what the node sent (no copy). */
  async readParts(bytes: number): Promise<Buffer[]> {
    const parts: Buffer[] = [];
    let have = 0;
    while (have < bytes) {
      if (this.leftover.length === 0) {
        const next = await this.iterator.next();
        if (next.done) throw new DamagedPiece('the piece ended early');
        this.leftover = next.value;
      }
      const take = Math.min(this.leftover.length, bytes - have);
      parts.push(this.leftover.subarray(0, take));
      this.leftover = this.leftover.subarray(take);
      have += take;
    }
    return parts;
  }

  /** Reads the END of the reply so the connection can be reused. */
  async finish(): Promise<void> {
    const next = await this.iterator.next();
    if (!next.done || this.leftover.length > 0) throw new DamagedPiece('the piece is longer than expected');
  }

  /** Gives up mid-stream: the connection is closed, since the rest of the reply is still coming. */
  async cancel(): Promise<void> {
    await this.iterator.return(undefined);
  }
}

/** Options of a stripe read. */
export interface StripeReadOptions {
  /** Piece indices to read first (data pieces by default: no decoding needed). */
  prefer?: (a: PieceHolder, b: PieceHolder) => number;
  /** Receives each piece that had to be given up (unreachable, damaged, too slow). */
  onFailure?: (failure: PieceFailure) => void;
  signal?: AbortSignal;
  /** How many pieces to read at once (default k; 1 verifies a single piece). */
  pieces?: number;
}

/** Options of openStripes. */
export interface OpenStripesOptions extends StripeReadOptions {
  /** Check every chunk before opening, as readStripes does: for an opener that proves nothing (no seal). */
  checkChunksFirst?: boolean;
}

/** A stripe's chunks as read, n of them with k present (each as the slices it arrived in). */
export type Shards = (Buffer[] | null)[];

/** Turns one stripe's chunks into what a reader wants from it; throws if they do not fit together (a seal that fails to open). */
export type StripeOpener<T> = (shards: Shards, stripe: number) => T;

/** One chunk as read from a piece, with the check stored after it. */
interface ReadChunk {
  stream: PieceStream;
  parts: Buffer[];
  check: Buffer;
}

function isSound(chunk: ReadChunk, stripe: number): boolean {
  return chunkCheck(chunk.parts, stripe, chunk.stream.holder.piece).equals(chunk.check);
}

function damagedAt(stripe: number): DamagedPiece {
  return new DamagedPiece(`stripe ${stripe} failed its check (the stored piece is damaged)`);
}

function misfitAt(stripe: number): DamagedPiece {
  return new DamagedPiece(`stripe ${stripe} passed its check but does not open with the other pieces (the stored piece was altered, or belongs to another file)`);
}

/** Every choice of `size` items of `items`, in order, earlier items first. */
function* combinations<I>(items: readonly I[], size: number, from = 0): Generator<I[]> {
  if (size === 0) {
    yield [];
    return;
  }
  for (let i = from; i <= items.length - size; i++) {
    for (const rest of combinations(items, size - 1, i + 1)) yield [items[i]!, ...rest];
  }
}

/**
 * Reads a version stripe by stripe from exactly k pieces, verifying every chunk's check. A piece that
 * fails (error, timeout, bad check) is replaced from that stripe on by the next holder, so a flipped
 * byte never reaches the output. Yields, per stripe, an array of n chunks with k of them present,
 * each as the slices it arrived in (join them with joinChunk where one buffer is needed).
 */
export function readStripes(pool: NodePool, key: Buffer, state: VersionState, layout: StripeLayout, options: StripeReadOptions = {}): AsyncGenerator<Shards> {
  return stripes(pool, key, state, layout, (shards) => shards, true, options);
}

/**
 * Like readStripes, but yields `open(shards, stripe)` and leaves the chunk checks out while `open`
 * succeeds: for sealed stripes, whose tag already proves every data byte, the checks are redundant
 * work. When `open` throws, the checks find the damaged chunks, whose pieces are replaced and the
 * stripe opened again; if every check passes, open's error is thrown.
 */
export function openStripes<T>(
  pool: NodePool,
  key: Buffer,
  state: VersionState,
  layout: StripeLayout,
  open: StripeOpener<T>,
  options: OpenStripesOptions = {},
): AsyncGenerator<T> {
  return stripes(pool, key, state, layout, open, options.checkChunksFirst ?? false, options);
}

async function* stripes<T>(
  pool: NodePool,
  key: Buffer,
  state: VersionState,
  layout: StripeLayout,
  openStripe: StripeOpener<T>,
  checkFirst: boolean,
  options: StripeReadOptions,
): AsyncGenerator<T> {
  const { k, m } = state.meta;
  const pieceBytes = expectedPieceBytes(state.meta);
  const queue = [...state.holders].sort(options.prefer ?? ((a, b) => a.piece - b.piece));
  const slots: Array<PieceStream | undefined> = new Array(options.pieces ?? k).fill(undefined);
  /** Closes a stream mid-reply and gives its connection back to the pool. */
  const letGo = async (stream: PieceStream): Promise<void> => {
    await stream.cancel().catch(() => undefined);
    pool.release(stream.holder.node, stream.client);
  };
  const fail = async (stream: PieceStream, error: unknown): Promise<void> => {
    options.onFailure?.(describeFailure(stream.holder, error));
    await letGo(stream);
  };
  const openPiece = async (stripe: number): Promise<PieceStream> => {
    for (;;) {
      const holder = queue.shift();
      if (!holder) throw new VaultError('INCOMPLETE', INCOMPLETE_TEXT);
      let client: NodeClient | undefined;
      try {
        client = await pool.acquire(holder.node);
        const offset = pieceOffsetOf(layout, stripe);
        return new PieceStream(holder, client, key, state.version, offset, pieceBytes - offset);
      } catch (error) {
        if (client) pool.release(holder.node, client);
        options.onFailure?.(describeFailure(holder, error));
      }
    }
  };
  /** Reads slot `slot`'s chunk of `stripe`, moving the slot to the next holder while one fails; `verify` checks it even when checks are otherwise left out. */
  const readChunk = async (slot: number, stripe: number, verify = checkFirst): Promise<ReadChunk> => {
    const chunkBytes = chunkBytesAt(layout, stripe);
    for (;;) {
      const stream = (slots[slot] ??= await openPiece(stripe));
      try {
        const chunk = { stream, parts: await stream.readParts(chunkBytes), check: joinChunk(await stream.readParts(CHUNK_CHECK_BYTES)) };
        if (verify && !isSound(chunk, stripe)) throw damagedAt(stripe);
        return chunk;
      } catch (error) {
        slots[slot] = undefined;
        await fail(stream, error);
      }
    }
  };
  const readChunks = async (stripe: number, which: readonly number[]): Promise<ReadChunk[]> => {
    // allSettled, not all: a failing slot must not leave another still opening a stream behind the cleanup below.
    const settled = await Promise.allSettled(which.map((slot) => readChunk(slot, stripe)));
    const failure = settled.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
    return settled.map((outcome) => (outcome as PromiseFulfilledResult<ReadChunk>).value);
  };
  /** Opens a stripe; when that fails, replaces the chunks that fail their check and tries again. */
  const openChecked = async (stripe: number, chunks: ReadChunk[]): Promise<T> => {
    for (;;) {
      const opened = tryOpen(chunks, stripe);
      if (opened.ok) return opened.value;
      const damaged = chunks.flatMap((chunk, slot) => (isSound(chunk, stripe) ? [] : [slot]));
      if (damaged.length === 0) return openBySearch(stripe, chunks, opened.error);
      for (const slot of damaged) {
        slots[slot] = undefined;
        await fail(chunks[slot]!.stream, damagedAt(stripe));
      }
      const fresh = await readChunks(stripe, damaged);
      damaged.forEach((slot, i) => (chunks[slot] = fresh[i]!));
    }
  };
  const tryOpen = (chunks: readonly ReadChunk[], stripe: number): { ok: true; value: T } | { ok: false; error: unknown } => {
    const shards: Shards = new Array(k + m).fill(null);
    for (const { stream, parts } of chunks) shards[stream.holder.piece] = parts;
    try {
      return { ok: true, value: openStripe(shards, stripe) };
    } catch (error) {
      return { ok: false, error };
    }
  };
  /**
   * Every chunk passed its check, yet the stripe does not open: one was altered along with its check,
   * or moved from another file at the same place. Reads more pieces, one at a time, and tries each k of
   * the chunks at hand that include the newest, until k open together. Those pieces are read from then
   * on; every other chunk is tried with them, and each that does not fit is given up as damaged. With
   * no piece left to read, `error` (the stripe's own) is thrown.
   */
  const openBySearch = async (stripe: number, chunks: readonly ReadChunk[], error: unknown): Promise<T> => {
    if (chunks.length !== k) throw error;
    const held = [...chunks];
    const spares: ReadChunk[] = [];
    for (;;) {
      const spare = await readSpare(stripe).catch(async (failure: unknown) => {
        await releaseAll(spares);
        throw failure;
      });
      if (!spare) {
        await releaseAll(spares);
        throw error;
      }
      for (const others of combinations(held, k - 1)) {
        const chosen = [...others, spare];
        const opened = tryOpen(chosen, stripe);
        if (!opened.ok) continue;
        slots.splice(0, slots.length, ...chosen.map((chunk) => chunk.stream));
        const witnesses = chosen.slice(1);
        for (const chunk of held.filter((c) => !others.includes(c))) {
          if (tryOpen([...witnesses, chunk], stripe).ok) {
            // Sound but not needed: its holder stays a fallback for later stripes.
            await letGo(chunk.stream);
            queue.unshift(chunk.stream.holder);
          } else await fail(chunk.stream, misfitAt(stripe));
        }
        return opened.value;
      }
      held.push(spare);
      spares.push(spare);
    }
  };
  /** Lets go of spare streams that no slot holds (the slots' own are closed when the read ends). */
  const releaseAll = async (chunks: readonly ReadChunk[]): Promise<void> => {
    for (const { stream } of chunks) await letGo(stream);
  };
  /** The checked chunk of `stripe` from the next holder that serves one, or undefined when none is left. */
  const readSpare = async (stripe: number): Promise<ReadChunk | undefined> => {
    const slot = slots.push(undefined) - 1;
    try {
      return await readChunk(slot, stripe, true);
    } catch (error) {
      if ((error as { code?: string }).code === 'INCOMPLETE') return undefined;
      throw error;
    } finally {
      slots.splice(slot, 1);
    }
  };
  try {
    for (let stripe = 0; stripe < layout.stripeCount; stripe++) {
      if (options.signal?.aborted) throw new VaultError('CANCELLED', 'The transfer was cancelled.');
      yield await openChecked(stripe, await readChunks(stripe, slots.map((_, slot) => slot)));
    }
    await Promise.all(
      slots.map(async (stream) => {
        if (!stream) return;
        try {
          await stream.finish();
          pool.release(stream.holder.node, stream.client);
        } catch (error) {
          await fail(stream, error);
        }
      }),
    );
    slots.fill(undefined);
  } finally {
    await Promise.all(slots.map((stream) => (stream ? stream.cancel().finally(() => pool.release(stream.holder.node, stream.client)) : undefined)));
  }
}
