import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vault } from '../../src-main/vault/vault.js';
import { TestCluster, writeTemp } from '../helpers/test-cluster.js';

/** Downloads and uploads against what a user's disk may hold at the named place: links, pipes, folders, long names. */
describe('local files a transfer meets', () => {
  let cluster: TestCluster;
  let vault: Vault;
  let dir: string;
  const data = randomBytes(200_000);
  beforeAll(async () => {
    cluster = await TestCluster.start();
    vault = await cluster.vault();
    await vault.putFile(await writeTemp(cluster.dir, 'doc.bin', data), 'doc.bin');
    dir = join(cluster.dir, 'local');
    await mkdir(dir);
  });
  afterAll(async () => cluster.close());

  it('saves through a symbolic link into the file it names, and the link stays a link', async () => {
    await writeFile(join(dir, 'real.bin'), 'old');
    await symlink('real.bin', join(dir, 'link.bin'));
    await vault.getFile('doc.bin', join(dir, 'link.bin'));
    expect((await lstat(join(dir, 'link.bin'))).isSymbolicLink()).toBe(true);
    expect((await readFile(join(dir, 'real.bin'))).equals(data)).toBe(true);
  });

  it('writes into a pipe as the file arrives, and the pipe stays a pipe', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const received: Buffer[] = [];
    const reading = new Promise<void>((resolve, reject) => {
      createReadStream(fifo).on('data', (chunk) => received.push(chunk as Buffer)).on('end', resolve).on('error', reject);
    });
    await vault.getFile('doc.bin', fifo);
    await reading;
    expect(Buffer.concat(received).equals(data)).toBe(true);
    expect((await lstat(fifo)).isFIFO()).toBe(true);
  });

  it('refuses, before downloading, a folder standing where the file would go', async () => {
    await mkdir(join(dir, 'into', 'doc.bin'), { recursive: true });
    await expect(vault.getFile('doc.bin', join(dir, 'into'))).rejects.toMatchObject({ code: 'NOT_A_FILE', message: expect.stringContaining('is a folder') });
    expect(await readdir(join(dir, 'into'))).toEqual(['doc.bin']);
  });

  it('downloads a file whose name takes almost all the 255 bytes a name may have', async () => {
    const name = 'é'.repeat(120) + '.bin';
    await vault.putFile(join(cluster.dir, 'doc.bin'), name);
    await vault.getFile(name, dir);
    expect((await readFile(join(dir, name))).equals(data)).toBe(true);
  });

  it('refuses to upload a pipe, whose size is unknown, instead of storing it empty', async () => {
    const fifo = join(dir, 'upload-pipe');
    execFileSync('mkfifo', [fifo]);
    // Something must open the write end, or opening the pipe for reading waits for ever.
    const writer = new Promise<void>((resolve) => {
      void import('node:fs').then(({ createWriteStream }) => createWriteStream(fifo).end('hello', resolve));
    });
    await expect(vault.putFile(fifo, 'piped.txt')).rejects.toMatchObject({ code: 'NOT_A_FILE', message: expect.stringContaining('not a regular file') });
    await writer.catch(() => undefined);
    expect((await vault.list()).map((e) => e.name)).not.toContain('piped.txt');
  });
});
