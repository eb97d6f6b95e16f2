import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockPidFile } from '../../../servers/node/pid-file.js';

describe('lockPidFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dfs-pidfile-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('takes over a lock naming its own pid that it never took, as a restarted container process (pid 1 again) finds its predecessor’s', async () => {
    const path = join(dir, 'node.pid');
    await writeFile(path, `${process.pid}\n`);
    const lock = await lockPidFile(path, process.pid);
    expect(lock).toHaveProperty('release');
    expect(await readFile(path, 'utf8')).toBe(`${process.pid}\n`);
    // Held by this process now: a second claim from within it is refused, not taken over.
    expect(await lockPidFile(path, process.pid)).toEqual({ heldBy: process.pid });
    await (lock as { release(): Promise<void> }).release();
    expect(await lockPidFile(path, process.pid)).toHaveProperty('release');
  });

  it('refuses a lock file it cannot read instead of taking it over', async () => {
    const path = join(dir, 'node.pid');
    await mkdir(path);
    await expect(lockPidFile(path, process.pid)).rejects.toThrow(`Cannot read the lock file ${path} (EISDIR); check who holds it, then remove it.`);
  });
});

describe('lockPidFile taking over a dead holder’s lock', () => {
  it('gives it to exactly one of several takers at once', async () => {
    const { spawnSync } = await import('node:child_process');
    const dir = await mkdtemp(join(tmpdir(), 'dfs-pidfile-race-'));
    try {
      // A pid that was a process and is no more.
      const dead = spawnSync(process.execPath, ['-e', '']).pid!;
      for (let round = 0; round < 20; round++) {
        const path = join(dir, `node-${round}.pid`);
        await writeFile(path, `${dead}\n`);
        const outcomes = await Promise.all(Array.from({ length: 4 }, () => lockPidFile(path, process.pid)));
        expect(outcomes.filter((o) => 'release' in o)).toHaveLength(1);
        expect(outcomes.filter((o) => 'heldBy' in o)).toEqual(Array(3).fill({ heldBy: process.pid }));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
