import { randomBytes } from 'node:crypto';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Vault } from '../../src-main/vault/vault.js';
import { CHUNK_CHECK_BYTES, chunkBytesAt, nodeForPiece, stripeLayout } from '../../src-main/vault/stripe-layout.js';
import { pieceFileOf } from '../helpers/stored-pieces.js';
import { TestCluster, writeTemp } from '../helpers/test-cluster.js';

/** The bytes of a committed piece file after its header and sealed metadata: the chunks and their checks. */
async function pieceBody(path: string): Promise<{ at: number; body: Buffer }> {
  const bytes = await readFile(path);
  const at = 8 + bytes.readUInt32BE(4);
  return { at, body: bytes.subarray(at) };
}

/**
 * Replaces the chunks (or, with `onlyLast`, that many bytes at the end) of `doc`'s piece `piece` with those of the same piece of `decoy`, a file of the
 * same size: every chunk still passes its check (checks are keyed by stripe and piece only), but none
 * belongs to `doc`. This is what a node that mixed up two files, or forged its piece, would serve.
 */
async function swapInDecoy(cluster: TestCluster, vault: Vault, piece: number, onlyLast = 0): Promise<void> {
  const target = await pieceFileOf(cluster.roots, vault.objectIdOf('doc.bin'), piece);
  const { body } = await pieceBody(await pieceFileOf(cluster.roots, vault.objectIdOf('decoy.bin'), piece));
  const { at, body: old } = await pieceBody(target);
  expect(body.length).toBe(old.length);
  // `onlyLast` bytes from the end, or all of it.
  const from = onlyLast === 0 ? 0 : body.length - onlyLast;
  const handle = await open(target, 'r+');
  try {
    await handle.write(body, from, body.length - from, at + from);
  } finally {
    await handle.close();
  }
}

describe('pieces that pass their checks but belong to another file', () => {
  let cluster: TestCluster;
  let vault: Vault;
  const data = randomBytes(3 * 1024 * 1024 + 99);
  beforeEach(async () => {
    cluster = await TestCluster.start();
    // 1 MiB stripes: four stripes, so the reader must keep its choice of pieces from stripe to stripe.
    vault = await cluster.vault('alice', { stripeBytes: 1024 * 1024 });
    await vault.putFile(await writeTemp(cluster.dir, 'doc.bin', data), 'doc.bin');
    await vault.putFile(await writeTemp(cluster.dir, 'decoy.bin', randomBytes(data.length)), 'decoy.bin');
  });
  afterEach(async () => cluster.close());

  const download = async (): Promise<{ out: string; failures: string[] }> => {
    const failures: string[] = [];
    const out = join(cluster.dir, 'out.bin');
    await (await cluster.vault()).getFile('doc.bin', out, { onPieceFailure: (f) => failures.push(`${f.holder.piece} ${f.kind}: ${f.reason}`) });
    return { out, failures };
  };

  it('reads around a data piece whose chunks were swapped and returns the exact file', async () => {
    await swapInDecoy(cluster, vault, 0);
    const { out, failures } = await download();
    expect((await readFile(out)).equals(data)).toBe(true);
    expect(failures).toEqual([expect.stringMatching(/^0 damaged: stripe 0 /)]);
  });

  it('finds a swapped chunk in the last stripe after three stripes read from the same piece', async () => {
    const layout = stripeLayout(data.length, 1024 * 1024, 2);
    const last = layout.stripeCount - 1;
    await swapInDecoy(cluster, vault, 1, chunkBytesAt(layout, last) + CHUNK_CHECK_BYTES);
    const { out, failures } = await download();
    expect((await readFile(out)).equals(data)).toBe(true);
    expect(failures).toEqual([expect.stringMatching(new RegExp(`^1 damaged: stripe ${last} passed its check but does not open`))]);
  });

  it('reads around two swapped pieces, data or parity, from the two sound ones, and names those it read', async () => {
    // Data pieces are read first; a parity piece is read (and found out) only when needed.
    for (const { swapped, found } of [
      { swapped: [0, 1], found: ['0', '1'] },
      { swapped: [1, 2], found: ['1', '2'] },
      { swapped: [0, 3], found: ['0'] },
    ]) {
      await cluster.close();
      cluster = await TestCluster.start();
      vault = await cluster.vault('alice', { stripeBytes: 1024 * 1024 });
      await vault.putFile(await writeTemp(cluster.dir, 'doc.bin', data), 'doc.bin');
      await vault.putFile(await writeTemp(cluster.dir, 'decoy.bin', randomBytes(data.length)), 'decoy.bin');
      for (const piece of swapped) await swapInDecoy(cluster, vault, piece);
      const { out, failures } = await download();
      expect((await readFile(out)).equals(data), `pieces ${swapped.join(' and ')} swapped`).toBe(true);
      expect(failures.map((f) => f.split(' ')[0]).sort(), `pieces ${swapped.join(' and ')} swapped`).toEqual(found);
      expect(failures.every((f) => / damaged: stripe 0 /.test(f))).toBe(true);
    }
  });

  it('check finds a swapped piece that every chunk check passes, and repair rebuilds it from the sound ones', async () => {
    await swapInDecoy(cluster, vault, 2);
    const fresh = await cluster.vault();
    const [report] = (await fresh.check()).filter((r) => r.path === 'doc.bin');
    expect(report!.pieces).toEqual({ good: 3, total: 4 });
    expect(report!.detail.filter((d) => d.state !== 'sound')).toEqual([expect.objectContaining({ piece: 2, state: 'damaged' })]);
    expect((await fresh.check()).find((r) => r.path === 'decoy.bin')!.health).toBe('healthy');
    const repaired = (await fresh.repair()).find((r) => r.path === 'doc.bin');
    expect(repaired!.rebuilt.map((r) => r.piece)).toEqual([2]);
    expect((await fresh.check()).find((r) => r.path === 'doc.bin')!.health).toBe('healthy');
    // The rebuilt piece is byte-correct: read with it and the other parity piece only.
    for (const piece of [0, 1]) await cluster.stop(nodeForPiece(fresh.objectIdOf('doc.bin'), piece, 4));
    const out = join(cluster.dir, 'after-repair.bin');
    await (await cluster.vault()).getFile('doc.bin', out);
    expect((await readFile(out)).equals(data)).toBe(true);
  });

  it('repair rebuilds a swapped piece and a lost one from the two sound pieces', async () => {
    const key = vault.objectIdOf('doc.bin');
    await swapInDecoy(cluster, vault, 0);
    await rm(await pieceFileOf(cluster.roots, key, 3));
    const fresh = await cluster.vault();
    const repaired = (await fresh.repair()).find((r) => r.path === 'doc.bin');
    expect(repaired!.rebuilt.map((r) => r.piece).sort()).toEqual([0, 3]);
    // Pieces 0 and 3 are rebuilt from 1 and 2; read the file from the two rebuilt ones alone.
    for (const piece of [1, 2]) await cluster.stop(nodeForPiece(key, piece, 4));
    const out = join(cluster.dir, 'after-repair.bin');
    await (await cluster.vault()).getFile('doc.bin', out);
    expect((await readFile(out)).equals(data)).toBe(true);
  });

  it('with three pieces swapped it fails with the integrity error and leaves no output file', async () => {
    for (const piece of [0, 1, 2]) await swapInDecoy(cluster, vault, piece);
    const out = join(cluster.dir, 'wrong.bin');
    await expect((await cluster.vault()).getFile('doc.bin', out)).rejects.toMatchObject({ message: expect.stringMatching(/failed its integrity check/) });
    await expect(stat(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
