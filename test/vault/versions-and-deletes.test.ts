import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestCluster, writeTemp } from '../helpers/test-cluster.js';
import { committedPieceFiles } from '../helpers/stored-pieces.js';
import { putObject } from '../../src-main/vault/put-object.js';
import { DEFAULT_STRIPE_BYTES } from '../../src-main/vault/stripe-layout.js';

describe('versions, folders and deletes', () => {
  let cluster: TestCluster;
  beforeEach(async () => {
    cluster = await TestCluster.start();
  });
  afterEach(async () => cluster.close());

  it('replaces a file on overwrite and prunes the old version from the nodes', async () => {
    const vault = await cluster.vault();
    await vault.putFile(await writeTemp(cluster.dir, 'v1', randomBytes(5000)), 'doc');
    const second = randomBytes(7000);
    await vault.putFile(await writeTemp(cluster.dir, 'v2', second), 'doc');
    const out = join(cluster.dir, 'out');
    await vault.getFile('doc', out);
    expect((await readFile(out)).equals(second)).toBe(true);
    for (const root of cluster.roots) expect(await committedPieceFiles(root)).toHaveLength(1);
  });

  it('stores nothing when cancelled as the last stripe goes out, but finishes a commit that a cancel arrives during', async () => {
    const vault = await cluster.vault();
    const first = randomBytes(5000);
    await vault.putFile(await writeTemp(cluster.dir, 'v1', first), 'doc');
    const out = join(cluster.dir, 'out');
    const late = new AbortController();
    const onProgress = (done: number, total: number): void => {
      if (done === total - 1) late.abort();
    };
    await expect(vault.putFile(await writeTemp(cluster.dir, 'v2', randomBytes(7000)), 'doc', { signal: late.signal, onProgress })).rejects.toMatchObject({ code: 'CANCELLED' });
    await vault.getFile('doc', out);
    expect((await readFile(out)).equals(first)).toBe(true);
    const during = new AbortController();
    const third = randomBytes(9000);
    await vault.putFile(await writeTemp(cluster.dir, 'v3', third), 'doc', { signal: during.signal, onCommitting: () => during.abort() });
    await vault.getFile('doc', out);
    expect((await readFile(out)).equals(third)).toBe(true);
  });

  it('reports a commit that fails after a cancel arrived during it as the failure it is, not as "cancelled, nothing stored"', async () => {
    const vault = await cluster.vault();
    const during = new AbortController();
    // The cancel comes as the commit starts, and two nodes go away under it: the commit itself fails.
    let stopped: Promise<unknown> = Promise.resolve();
    const onCommitting = (): void => {
      during.abort();
      stopped = Promise.all([cluster.stop(2), cluster.stop(3)]);
    };
    const failure = await vault.putFile(await writeTemp(cluster.dir, 'late', randomBytes(6000)), 'late.bin', { signal: during.signal, onCommitting }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'QUORUM_FAILED' });
    expect((failure as Error).message).not.toContain('cancelled');
    await stopped;
    await cluster.restart(2);
    await cluster.restart(3);
  });

  it('keeps a deleted file deleted when a node that missed the delete comes back', async () => {
    const vault = await cluster.vault();
    await vault.putFile(await writeTemp(cluster.dir, 'gone', randomBytes(4000)), 'gone.txt');
    await cluster.stop(1);
    expect(await (await cluster.vault()).remove('gone.txt')).toEqual(['gone.txt']);
    await cluster.restart(1);
    const fresh = await cluster.vault();
    expect((await fresh.list()).map((e) => e.name)).not.toContain('gone.txt');
    await expect(fresh.getFile('gone.txt', join(cluster.dir, 'x'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // With two of the nodes that saw the delete down, the returning node's old piece still cannot revive it.
    await cluster.stop(0);
    await cluster.stop(2);
    expect((await (await cluster.vault()).list()).map((e) => e.name)).not.toContain('gone.txt');
    await cluster.restart(0);
    await cluster.restart(2);
    // Repair hands the tombstone to the node that missed it, and its old piece is pruned.
    await (await cluster.vault()).repair();
    const [onReturned] = await committedPieceFiles(cluster.roots[1]!);
    const { stat } = await import('node:fs/promises');
    expect((await stat(onReturned!)).size).toBeLessThan(1000);
  });

  it('keeps a deleted file deleted when a prune was missed and the nodes that saw the delete are down', async () => {
    const { copyFile } = await import('node:fs/promises');
    const vault = await cluster.vault();
    await vault.putFile(await writeTemp(cluster.dir, 'old', randomBytes(5000)), 'zombie.txt');
    // Keep DFS1's piece of the old version, to put back as if its prune had failed.
    const [oldPiece] = await committedPieceFiles(cluster.roots[0]!);
    await copyFile(oldPiece!, join(cluster.dir, 'saved-piece'));
    await cluster.stop(3);
    await (await cluster.vault()).remove('zombie.txt');
    await copyFile(join(cluster.dir, 'saved-piece'), oldPiece!);
    await cluster.restart(3);
    // Visible now: DFS1 with the old version and the tombstone, DFS4 with the old version only.
    await cluster.stop(1);
    await cluster.stop(2);
    const degraded = await cluster.vault();
    expect((await degraded.list()).map((e) => e.name)).not.toContain('zombie.txt');
    await expect(degraded.getFile('zombie.txt', join(cluster.dir, 'z'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await cluster.restart(1);
    await cluster.restart(2);
    // Repair removes the superseded pieces and hands the tombstone to DFS4.
    const report = await (await cluster.vault()).repair();
    expect(report).toEqual([
      expect.objectContaining({ path: 'zombie.txt (deletion)', rebuilt: [expect.objectContaining({ node: 'DFS4' })], pruned: ['DFS1'] }),
    ]);
    const { stat } = await import('node:fs/promises');
    for (const root of cluster.roots) {
      const files = await committedPieceFiles(root);
      expect(files).toHaveLength(1);
      expect((await stat(files[0]!)).size).toBeLessThan(1000);
    }
  });

  it('creates folders, lists nested paths and deletes a folder with its contents', async () => {
    const vault = await cluster.vault();
    await vault.mkdir('empty/inner');
    await vault.putFile(await writeTemp(cluster.dir, 'p', Buffer.from('photo')), 'trips/2026/photo.jpg');
    await vault.putFile(await writeTemp(cluster.dir, 'r', Buffer.from('report')), 'report.pdf');
    expect((await vault.list()).map((e) => `${e.type}:${e.name}`)).toEqual(['folder:empty', 'folder:trips', 'file:report.pdf']);
    expect((await vault.list('trips')).map((e) => e.name)).toEqual(['2026']);
    expect(await vault.list('trips/2026')).toEqual([
      expect.objectContaining({ name: 'photo.jpg', path: 'trips/2026/photo.jpg', type: 'file', size: 5, pieces: { good: 4, total: 4 }, health: 'healthy' }),
    ]);
    expect((await vault.list('empty')).map((e) => e.name)).toEqual(['inner']);
    expect(await vault.list('empty/inner')).toEqual([]);
    expect(await vault.remove('trips')).toEqual(['trips/2026/photo.jpg', 'trips/2026', 'trips']);
    expect((await vault.list()).map((e) => e.name)).toEqual(['empty', 'report.pdf']);
    await expect(vault.list('trips')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses to store a file inside a file, or over a folder', async () => {
    const vault = await cluster.vault();
    const src = await writeTemp(cluster.dir, 'f', Buffer.from('x'));
    await vault.putFile(src, 'a.txt');
    await expect(vault.putFile(src, 'a.txt/b.txt')).rejects.toMatchObject({ code: 'NOT_A_FILE', message: expect.stringContaining('"a.txt" is a file') });
    await vault.mkdir('dir');
    await expect(vault.putFile(src, 'dir')).rejects.toMatchObject({ code: 'NOT_A_FILE' });
    await expect(vault.mkdir('a.txt')).rejects.toMatchObject({ code: 'NOT_A_FILE' });
  });

  it('keeps the folders an upload made: a file cannot be stored over one, and deleting a file never deletes a folder', async () => {
    const vault = await cluster.vault();
    const src = await writeTemp(cluster.dir, 'f', Buffer.from('photo'));
    await vault.putFile(src, 'trips/2026/photo.jpg');
    for (const folder of ['trips', 'trips/2026']) {
      await expect(vault.putFile(src, folder)).rejects.toMatchObject({ code: 'NOT_A_FILE', message: `"${folder}" is a folder; choose another name.` });
    }
    // A vault written before folders were recorded: files under "old/" and no record of "old" itself.
    await vault.putFile(src, 'old/kept.jpg');
    await putObject(vault['pool'], vault['cipher'], { path: 'old', kind: 'tombstone', size: 0, modified: Date.now(), k: 2, m: 2, stripeBytes: DEFAULT_STRIPE_BYTES });
    expect((await vault.list()).map((e) => `${e.type}:${e.name}`)).toEqual(['folder:old', 'folder:trips']);
    await vault.putFile(src, 'old');
    expect(await vault.remove('old')).toEqual(['old']);
    expect((await vault.list('old')).map((e) => e.path)).toEqual(['old/kept.jpg']);
  });

  it('rejects hostile and malformed names with a clear error and stores nothing', async () => {
    const vault = await cluster.vault();
    const src = await writeTemp(cluster.dir, 'h', Buffer.from('x'));
    for (const name of ['../escape', 'a/../../b', 'a/./b', 'nul\0byte', 'new\nline', '', '/', 'x'.repeat(300), `${'d/'.repeat(600)}f`]) {
      await expect(vault.putFile(src, name)).rejects.toMatchObject({ code: 'INVALID_PATH' });
    }
    expect(await vault.list()).toEqual([]);
    for (const root of cluster.roots) expect(await committedPieceFiles(root)).toHaveLength(0);
  });

  it('accepts unusual but legal names (spaces, unicode, leading slash) and normalizes slashes', async () => {
    const vault = await cluster.vault();
    const src = await writeTemp(cluster.dir, 'u', Buffer.from('ü'));
    await vault.putFile(src, '/Fotos 2026//Grüße — été.txt');
    expect((await vault.list('Fotos 2026')).map((e) => e.name)).toEqual(['Grüße — été.txt']);
  });
});
