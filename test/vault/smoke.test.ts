import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster } from '../helpers/test-cluster.js';

describe('smoke', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await TestCluster.start();
  });
  afterAll(async () => cluster.close());

  it('round trips a file', async () => {
    const vault = await cluster.vault();
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const src = join(cluster.dir, 'in.bin');
    await writeFile(src, data);
    await vault.putFile(src, 'a/in.bin');
    const out = join(cluster.dir, 'out.bin');
    await vault.getFile('a/in.bin', out);
    expect((await readFile(out)).equals(data)).toBe(true);
    console.log(await vault.list(), await vault.list('a'), await vault.check());
  });
});
