import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMasterKey, decodeWrappedMasterKey, unwrapMasterKey } from '../../src-main/vault/crypto/master-key.js';
import { chunkCheck } from '../../src-main/vault/stripe-codec.js';
import { VaultCipher } from '../../src-main/vault/vault-cipher.js';
import { CHUNK_CHECK_BYTES, stripeLayout } from '../../src-main/vault/stripe-layout.js';
import type { Vault } from '../../src-main/vault/vault.js';
import { filesContaining } from '../helpers/file-search.js';
import { committedPieceFiles, masterKeyRecordFiles, pieceFileOf } from '../helpers/stored-pieces.js';
import { TestCluster, USERS, writeTemp } from '../helpers/test-cluster.js';

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
    return pieceFileOf(cluster.roots, vault.objectIdOf(path), piece);
  }

  async function expectRejectedWithoutOutput(path: string, failure: object = { code: 'PROTOCOL', message: expect.stringContaining('failed its integrity check') }): Promise<void> {
    const outDir = join(cluster.dir, `out-${randomBytes(4).toString('hex')}`);
    await mkdir(outDir);
    await expect(vault.getFile(path, join(outDir, 'got'))).rejects.toMatchObject(failure);
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

  it('gives someone with a node\'s whole directory and a wrong password nothing', async () => {
    const marker = 'STOLEN-DISK-MARKER';
    await vault.putFile(await writeTemp(cluster.dir, 'secret', Buffer.from(`${marker} `.repeat(5000))), `${marker}.txt`);
    const root = cluster.roots[0]!;
    for (const needle of [marker, `${marker}.txt`]) expect(await filesContaining(root, needle)).toEqual([]);
    const [recordFile] = await masterKeyRecordFiles(root);
    const record = (await readPiece(recordFile!)).header.subarray(8);
    for (const guess of ['Wonderland', 'wonderland ', '', 'alice']) {
      await expect(unwrapMasterKey(decodeWrappedMasterKey(record), guess)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    }
    // Without the master key, no piece's metadata opens: any other key (here a fresh one) opens none,
    // while the right password's key opens them all.
    const stranger = new VaultCipher(createMasterKey());
    const owner = new VaultCipher(await unwrapMasterKey(decodeWrappedMasterKey(record), USERS.alice));
    const files = await committedPieceFiles(root);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const [key, version] = file.split('/').slice(-2);
      const args = [Buffer.from(key!, 'hex'), version!.replace(/\.c$/, ''), (await readPiece(file)).header.subarray(8)] as const;
      expect(stranger.openMeta(...args)).toBeUndefined();
      expect(owner.openMeta(...args)).toMatchObject({ path: `${marker}.txt` });
    }
  });

  it('stores an empty file as one sealed stripe and returns it empty', async () => {
    await vault.putFile(await writeTemp(cluster.dir, 'e', Buffer.alloc(0)), 'empty.txt');
    expect((await readPiece(await pieceFile('empty.txt', 0))).body.length).toBe(stripeLayout(0, STRIPE, 2).pieceBytes);
    const out = join(cluster.dir, 'empty-back');
    expect(await vault.getFile('empty.txt', out)).toEqual({ size: 0, savedAs: out });
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

  /** Rewrites every piece of `path` (a 3-stripe file) with `edit` applied to its stripe chunks, checks recomputed, so only the AEAD can notice. */
  async function rewriteStripes(path: string, edit: (chunks: Buffer[]) => Buffer[]): Promise<void> {
    const layout = stripeLayout(3 * STRIPE, STRIPE, 2);
    const span = layout.fullChunkBytes + CHUNK_CHECK_BYTES;
    for (let piece = 0; piece < 4; piece++) {
      const file = await pieceFile(path, piece);
      const { header, body } = await readPiece(file);
      const chunks = [0, 1, 2].map((stripe) => Buffer.from(body.subarray(stripe * span, stripe * span + layout.fullChunkBytes)));
      const edited = edit(chunks).flatMap((chunk, stripe) => [chunk, chunkCheck(chunk, stripe, piece)]);
      await writeFile(file, Buffer.concat([header, ...edited]));
    }
  }

  it('rejects a stripe with one altered byte, even with its checks recomputed, and writes no file', async () => {
    await vault.putFile(await writeTemp(cluster.dir, 's', randomBytes(3 * STRIPE)), 'altered.bin');
    await rewriteStripes('altered.bin', (chunks) => {
      chunks[1]!.writeUInt8(chunks[1]!.readUInt8(100) ^ 0x01, 100);
      return chunks;
    });
    await expectRejectedWithoutOutput('altered.bin');
  });

  it('reports a file cut short by its last stripe as incomplete, and writes no file', async () => {
    await vault.putFile(await writeTemp(cluster.dir, 's', randomBytes(3 * STRIPE)), 'cut.bin');
    await rewriteStripes('cut.bin', (chunks) => chunks.slice(0, 2));
    await expectRejectedWithoutOutput('cut.bin', { code: 'INCOMPLETE', message: 'File is incomplete.' });
  });

  it('rejects a last stripe moved into the middle (the last-stripe flag is bound), and writes no file', async () => {
    await vault.putFile(await writeTemp(cluster.dir, 's', randomBytes(3 * STRIPE)), 'early-end.bin');
    await rewriteStripes('early-end.bin', ([first, second, third]) => [first!, third!, second!]);
    await expectRejectedWithoutOutput('early-end.bin');
  });

  it('reports a file extended by a stripe as incomplete (the sealed size decides), and writes no file', async () => {
    await vault.putFile(await writeTemp(cluster.dir, 's', randomBytes(3 * STRIPE)), 'extended.bin');
    await rewriteStripes('extended.bin', (chunks) => [...chunks, chunks[0]!]);
    await expectRejectedWithoutOutput('extended.bin', { code: 'INCOMPLETE', message: 'File is incomplete.' });
    expect((await vault.list()).find((e) => e.name === 'extended.bin')).toMatchObject({ pieces: { good: 0, total: 4 } });
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
