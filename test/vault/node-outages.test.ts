import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCOMPLETE_TEXT } from '../../src-main/shared/errors.js';
import { TestCluster, writeTemp } from '../helpers/test-cluster.js';

const PAIRS = [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]] as const;

describe('node outages', () => {
  let cluster: TestCluster;
  const data = randomBytes(2 * 1024 * 1024 + 777);
  beforeAll(async () => {
    cluster = await TestCluster.start();
    const vault = await cluster.vault();
    // Several files, so that each pair of nodes hits data and parity pieces of some of them.
    const src = await writeTemp(cluster.dir, 'src.bin', data);
    for (let i = 0; i < 4; i++) await vault.putFile(src, `f${i}.bin`);
  });
  afterAll(async () => cluster.close());

  for (const [a, b] of PAIRS) {
    it(`returns every file exactly with DFS${a + 1} and DFS${b + 1} down`, async () => {
      await cluster.stop(a);
      await cluster.stop(b);
      try {
        const vault = await cluster.vault();
        for (let i = 0; i < 4; i++) {
          const out = join(cluster.dir, `out-${a}${b}-${i}`);
          await vault.getFile(`f${i}.bin`, out);
          expect((await readFile(out)).equals(data)).toBe(true);
        }
        const listed = await vault.list();
        expect(listed.filter((e) => e.type === 'file').every((e) => e.pieces.good === 2 && e.health === 'at-risk')).toBe(true);
      } finally {
        await cluster.restart(a);
        await cluster.restart(b);
      }
    });
  }

  it('stores with one node down (3 of 4) and repair then restores the fourth piece', async () => {
    await cluster.stop(2);
    const vault = await cluster.vault();
    const fresh = randomBytes(1234567);
    await vault.putFile(await writeTemp(cluster.dir, 'fresh.bin', fresh), 'fresh.bin');
    // While DFS3 is down, repair can only say so: the piece waits for its node (the CLI and app count those apart).
    const [whileDown] = await vault.repair('fresh.bin');
    expect(whileDown!.failed).toEqual([{ piece: expect.any(Number), node: 'DFS3', reason: 'DFS3 is unreachable', away: 'unreachable' }]);
    await cluster.restart(2);
    const [before] = await vault.check('fresh.bin');
    expect(before!.pieces).toEqual({ good: 3, total: 4 });
    expect(before!.detail.find((d) => d.node === 'DFS3')?.state).toBe('missing');
    const [result] = await vault.repair('fresh.bin');
    expect(result!.rebuilt).toEqual([{ piece: expect.any(Number), node: 'DFS3' }]);
    expect(result!.after).toEqual({ good: 4, total: 4 });
    const [after] = await vault.check('fresh.bin');
    expect(after!.health).toBe('healthy');
    // The rebuilt piece alone with one other is enough: stop two nodes that held original pieces.
    const others = [0, 1, 3].filter((i) => i !== 2).slice(0, 2);
    for (const i of others) await cluster.stop(i);
    try {
      const out = join(cluster.dir, 'fresh.out');
      await (await cluster.vault()).getFile('fresh.bin', out);
      expect((await readFile(out)).equals(fresh)).toBe(true);
    } finally {
      for (const i of others) await cluster.restart(i);
    }
  });

  it('refuses to store with two nodes down and keeps the previous version byte for byte', async () => {
    const vault = await cluster.vault();
    const old = randomBytes(300_000);
    await vault.putFile(await writeTemp(cluster.dir, 'keep-old.bin', old), 'keep.bin');
    await cluster.stop(0);
    await cluster.stop(3);
    try {
      const degraded = await cluster.vault();
      const refused = degraded.putFile(await writeTemp(cluster.dir, 'keep-new.bin', randomBytes(300_000)), 'keep.bin');
      await expect(refused).rejects.toMatchObject({ code: 'QUORUM_FAILED', message: expect.stringContaining('a write needs 3') });
      // Each node that failed is named once, with its reason.
      const { message } = (await refused.catch((error: unknown) => error)) as Error;
      expect(message).toContain('DFS1 (Cannot reach ');
      expect(message).toContain('DFS4 (Cannot reach ');
      expect(message.match(/DFS1/g)).toHaveLength(1);
      expect(message.match(/DFS4/g)).toHaveLength(1);
      const out = join(cluster.dir, 'keep.out');
      await degraded.getFile('keep.bin', out);
      expect((await readFile(out)).equals(old)).toBe(true);
    } finally {
      await cluster.restart(0);
      await cluster.restart(3);
    }
    const out = join(cluster.dir, 'keep.out2');
    await (await cluster.vault()).getFile('keep.bin', out);
    expect((await readFile(out)).equals(old)).toBe(true);
  });

  it('says "File is incomplete." with three nodes down and leaves no output file', async () => {
    for (const i of [0, 1, 2]) await cluster.stop(i);
    try {
      const vault = await cluster.vault();
      const out = join(cluster.dir, 'never.bin');
      await expect(vault.getFile('f0.bin', out)).rejects.toMatchObject({ code: 'INCOMPLETE', message: INCOMPLETE_TEXT });
      await expect(readFile(out)).rejects.toMatchObject({ code: 'ENOENT' });
      const { readdir } = await import('node:fs/promises');
      expect((await readdir(cluster.dir)).some((name) => name.includes('dfs-partial'))).toBe(false);
      const listed = await vault.list();
      expect(listed.find((e) => e.name === 'f0.bin')?.health).toBe('unavailable');
    } finally {
      for (const i of [0, 1, 2]) await cluster.restart(i);
    }
  });
});
