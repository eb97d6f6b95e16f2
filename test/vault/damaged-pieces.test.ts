import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeForPiece } from '../../src-main/vault/stripe-layout.js';
import { committedPieceFiles, flipByte } from '../helpers/stored-pieces.js';
import { TestCluster, writeTemp } from '../helpers/test-cluster.js';

/** The piece file that node `node` holds (the only object in these tests). */
async function pieceFileOn(cluster: TestCluster, node: number): Promise<string> {
  const files = await committedPieceFiles(cluster.roots[node]!);
  expect(files).toHaveLength(1);
  return files[0]!;
}

describe('damaged pieces', () => {
  let cluster: TestCluster;
  const data = randomBytes(3 * 1024 * 1024 + 99);
  let key: Buffer;
  const nodeOf = (piece: number): number => nodeForPiece(key, piece, 4);
  beforeEach(async () => {
    cluster = await TestCluster.start();
    // 1 MiB stripes, so that the file has four and a damaged chunk can be placed in a known one.
    const vault = await cluster.vault('alice', { stripeBytes: 1024 * 1024 });
    await vault.putFile(await writeTemp(cluster.dir, 'doc.bin', data), 'doc.bin');
    key = vault.objectIdOf('doc.bin');
  });
  afterEach(async () => cluster.close());

  it('detects a flipped byte in a data piece and still returns the exact file from another piece', async () => {
    // 20 bytes before the end lies inside the last stripe's chunk (stripe 3 holds 99 bytes: 50 per chunk + 4 check).
    await flipByte(await pieceFileOn(cluster, nodeOf(0)), 20);
    const vault = await cluster.vault();
    const failures: string[] = [];
    const out = join(cluster.dir, 'out.bin');
    await vault.getFile('doc.bin', out, { onPieceFailure: (f) => failures.push(`${f.holder.piece}: ${f.reason}`) });
    expect((await readFile(out)).equals(data)).toBe(true);
    expect(failures).toEqual([expect.stringMatching(/^0: stripe 3 failed its check/)]);
  });

  it('finds a flipped byte in a parity piece a stripe was rebuilt from and still returns the exact file', async () => {
    await cluster.stop(nodeOf(1));
    await flipByte(await pieceFileOn(cluster, nodeOf(2)), 20);
    const vault = await cluster.vault();
    const failures: string[] = [];
    const out = join(cluster.dir, 'out.bin');
    await vault.getFile('doc.bin', out, { onPieceFailure: (f) => failures.push(`${f.holder.piece}: ${f.reason}`) });
    expect((await readFile(out)).equals(data)).toBe(true);
    expect(failures).toEqual([expect.stringMatching(/^2: stripe 3 failed its check/)]);
  });

  it('check reports the damaged piece and repair rebuilds it', async () => {
    await flipByte(await pieceFileOn(cluster, nodeOf(1)), 5);
    const vault = await cluster.vault();
    const [report] = await vault.check();
    expect(report!.pieces).toEqual({ good: 3, total: 4 });
    expect(report!.detail.find((d) => d.piece === 1)?.state).toBe('damaged');
    const [repaired] = await vault.repair();
    expect(repaired!.rebuilt).toEqual([{ piece: 1, node: `DFS${nodeOf(1) + 1}` }]);
    expect((await vault.check())[0]!.health).toBe('healthy');
    // The rebuilt piece is byte-correct: read using it and a parity piece only.
    await cluster.stop(nodeOf(0));
    await cluster.stop(nodeOf(2));
    const out = join(cluster.dir, 'after-repair.bin');
    await (await cluster.vault()).getFile('doc.bin', out);
    expect((await readFile(out)).equals(data)).toBe(true);
  });

  it('never writes wrong output: with three pieces damaged the download fails and leaves no file', async () => {
    for (const piece of [0, 1, 2]) await flipByte(await pieceFileOn(cluster, nodeOf(piece)), 100 + piece);
    const vault = await cluster.vault();
    const out = join(cluster.dir, 'wrong.bin');
    await expect(vault.getFile('doc.bin', out)).rejects.toMatchObject({ code: 'INCOMPLETE', message: 'File is incomplete.' });
    await expect(stat(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('treats a truncated piece as missing', async () => {
    const { truncate } = await import('node:fs/promises');
    const file = await pieceFileOn(cluster, nodeOf(3));
    await truncate(file, (await stat(file)).size - 10);
    const vault = await cluster.vault();
    expect((await vault.list())[0]!.pieces).toEqual({ good: 3, total: 4 });
    const [report] = await vault.check();
    expect(report!.detail.find((d) => d.piece === 3)?.state).toBe('missing');
    await vault.repair();
    expect((await vault.check())[0]!.health).toBe('healthy');
  });
});
