import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { Vault } from '../../src-main/vault/vault.js';
import { FAST, TestCluster, writeTemp } from './test-cluster.js';

export { FAST };

/** A fresh cluster for each test, with alice signed in and docs/kept.bin stored. */
export interface KeptFileCluster {
  cluster: TestCluster;
  vault: Vault;
  /** The bytes of docs/kept.bin. */
  contents: Buffer;
  /** Signs alice in anew with `password`. */
  connect(password: string): Promise<Vault>;
  /** Signs alice in with `password` and reads docs/kept.bin back, byte for byte. */
  expectFilesIntact(password: string): Promise<void>;
}

/** Starts a KeptFileCluster before each test of the calling describe block, and closes it after. */
export function useKeptFileCluster(): KeptFileCluster {
  const contents = randomBytes(300_000);
  const connect = (password: string): Promise<Vault> => Vault.connect({ servers: kept.cluster.servers, username: 'alice', password, ...FAST });
  const kept: KeptFileCluster = {
    cluster: undefined as unknown as TestCluster,
    vault: undefined as unknown as Vault,
    contents,
    connect,
    async expectFilesIntact(password) {
      const again = await connect(password);
      try {
        const out = join(kept.cluster.dir, `back-${randomBytes(3).toString('hex')}`);
        await again.getFile('docs/kept.bin', out);
        expect((await readFile(out)).equals(contents)).toBe(true);
      } finally {
        again.close();
      }
    },
  };
  beforeEach(async () => {
    kept.cluster = await TestCluster.start();
    kept.vault = await kept.cluster.vault();
    await kept.vault.putFile(await writeTemp(kept.cluster.dir, 'kept', contents), 'docs/kept.bin');
  });
  afterEach(async () => kept.cluster.close());
  return kept;
}
