import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalClusterManager } from '../../src-main/service/local-cluster-manager.js';

describe('local cluster manager', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function manager(onChange: (m: LocalClusterManager) => void): Promise<LocalClusterManager> {
    const dir = await mkdtemp(join(tmpdir(), 'dfs-manager-'));
    const created: LocalClusterManager = new LocalClusterManager({ dir, onChange: () => onChange(created) });
    cleanups.push(async () => {
      await created.stop();
      await rm(dir, { recursive: true, force: true });
    });
    return created;
  }

  it('reports each node as it starts listening, so the strip turns green node by node', async () => {
    const seen: string[] = [];
    const cluster = await manager((m) => seen.push(`${m.state}:${m.listening().filter(Boolean).length}/${m.listening().length}`));
    await cluster.start();
    // Starting with no node up, then one more at each report, then running.
    const starting = seen.filter((s) => s.startsWith('starting:') && !s.endsWith('/0'));
    expect(starting).toEqual(['starting:0/4', 'starting:1/4', 'starting:2/4', 'starting:3/4', 'starting:4/4']);
    expect(seen.at(-1)).toBe('running:4/4');
  });

  it('refuses a second launcher on the same data folder while the first runs', async () => {
    const first = await manager(() => undefined);
    await first.start();
    const second = new LocalClusterManager({ dir: first.dir, onChange: () => undefined });
    await expect(second.start()).rejects.toMatchObject({ code: 'NODE_UNREACHABLE', message: expect.stringContaining('is in use by another DFS Vault') });
    expect(second.state).toBe('stopped');
  });

  it('starts again on the same ports after a stop', async () => {
    const cluster = await manager(() => undefined);
    await cluster.start();
    const ports = cluster.servers().map((s) => s.port);
    await cluster.stop();
    expect(cluster.state).toBe('stopped');
    expect(cluster.listening()).toEqual([false, false, false, false]);
    await cluster.start();
    expect(cluster.servers().map((s) => s.port)).toEqual(ports);
    expect(cluster.listening()).toEqual([true, true, true, true]);
  });
});
