import { randomBytes } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chunkCheck } from '../../src-main/vault/stripe-codec.js';
import { CHUNK_CHECK_BYTES, nodeForPiece, stripeLayout } from '../../src-main/vault/stripe-layout.js';
import type { Vault } from '../../src-main/vault/vault.js';
import { filesContaining } from '../helpers/file-search.js';
import { committedPieceFiles } from '../helpers/stored-pieces.js';
import { TestCluster, writeTemp } from '../helpers/test-cluster.js';

const STRIPE = 64 * 1024;

/** A stored piece file split into its header (magic, meta length, sealed meta) and its body. */
async function readPiece(path: string): Promise<{ header: Buffer; body: Buffer }> {
  const bytes = await readFile(path);
  const headerBytes = 8 + bytes.readUInt32BE(4);
  return { header: bytes.subarray(0, headerBytes), body: bytes.subarray(headerBytes) };
}

describe('zero knowledge', () => {
  let cluster: TestCluster;
  let vault: Vault;
  beforeEach(async () => {
    cluster = await TestCluster.start();
    vault = await cluster.vault('alice', { stripeBytes: STRIPE });
  });
  afterEach(async () => cluster.close());

  /** The piece file of `path` that holds piece `piece` (every test object has one version). */
  async function pieceFile(path: string, piece: number): Promise<string> {
    const key = vault.objectIdOf(path);
    const node = nodeForPiece(key, piece, 4);
    const [file] = (await committedPieceFiles(cluster.roots[node]!)).filter((f) => f.includes(key.toString('hex')));
    return file!;
  }

  async function expectRejectedWithoutOutput(path: string): Promise<void> {
    const outDir = join(cluster.dir, `out-${randomBytes(4).toString('hex')}`);
    const { mkdir } = await import('node:fs/promises');
    await mkdir(outDir);
    await expect(vault.getFile(path, join(outDir, 'got'))).rejects.toMatchObject({ code: 'PROTOCOL', message: expect.stringContaining('failed its integrity check') });
    expect(await readdir(outDir)).toEqual([]);
  }

  it('leaves no trace of contents or names on any node', async () => {
    const marker = 'ZKMARKER-7f3a91';
    const contents = Buffer.concat([Buffer.from(`${marker} `.repeat(20_000)), randomBytes(1000), Buffer.from(marker)]);
    const names = [`${marker}-folder/${marker}-report.txt`, `plain-${marker}.md`, `Grüße-${marker}/empty-${marker}`] as const;
    await vault.putFile(await writeTemp(cluster.dir, 'big', contents), names[0]);
    await vault.putFile(await writeTemp(cluster.dir, 'small', Buffer.from(`just ${marker}`)), names[1]);
    await vault.putFile(await writeTemp(cluster.dir, 'empty', Buffer.alloc(0)), names[2]);
    await vault.mkdir(`folder-${marker}`);
    expect((await vault.list()).map((e) => e.name).sort()).toEqual([`${marker}-folder`, `Grüße-${marker}`, `folder-${marker}`, `plain-${marker}.md`].sort());
    const needles = [marker, 'report.txt', 'Grüße', 'empty-', 'plain-', 'just ', `${marker} ${marker}`, Buffer.from(marker, 'utf16le')];
    for (const root of cluster.roots) {
      for (const needle of needles) expect(await filesContaining(root, needle), `${String(needle)} under ${root}`).toEqual([]);
    }
    const out = join(cluster.dir, 'back');
    await vault.getFile(names[0], out);
    expect((await readFile(out)).equals(contents)).toBe(true);
  });

  it('stores an empty file as one sealed stripe and returns it empty', async () => {
    await vault.putFile(await writeTemp(cluster.dir, 'e', Buffer.alloc(0)), 'empty.txt');
    expect((await readPiece(await pieceFile('empty.txt', 0))).body.length).toBe(stripeLayout(0, STRIPE, 2).pieceBytes);
    const out = join(cluster.dir, 'empty-back');
    expect(await vault.getFile('empty.txt', out)).toEqual({ size: 0 });
    expect(await readFile(out)).toHaveLength(0);
  });

  it('rejects stripes put in another order, even with their checks recomputed, and writes no file', async () => {
    await vault.putFile(await writeTemp(cluster.dir, 's', randomBytes(3 * STRIPE)), 'ordered.bin');
    const layout = stripeLayout(3 * STRIPE, STRIPE, 2);
    const span = layout.fullChunkBytes + CHUNK_CHECK_BYTES;
    for (let piece = 0; piece < 4; piece++) {
      const file = await pieceFile('ordered.bin', piece);
      const { header, body } = await readPiece(file);
      const chunk = (stripe: number): Buffer => body.subarray(stripe * span, stripe * span + layout.fullChunkBytes);
      const swapped = Buffer.concat([chunk(1), chunkCheck(chunk(1), 0, piece), chunk(0), chunkCheck(chunk(0), 1, piece), body.subarray(2 * span)]);
      await writeFile(file, Buffer.concat([header, swapped]));
    }
    await expectRejectedWithoutOutput('ordered.bin');
  });

  it('rejects the body of another file of the same size under this file\'s headers', async () => {
    await vault.putFile(await writeTemp(cluster.dir, 'a', randomBytes(100_000)), 'a.bin');
    await vault.putFile(await writeTemp(cluster.dir, 'b', randomBytes(100_000)), 'b.bin');
    for (let piece = 0; piece < 4; piece++) {
      const target = await pieceFile('b.bin', piece);
      const { body } = await readPiece(await pieceFile('a.bin', piece));
      await writeFile(target, Buffer.concat([(await readPiece(target)).header, body]));
    }
    await expectRejectedWithoutOutput('b.bin');
  });

  it('ignores metadata moved from another file, so a swapped piece cannot pass for this one', async () => {
    await vault.putFile(await writeTemp(cluster.dir, 'a', randomBytes(10_000)), 'a.bin');
    await vault.putFile(await writeTemp(cluster.dir, 'b', randomBytes(10_000)), 'b.bin');
    for (let piece = 0; piece < 4; piece++) {
      const target = await pieceFile('b.bin', piece);
      await writeFile(target, await readFile(await pieceFile('a.bin', piece)));
    }
    expect((await vault.list()).map((e) => e.name)).toEqual(['a.bin']);
    await expect(vault.getFile('b.bin', join(cluster.dir, 'x'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
