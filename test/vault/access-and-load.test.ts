import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Vault } from '../../src-main/vault/vault.js';
import { committedPieceFiles } from '../helpers/stored-pieces.js';
import { TestCluster, writeTemp } from '../helpers/test-cluster.js';

describe('logins, isolation, traffic and load', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await TestCluster.start();
  });
  afterAll(async () => cluster.close());

  it('rejects a wrong password with the classic message and stores nothing', async () => {
    const connecting = Vault.connect({ servers: cluster.servers, username: 'alice', password: 'not-it' });
    await expect(connecting).rejects.toMatchObject({ code: 'AUTH_FAILED', message: 'Invalid Username/Password. Please try again.' });
    await expect(Vault.connect({ servers: cluster.servers, username: 'mallory', password: 'x' })).rejects.toMatchObject({
      message: 'Invalid Username/Password. Please try again.',
    });
    for (const root of cluster.roots) expect(await committedPieceFiles(root)).toHaveLength(0);
  });

  it('keeps each user in their own space: same names, separate files', async () => {
    const alice = await cluster.vault('alice');
    const bob = await cluster.vault('bob');
    const secret = randomBytes(10_000);
    await alice.putFile(await writeTemp(cluster.dir, 'secret', secret), 'shared-name.txt');
    expect(await bob.list()).toEqual([]);
    await expect(bob.getFile('shared-name.txt', join(cluster.dir, 'stolen'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(bob.remove('shared-name.txt')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await bob.putFile(await writeTemp(cluster.dir, 'bobs', Buffer.from('bob')), 'shared-name.txt');
    const out = join(cluster.dir, 'alice-again');
    await alice.getFile('shared-name.txt', out);
    expect((await readFile(out)).equals(secret)).toBe(true);
    await bob.remove('shared-name.txt');
    expect((await alice.list()).map((e) => e.name)).toContain('shared-name.txt');
  });

  it('reads only k pieces on download: bytes received stay within 2% of the file size', async () => {
    const vault = await cluster.vault();
    const size = 8 * 1024 * 1024;
    await vault.putFile(await writeTemp(cluster.dir, 'traffic', randomBytes(size)), 'traffic.bin');
    const reader = await cluster.vault();
    const before = reader.bytesReceived;
    await reader.getFile('traffic.bin', join(cluster.dir, 'traffic.out'));
    const received = reader.bytesReceived - before;
    expect(received).toBeGreaterThanOrEqual(size);
    expect(received).toBeLessThanOrEqual(size * 1.02);
  });

  it('serves 16 clients putting and getting at once', async () => {
    const vaults = await Promise.all(Array.from({ length: 16 }, () => cluster.vault()));
    const payloads = vaults.map((_, i) => randomBytes(200_000 + i * 7919));
    await Promise.all(vaults.map(async (vault, i) => vault.putFile(await writeTemp(cluster.dir, `c${i}`, payloads[i]!), `load/c${i}.bin`)));
    await Promise.all(
      vaults.map(async (vault, i) => {
        const out = join(cluster.dir, `c${i}.out`);
        await vault.getFile(`load/c${(i + 5) % 16}.bin`, out);
        expect((await readFile(out)).equals(payloads[(i + 5) % 16]!)).toBe(true);
      }),
    );
    expect((await vaults[0]!.list('load')).length).toBe(16);
  });

  it('lets concurrent writers of one path end with one whole version', async () => {
    const vaults = await Promise.all(Array.from({ length: 4 }, () => cluster.vault()));
    const payloads = vaults.map(() => randomBytes(1_500_000));
    await Promise.all(vaults.map(async (vault, i) => vault.putFile(await writeTemp(cluster.dir, `w${i}`, payloads[i]!), 'contended.bin')));
    const out = join(cluster.dir, 'contended.out');
    await vaults[0]!.getFile('contended.bin', out);
    const got = await readFile(out);
    expect(payloads.some((p) => p.equals(got))).toBe(true);
  });

  it('never mixes two concurrent writers of one path, even when the clock of the last writer ran ahead', async () => {
    const vault = await cluster.vault();
    const { utimes } = await import('node:fs/promises');
    // A version stamped an hour ahead: both writers below must version after it from the same state.
    const spy = vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 3_600_000);
    await vault.putFile(await writeTemp(cluster.dir, 'future', randomBytes(1000)), 'race.bin');
    spy.mockRestore();
    for (let round = 0; round < 5; round++) {
      const payloads = [randomBytes(3 * 1024 * 1024), randomBytes(3 * 1024 * 1024)];
      const sources = await Promise.all(payloads.map((p, i) => writeTemp(cluster.dir, `race-${round}-${i}`, p)));
      // Same size and same modification time: nothing but the version tells the two apart.
      for (const src of sources) await utimes(src, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
      const writers = await Promise.all(sources.map(() => cluster.vault()));
      await Promise.all(writers.map((w, i) => w.putFile(sources[i]!, 'race.bin')));
      const out = join(cluster.dir, `race-${round}.out`);
      await vault.getFile('race.bin', out);
      const got = await readFile(out);
      expect(got.equals(payloads[0]!) || got.equals(payloads[1]!)).toBe(true);
    }
  });
});
