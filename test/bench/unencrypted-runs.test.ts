import { randomBytes } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judge } from '../../bench/bench-report.js';
import type { MeasuredResult, Operation } from '../../bench/bench-stats.js';
import { PLAINTEXT_STRIPES } from '../../bench/plaintext-stripes.js';
import { DEFAULT_STRIPE_BYTES } from '../../src-main/vault/stripe-layout.js';
import { flipByte, pieceFileOf } from '../helpers/stored-pieces.js';
import { filesContaining } from '../helpers/file-search.js';
import { TestCluster, writeTemp } from '../helpers/test-cluster.js';

const ROOT = join(import.meta.dirname, '..', '..');

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.(ts|tsx|mts)$/.test(entry.name)) out.push(join(entry.parentPath, entry.name));
  }
  return out;
}

describe("the bench's unencrypted client", () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await TestCluster.start();
  });
  afterAll(async () => cluster.close());

  it('stores stripes in clear, and reads them back exactly', async () => {
    const vault = await cluster.vault('alice', { stripeSealer: PLAINTEXT_STRIPES });
    const marker = `clear-marker-${randomBytes(6).toString('hex')}`;
    const data = Buffer.concat([Buffer.from(marker), randomBytes(2 * DEFAULT_STRIPE_BYTES + 777)]);
    await vault.putFile(await writeTemp(cluster.dir, 'clear-in', data), 'clear.bin');
    const out = join(cluster.dir, 'clear-out');
    expect(await vault.getFile('clear.bin', out)).toEqual({ size: data.length, savedAs: out });
    expect((await readFile(out)).equals(data)).toBe(true);
    // Proof that it really skipped the encryption whose cost it measures: the contents sit on a node in clear.
    expect((await Promise.all(cluster.roots.map((root) => filesContaining(root, marker)))).flat()).not.toHaveLength(0);
  });

  it('checks every chunk before use, since nothing else proves its bytes: a flipped byte never reaches the output', async () => {
    const vault = await cluster.vault('alice', { stripeSealer: PLAINTEXT_STRIPES });
    const data = randomBytes(DEFAULT_STRIPE_BYTES + 99);
    await vault.putFile(await writeTemp(cluster.dir, 'flip-in', data), 'flip.bin');
    // 20 bytes before the end lies inside the last stripe's chunk of data piece 0.
    await flipByte(await pieceFileOf(cluster.roots, vault.objectIdOf('flip.bin'), 0), 20);
    const failures: string[] = [];
    const out = join(cluster.dir, 'flip-out');
    await vault.getFile('flip.bin', out, { onPieceFailure: (f) => failures.push(`${f.holder.piece}: ${f.reason}`) });
    expect((await readFile(out)).equals(data)).toBe(true);
    expect(failures).toEqual([expect.stringMatching(/^0: stripe 1 failed its check/)]);
  });

  it('is reachable from the bench only: no product module imports bench/', async () => {
    const product = [...(await sourceFiles(join(ROOT, 'src-main'))), ...(await sourceFiles(join(ROOT, 'servers'))), ...(await sourceFiles(join(ROOT, 'src-renderer')))];
    expect(product.length).toBeGreaterThan(50);
    const importing: string[] = [];
    for (const file of product) {
      if (/from\s+['"][./]*bench\//.test(await readFile(file, 'utf8'))) importing.push(relative(ROOT, file));
    }
    expect(importing).toEqual([]);
  });
});

describe('the bench verdict on encryption', () => {
  const round = (seconds: number): MeasuredResult => ({ seconds, cpuSeconds: 1, maxRSS: 90 * 1024, peakScope: 'operation', bytesReceived: 1024, serverCpuSeconds: 1 });
  const results = (times: Record<Operation, number[]>) => ({
    size: 1024,
    nodes: 4,
    cores: 2,
    dir: '/tmp',
    sealing: 'node:crypto',
    checks: 'zlib',
    erasure: 'wasm SIMD kernels',
    rounds: Object.fromEntries(Object.entries(times).map(([op, list]) => [op, list.map(round)])) as Record<Operation, MeasuredResult[]>,
  });

  it('measures the cost as throughput lost against the unencrypted rounds, and holds it to 15%', () => {
    const within = judge(results({ rawUpload: [1, 1, 1], vaultPut: [2, 2.2, 2.4], unencryptedPut: [1.8, 2, 2.2], rawDownload: [1, 1, 1], vaultGet: [1.1, 1.2, 5], unencryptedGet: [1, 1, 1] }));
    expect(within.encryptionCost.put.median).toBeCloseTo(1 - 2 / 2.2, 6);
    expect(within.encryptionCost.put.best).toBeCloseTo(1 - 1.8 / 2, 6);
    expect(within.encryptionCost.get.median).toBeCloseTo(1 - 1 / 1.2, 6);
    expect(within.targets.encryption).toBe(false);
    const cheap = judge(results({ rawUpload: [1], vaultPut: [2.2], unencryptedPut: [2], rawDownload: [1], vaultGet: [1.1], unencryptedGet: [1] }));
    expect(cheap.encryptionCost.get.median).toBeCloseTo(1 - 1 / 1.1, 6);
    expect(cheap.targets.encryption).toBe(true);
  });
});
