import { randomBytes } from 'node:crypto';
import { link, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

const SECRET_BYTES = 32;
const SECRET_TEXT = /^[0-9a-f]{64}$/;

/** Where the secret of the nodes sharing `usersFile` is kept: beside it, as `<users file>.secret`. */
export function clusterSecretPath(usersFile: string): string {
  return `${usersFile}.secret`;
}

/**
 * The secret shared by every node that reads `usersFile`, made (32 random bytes, mode 0600) on first use.
 *
 * It seeds the fake SCRAM salt an unknown user is given, so that a login attempt does not tell a user
 * from a non-user. A fake salt must be as stable as a real one: the same from every node of a cluster
 * and across restarts. A secret per process was neither, so comparing two nodes, or one node before and
 * after a restart, gave non-users away. It is kept beside the users file because the nodes that share
 * users share that file (a local cluster's nodes read one dfs.conf; nodes on other hosts need a copy of
 * both files). It is random and never leaves the node, so no client can derive it. Deriving it from the
 * users file's contents instead was rejected: it would change whenever a user is added, and fake salts
 * that change while real ones stay put give non-users away again.
 */
export async function loadClusterSecret(usersFile: string): Promise<Buffer> {
  const path = clusterSecretPath(usersFile);
  for (;;) {
    const existing = await readSecret(path);
    if (existing) return existing;
    await createSecret(path);
  }
}

/** The secret in `path`, or undefined if there is no such file. */
async function readSecret(path: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (!SECRET_TEXT.test(text.trim())) {
    throw new Error(`${path} does not hold a node secret (64 hex digits). Copy it from another node that shares the users file, or remove it to have a new one made.`);
  }
  return Buffer.from(text.trim(), 'hex');
}

/**
 * Writes a new secret to a temp file, then links it in place: a node starting at the same moment sees
 * either no file or a whole one, and only one secret wins (ours, or another node's already there).
 */
async function createSecret(path: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${randomBytes(SECRET_BYTES).toString('hex')}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`There is no folder ${dirname(path)} for the users file and its secret; create it, or give another --users.`, { cause: error });
    }
    throw new Error(`Cannot create ${path} (${(error as Error).message}). The node keeps there the secret behind unknown users' logins; make its folder writable, or copy the file from another node that shares the users file.`, { cause: error });
  } finally {
    await rm(temp, { force: true });
  }
}
