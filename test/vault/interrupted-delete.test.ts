import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PutRequest } from '../../src-main/vault/put-object.js';
import { TestCluster, writeTemp } from '../helpers/test-cluster.js';

/** Runs before each tombstone is written, with how many were written before it. */
const beforeTombstone = vi.hoisted(() => ({ hook: undefined as undefined | ((written: number) => Promise<void>) }));

vi.mock('../../src-main/vault/put-object.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src-main/vault/put-object.js')>();
  let tombstones = 0;
  return {
    ...real,
    putObject: async (...args: Parameters<typeof real.putObject>) => {
      const request: PutRequest = args[2];
      if (request.kind === 'tombstone') await beforeTombstone.hook?.(tombstones++);
      return real.putObject(...args);
    },
  };
});

describe('a folder delete that stops midway', () => {
  let cluster: TestCluster;
  beforeEach(async () => {
    cluster = await TestCluster.start();
  });
  afterEach(async () => {
    beforeTombstone.hook = undefined;
    await cluster.close();
  });

  it('says how many items it deleted, where it stopped and to run rm again; running it again finishes', async () => {
    const vault = await cluster.vault();
    for (const name of ['a.txt', 'b.txt', 'sub/c.txt']) await vault.putFile(await writeTemp(cluster.dir, name.replace('/', '-'), Buffer.from(name)), `docs/${name}`);
    // Two nodes go down once two tombstones are written: the third cannot reach its write quorum.
    beforeTombstone.hook = async (written) => {
      if (written !== 2) return;
      await cluster.stop(2);
      await cluster.stop(3);
    };
    const failure = await vault.remove('docs').catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'QUORUM_FAILED' });
    expect((failure as Error).message).toMatch(/^Deleted 2 of 5 items in "docs", then stopped at "docs\/[a-z.]+": .+ Run rm again to delete the rest\.$/);
    beforeTombstone.hook = undefined;
    await cluster.restart(2);
    await cluster.restart(3);
    expect((await vault.list('docs')).map((entry) => entry.name).length).toBe(2);
    expect(await vault.remove('docs')).toHaveLength(3);
    await expect(vault.list('docs')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
