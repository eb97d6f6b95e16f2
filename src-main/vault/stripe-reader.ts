import { VaultError, INCOMPLETE_TEXT } from '../shared/errors.js';
import type { PieceHolder, VersionState } from './catalog.js';
import { expectedPieceBytes } from './catalog.js';
import type { NodeClient } from './node-client.js';
import type { NodePool } from './node-pool.js';
import { chunkCheck, joinChunk } from './stripe-codec.js';
import { CHUNK_CHECK_BYTES, type StripeLayout, chunkBytesAt, pieceOffsetOf } from './stripe-layout.js';

/** Why a piece was given up during a read: its bytes were wrong, it was gone, or its node did not serve it. */
export interface PieceFailure {
  holder: PieceHolder;
  kind: 'damaged' | 'missing' | 'unreachable';
  reason: string;
}

/** The bytes a node served for a piece are not what was stored (check failed, wrong length). */
class DamagedPiece extends Error {}

function describeFailure(holder: PieceHolder, error: unknown): PieceFailure {
  const reason = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  return { holder, kind: error instanceof DamagedPiece ? 'damaged' : code === 'NOT_FOUND' ? 'missing' : 'unreachable', reason };
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

/**
 * Reads a version stripe by stripe from exactly k pieces, verifying every chunk's check. A piece that
 * fails (error, timeout, bad check) is replaced from that stripe on by the next holder, so a flipped
 * byte never reaches the output. Yields, per stripe, an array of n chunks with k of them present,
 * each as the slices it arrived in (join them with joinChunk where one buffer is needed).
 */
export async function* readStripes(
  pool: NodePool,
  key: Buffer,
  state: VersionState,
  layout: StripeLayout,
  options: StripeReadOptions = {},
): AsyncGenerator<(Buffer[] | null)[]> {
  const { k, m } = state.meta;
  const pieceBytes = expectedPieceBytes(state.meta);
  const queue = [...state.holders].sort(options.prefer ?? ((a, b) => a.piece - b.piece));
  const slots: Array<PieceStream | undefined> = new Array(options.pieces ?? k).fill(undefined);
  const fail = async (stream: PieceStream, error: unknown): Promise<void> => {
    options.onFailure?.(describeFailure(stream.holder, error));
    await stream.cancel().catch(() => undefined);
    pool.release(stream.holder.node, stream.client);
  };
  const open = async (stripe: number): Promise<PieceStream> => {
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
  const readChunk = async (slot: number, stripe: number): Promise<{ piece: number; chunk: Buffer[] }> => {
    const chunkBytes = chunkBytesAt(layout, stripe);
    for (;;) {
      const stream = (slots[slot] ??= await open(stripe));
      try {
        const chunk = await stream.readParts(chunkBytes);
        const check = joinChunk(await stream.readParts(CHUNK_CHECK_BYTES));
        if (!chunkCheck(chunk, stripe, stream.holder.piece).equals(check)) {
          throw new DamagedPiece(`stripe ${stripe} failed its check (the stored piece is damaged)`);
        }
        return { piece: stream.holder.piece, chunk };
      } catch (error) {
        slots[slot] = undefined;
        await fail(stream, error);
      }
    }
  };
  try {
    for (let stripe = 0; stripe < layout.stripeCount; stripe++) {
      if (options.signal?.aborted) throw new VaultError('CANCELLED', 'The transfer was cancelled.');
      // allSettled, not all: a failing slot must not leave another still opening a stream behind the cleanup below.
      const settled = await Promise.allSettled(slots.map((_, slot) => readChunk(slot, stripe)));
      const failure = settled.find((outcome) => outcome.status === 'rejected');
      if (failure) throw failure.reason;
      const chunks = settled.map((outcome) => (outcome as PromiseFulfilledResult<{ piece: number; chunk: Buffer[] }>).value);
      const shards: (Buffer[] | null)[] = new Array(k + m).fill(null);
      for (const { piece, chunk } of chunks) shards[piece] = chunk;
      yield shards;
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
