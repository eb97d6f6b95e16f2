import { VaultError } from '../shared/errors.js';
import { missedNodeText, onlyBusy } from '../shared/missed-nodes.js';
import type { NodeClient } from './node-client.js';
import { type NodePool, missedNode, toVaultError } from './node-pool.js';

/** One node receiving one piece. */
interface Target {
  node: number;
  piece: number;
  client: NodeClient;
  /** True between PUT_BEGIN and the node's acknowledgement of PUT_END. */
  inBody: boolean;
}

/**
 * Streams pieces of one object version to several nodes at once, then commits them. A node that
 * fails drops out; the group fails as soon as fewer than `quorum` nodes remain.
 */
export class PieceUpload {
  private targets: Target[] = [];
  /** Why each dropped node dropped out, by node index. */
  readonly failures = new Map<number, VaultError>();

  private constructor(
    private readonly pool: NodePool,
    private readonly key: Buffer,
    private readonly version: string,
    private readonly quorum: number,
  ) {}

  /** Opens the uploads; `pieces` maps node index → piece index, `metaFor` gives each piece's blob. */
  static async begin(
    pool: NodePool,
    key: Buffer,
    version: string,
    pieces: ReadonlyMap<number, number>,
    metaFor: (piece: number) => Buffer,
    pieceBytes: number,
    quorum: number,
  ): Promise<PieceUpload> {
    const upload = new PieceUpload(pool, key, version, quorum);
    await Promise.all(
      [...pieces].map(async ([node, piece]) => {
        let client: NodeClient | undefined;
        try {
          client = await pool.acquire(node);
          await client.beginPut(key, version, metaFor(piece), pieceBytes);
          upload.targets.push({ node, piece, client, inBody: true });
        } catch (error) {
          if (client) pool.release(node, client);
          upload.failures.set(node, toVaultError(error, pool.servers[node]!.name));
        }
      }),
    );
    upload.targets.sort((a, b) => a.node - b.node);
    try {
      upload.checkQuorum('store');
    } catch (error) {
      await upload.abort();
      throw error;
    }
    return upload;
  }

  /** Nodes still in the upload. */
  get nodes(): number[] {
    return this.targets.map((t) => t.node);
  }

  /**
   * Sends each live target its part: `partsFor(piece)` returns the buffers for that piece. Resolves
   * once every part is queued; the returned `flushed` settles when no connection needs the buffers.
   */
  async send(partsFor: (piece: number) => Buffer[]): Promise<{ flushed: Promise<void> }> {
    const flushes: Promise<void>[] = [];
    await this.forEachTarget(async (t) => {
      flushes.push((await t.client.sendBody(...partsFor(t.piece))).flushed);
    });
    this.checkQuorum('store');
    return { flushed: Promise.all(flushes).then(() => undefined) };
  }

  /** Ends every body, waits for durability, then commits; rolls back if the quorum is lost. */
  async commit(): Promise<number[]> {
    await this.forEachTarget(async (t) => {
      await t.client.endPut();
      t.inBody = false;
    });
    this.checkQuorum('store');
    const attempted = this.targets.map((t) => t.node);
    await this.forEachTarget((t) => t.client.commit(this.key, this.version));
    if (this.targets.length < this.quorum) {
      // Fewer than the quorum confirmed. A commit whose reply was lost may still have happened, so
      // take the new version back from every node it was sent to: readers keep the old one.
      await Promise.all(
        attempted.map((node) =>
          this.pool.use(node, (client) => client.deleteVersion(this.key, this.version)).catch(() => undefined),
        ),
      );
      this.checkQuorum('commit');
    }
    return this.nodes;
  }

  /** Drops every pending piece (after a failure or a cancel) and returns the connections. */
  async abort(): Promise<void> {
    const targets = this.targets;
    this.targets = [];
    await Promise.all(
      targets.map(async (t) => {
        // A connection in the middle of a body cannot carry ABORT; closing it makes the node drop its temp file.
        if (t.inBody) t.client.destroy();
        else if (!t.client.broken) await t.client.abort(this.key, this.version).catch(() => undefined);
        this.pool.release(t.node, t.client);
      }),
    );
  }

  /** Returns the connections after a successful commit. */
  finish(): void {
    for (const t of this.targets) this.pool.release(t.node, t.client);
    this.targets = [];
  }

  private async forEachTarget(step: (t: Target) => Promise<void>): Promise<void> {
    const dropped: Target[] = [];
    await Promise.all(
      this.targets.map(async (t) => {
        try {
          await step(t);
        } catch (error) {
          this.failures.set(t.node, toVaultError(error, this.pool.servers[t.node]!.name));
          dropped.push(t);
        }
      }),
    );
    if (dropped.length === 0) return;
    this.targets = this.targets.filter((t) => !dropped.includes(t));
    for (const t of dropped) this.pool.release(t.node, t.client);
  }

  private checkQuorum(stage: 'store' | 'commit'): void {
    if (this.targets.length >= this.quorum) return;
    // In node order, whichever failed first.
    const missed = [...this.failures].sort(([a], [b]) => a - b).map(([node, error]) => missedNode(this.pool.servers[node]!.name, error));
    // Nodes that were only busy need nothing started: they take pieces again in a moment.
    const retry = missed.length > 0 && onlyBusy(missed) ? 'Try again in a moment' : 'Start the missing nodes and try again';
    throw new VaultError(
      'QUORUM_FAILED',
      `Only ${this.targets.length} of ${this.pool.size} nodes could ${stage} their piece; a write needs ${this.quorum}. ` +
        `${missed.length ? `Failed: ${missed.map(missedNodeText).join('; ')}. ` : ''}${retry}; the previous version is unchanged.`,
    );
  }
}
