import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transfer } from '../../src-main/shared/app-models.js';
import { VaultService } from '../../src-main/service/vault-service.js';
import { seededBuffer } from '../helpers/gf-reference.js';
import { RecordingCredentialStore } from '../helpers/recording-credential-store.js';
import { TestCluster, USERS } from '../helpers/test-cluster.js';

const SIZE = 3 * 1024 * 1024 + 11;

/** Waits until `predicate` holds for a value from `poll`, polling briefly (no timing assertion: only a deadline). */
async function eventually<T>(poll: () => T, predicate: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = poll();
    if (predicate(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const finished = (t: Transfer | undefined): boolean => t !== undefined && ['done', 'failed', 'cancelled'].includes(t.state);

describe('an upload that has begun to commit', () => {
  let cluster: TestCluster;
  let dir: string;
  const services: VaultService[] = [];

  beforeAll(async () => {
    cluster = await TestCluster.start();
    dir = await mkdtemp(join(tmpdir(), 'dfs-committing-'));
  });

  afterAll(async () => {
    for (const service of services) await service.close();
    await cluster?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A service signed in to the test cluster as alice, recording its transfers and changed files. */
  async function signedIn(name: string): Promise<{ service: VaultService; transfers: Transfer[]; changed: string[] }> {
    const service = new VaultService({ dataDir: await mkdtemp(join(dir, `${name}-`)), credentials: new RecordingCredentialStore() });
    services.push(service);
    const addresses = cluster.servers.map((s) => `${s.host}:${s.port}`);
    await service.connect({ target: { kind: 'addresses', addresses }, username: 'alice', password: USERS.alice, remember: false });
    const transfers: Transfer[] = [];
    const changed: string[] = [];
    service.on('transfer.changed', (t) => transfers.push(t));
    service.on('files.changed', (e) => changed.push(...e.paths));
    return { service, transfers, changed };
  }

  /** Writes the file's first version through `service`, then the second, calling `atCommit` as that one starts to commit. */
  async function replaceWhileCommitting(service: VaultService, path: string, atCommit: (transfer: Transfer) => void): Promise<Buffer> {
    const local = join(dir, path);
    await writeFile(local, 'the old version\n');
    const first = await service.uploadPaths([{ source: local, folder: '' }]);
    await eventually(() => service.listTransfers().find((t) => t.id === first.ids[0]), (t) => t?.state === 'done', 'the first version');
    const content = seededBuffer(SIZE, 7);
    await writeFile(local, content);
    const stop = service.on('transfer.changed', (t) => {
      if (t.path === path && t.state === 'committing') {
        stop();
        atCommit(t);
      }
    });
    await service.uploadPaths([{ source: local, folder: '' }]);
    return content;
  }

  /** What a fresh client reads at `path`. */
  async function stored(path: string): Promise<Buffer> {
    const vault = await cluster.vault('alice');
    const copy = join(dir, `read-${path}`);
    await vault.getFile(path, copy);
    return readFile(copy);
  }

  it('ignores a Cancel that arrives while it commits: it ends done, and the files are reported changed', async () => {
    const { service, transfers, changed } = await signedIn('cancel');
    const content = await replaceWhileCommitting(service, 'report.bin', (t) => service.cancelTransfer(t.id));
    const last = await eventually(() => transfers.filter((t) => t.path === 'report.bin').at(-1), finished, 'the second version');
    expect(last).toMatchObject({ state: 'done', done: SIZE, size: SIZE });
    expect(changed.filter((p) => p === 'report.bin')).toHaveLength(2);
    expect((await stored('report.bin')).equals(content)).toBe(true);
  });

  it('is waited for by a close: the commit finishes before the connections close, and ends done', async () => {
    const { service, transfers, changed } = await signedIn('close');
    let closing: Promise<void> | undefined;
    const content = await replaceWhileCommitting(service, 'minutes.bin', () => (closing = service.close()));
    await eventually(() => closing, (c) => c !== undefined, 'the close to begin');
    await closing;
    // By the time close has returned, the upload has its outcome.
    expect(transfers.filter((t) => t.path === 'minutes.bin').at(-1)).toMatchObject({ state: 'done', done: SIZE });
    expect(changed.filter((p) => p === 'minutes.bin')).toHaveLength(2);
    expect((await stored('minutes.bin')).equals(content)).toBe(true);
  });
});
