import { stat } from 'node:fs/promises';
import type { ScramVerifier } from '../protocol/scram.js';
import { loadUsersFile } from './user-store.js';

/**
 * Serves user verifiers from a users file, reloading it whenever it changes on disk, so that
 * `dfs-vault user add` takes effect without restarting the node. Warnings are logged once per load.
 */
export function watchUsersFile(path: string, log: (line: string) => void): () => Promise<(username: string) => ScramVerifier | undefined> {
  let stamp = '';
  let users = new Map<string, ScramVerifier>();
  let loading: Promise<void> | undefined;
  const reload = async (): Promise<void> => {
    const info = await stat(path).catch(() => undefined);
    const next = info ? `${info.mtimeMs}:${info.size}:${info.ino}` : 'missing';
    if (next === stamp) return;
    if (!info) {
      users = new Map();
      stamp = next;
      log(`users file ${path} is missing; every login will fail until it exists`);
      return;
    }
    const loaded = await loadUsersFile(path);
    for (const line of [...loaded.warnings, ...loaded.errors]) log(line);
    users = loaded.users;
    // Only now: a load that failed (EMFILE, EIO) is tried again at the next login, rather than the old
    // verifiers being served until the file next changes.
    stamp = next;
  };
  return async () => {
    loading ??= reload().finally(() => {
      loading = undefined;
    });
    await loading;
    return (username) => users.get(username);
  };
}
