import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { UsersFileLockedError, withUsersFileLock } from '../../../servers/node/users-file-lock.js';
import { inTempDir } from '../../helpers/temp-dir.js';

describe('withUsersFileLock', () => {
  it('lets one writer at a time take over a lock left by a dead process', async () => {
    const { spawnSync } = await import('node:child_process');
    const dir = await mkdtemp(join(tmpdir(), 'dfs-users-lock-'));
    try {
      const dead = spawnSync(process.execPath, ['-e', '']).pid!;
      for (let round = 0; round < 50; round++) {
        const usersFile = join(dir, `dfs-${round}.conf`);
        await writeFile(`${usersFile}.lock`, `${dead}\n`);
        let inside = 0;
        let most = 0;
        await Promise.all(
          Array.from({ length: 4 }, () =>
            withUsersFileLock(usersFile, async () => {
              most = Math.max(most, ++inside);
              await sleep(5);
              inside--;
            }),
          ),
        );
        expect(most).toBe(1);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('loses no change when many callers in one process change the file at once, under either spelling of its path', async () => {
    await inTempDir(async (dir) => {
      const counter = join(dir, 'dfs.conf');
      await writeFile(counter, '0');
      const bump = (spelling: string) =>
        withUsersFileLock(spelling, async () => {
          const value = Number(await readFile(counter, 'utf8'));
          await sleep(1);
          await writeFile(counter, String(value + 1));
        });
      for (let round = 0; round < 40; round++) await Promise.all(Array.from({ length: 6 }, (_, i) => bump(i % 2 === 0 ? counter : `${dir}/./dfs.conf`)));
      expect(Number(await readFile(counter, 'utf8'))).toBe(240);
    });
  });

  it('gives up on a lock a live process keeps, with a typed error naming the lock, and leaves that lock alone', async () => {
    const { spawn } = await import('node:child_process');
    const dir = await mkdtemp(join(tmpdir(), 'dfs-users-lock-'));
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      const usersFile = join(dir, 'dfs.conf');
      await writeFile(`${usersFile}.lock`, `${holder.pid}\n`);
      let ran = false;
      const failure = await withUsersFileLock(usersFile, async () => void (ran = true), { waitMs: 200 }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(UsersFileLockedError);
      expect((failure as UsersFileLockedError).code).toBe('USERS_FILE_LOCKED');
      expect((failure as Error).message).toContain(`${usersFile}.lock`);
      expect(ran).toBe(false);
      expect(await readFile(`${usersFile}.lock`, 'utf8')).toBe(`${holder.pid}\n`);
    } finally {
      holder.kill();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
