import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clusterSecretPath, loadClusterSecret } from '../../../servers/node/cluster-secret.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dfs-secret-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cluster secret', () => {
  it('is made once beside the users file, readable by its owner only, and read back unchanged', async () => {
    const usersFile = join(dir, 'dfs.conf');
    const secret = await loadClusterSecret(usersFile);
    expect(secret).toHaveLength(32);
    expect(clusterSecretPath(usersFile)).toBe(join(dir, 'dfs.conf.secret'));
    expect((await stat(clusterSecretPath(usersFile))).mode & 0o777).toBe(0o600);
    expect(await readFile(clusterSecretPath(usersFile), 'utf8')).toBe(`${secret.toString('hex')}\n`);
    expect(await loadClusterSecret(usersFile)).toEqual(secret);
  });

  it('is one secret for nodes that start at the same moment, with no temp file left', async () => {
    const usersFile = join(dir, 'dfs.conf');
    const secrets = await Promise.all(Array.from({ length: 8 }, () => loadClusterSecret(usersFile)));
    for (const secret of secrets) expect(secret).toEqual(secrets[0]);
    expect(await readdir(dir)).toEqual(['dfs.conf.secret']);
  });

  it('differs between users files, so it cannot be worked out from what clients see', async () => {
    expect(await loadClusterSecret(join(dir, 'a.conf'))).not.toEqual(await loadClusterSecret(join(dir, 'b.conf')));
  });

  it('refuses a file that holds no secret, saying what to do', async () => {
    const usersFile = join(dir, 'dfs.conf');
    await writeFile(clusterSecretPath(usersFile), 'not a secret\n');
    await expect(loadClusterSecret(usersFile)).rejects.toThrow(
      `${clusterSecretPath(usersFile)} does not hold a node secret (64 hex digits). Copy it from another node that shares the users file, or remove it to have a new one made.`,
    );
  });

  it('names a missing folder of the users file as the thing to fix', async () => {
    const usersFile = join(dir, 'absent', 'dfs.conf');
    await expect(loadClusterSecret(usersFile)).rejects.toThrow(`There is no folder ${join(dir, 'absent')} for the users file and its secret; create it, or give another --users.`);
  });
});
