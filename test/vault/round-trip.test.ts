import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_STRIPE_BYTES } from '../../src-main/vault/stripe-layout.js';
import { TestCluster, writeTemp } from '../helpers/test-cluster.js';

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

describe('vault round trip', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await TestCluster.start();
  });
  afterAll(async () => cluster.close());

  const S = DEFAULT_STRIPE_BYTES;
  for (const [label, size] of [['empty', 0], ['one byte', 1], ['stripe - 1', S - 1], ['one stripe', S], ['stripe + 1', S + 1], ['odd multi-stripe', 3 * S + 12345]] as const) {
    it(`returns a ${label} file (${size} bytes) byte for byte`, async () => {
      const vault = await cluster.vault();
      const data = randomBytes(size);
      const src = await writeTemp(cluster.dir, `in-${size}`, data);
      await vault.putFile(src, `sizes/${size}.bin`);
      const out = join(cluster.dir, `out-${size}`);
      expect(await vault.getFile(`sizes/${size}.bin`, out)).toEqual({ size, savedAs: out });
      expect((await readFile(out)).equals(data)).toBe(true);
    });
  }

  it('returns a file of 64 MiB and more byte for byte', async () => {
    const vault = await cluster.vault();
    const size = 64 * 1024 * 1024 + 3;
    const src = join(cluster.dir, 'big.bin');
    const handle = await open(src, 'w');
    for (let written = 0; written < size; ) {
      const chunk = randomBytes(Math.min(4 * 1024 * 1024, size - written));
      await handle.write(chunk);
      written += chunk.length;
    }
    await handle.close();
    await vault.putFile(src, 'big.bin');
    const out = join(cluster.dir, 'big.out');
    await vault.getFile('big.bin', out);
    expect(await sha256File(out)).toBe(await sha256File(src));
    await rm(src);
    await rm(out);
  });

  it('reports progress that reaches 100% only at the end', async () => {
    const vault = await cluster.vault();
    const src = await writeTemp(cluster.dir, 'progress.bin', randomBytes(5 * S));
    const seen: number[] = [];
    await vault.putFile(src, 'progress.bin', { onProgress: (done, total) => seen.push(done / total) });
    expect(seen.at(-1)).toBe(1);
    expect(seen.slice(0, -1).every((f) => f < 1)).toBe(true);
  });

  it('keeps the modification time of the uploaded file', async () => {
    const vault = await cluster.vault();
    const src = await writeTemp(cluster.dir, 'dated.txt', Buffer.from('hello'));
    const { utimes } = await import('node:fs/promises');
    await utimes(src, new Date('2020-01-02T03:04:05Z'), new Date('2020-01-02T03:04:05Z'));
    await vault.putFile(src, 'dated.txt');
    const entry = (await vault.list()).find((e) => e.name === 'dated.txt');
    expect(entry?.modified).toBe('2020-01-02T03:04:05.000Z');
  });
});
