import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { inTempDir } from '../../helpers/temp-dir.js';

// The first load fails as a transient error would (EMFILE, EIO); later ones read the file.
const failOnce = vi.hoisted(() => ({ pending: true }));
vi.mock('../../../servers/node/user-store.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../servers/node/user-store.js')>();
  return {
    ...real,
    loadUsersFile: async (path: string) => {
      if (failOnce.pending) {
        failOnce.pending = false;
        throw Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' });
      }
      return real.loadUsersFile(path);
    },
  };
});

const { watchUsersFile } = await import('../../../servers/node/users-file-watcher.js');
const { formatUserLine } = await import('../../../servers/node/user-store.js');
const { createVerifier } = await import('../../../servers/protocol/scram.js');

describe('watchUsersFile', () => {
  it('tries a users file again at the next lookup after a load failed, though the file has not changed', async () => {
    await inTempDir(async (dir) => {
      const path = join(dir, 'dfs.conf');
      await writeFile(path, `${formatUserLine('alice', createVerifier('wonderland', { iterations: 4096 }))}\n`);
      const lookup = watchUsersFile(path, () => undefined);
      await expect(lookup()).rejects.toThrow(/EMFILE/);
      expect((await lookup())('alice')).toBeDefined();
    });
  });
});
