import { randomBytes } from 'node:crypto';
import { open, readFile, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { RECOVERY_LOGIN_SUFFIX } from '../protocol/constants.js';
import {
  createVerifier,
  formatVerifier,
  parseVerifier,
  SCRAM_MIN_ITERATIONS,
  type ScramVerifier,
  verifierAccepts,
} from '../protocol/scram.js';
import { fsyncDirectory, isErrno } from './durable-files.js';
import { withUsersFileLock } from './users-file-lock.js';

/** What reading a users file yields: the users, and messages for people (nothing throws on bad lines). */
export interface UsersFile {
  users: Map<string, ScramVerifier>;
  warnings: string[];
  errors: string[];
}

const USERNAME_CHARS = /^[A-Za-z0-9._@-]+$/;
const MAX_USERNAME_LENGTH = 64;
const VERIFIER_PREFIX = 'SCRAM-SHA-256$';

/** The user whose space a login name opens: itself, or the owner of a recovery login. */
export function accountOf(loginName: string): string {
  return loginName.endsWith(RECOVERY_LOGIN_SUFFIX) ? loginName.slice(0, -RECOVERY_LOGIN_SUFFIX.length) : loginName;
}

/** Returns why `name` is not a valid username, or undefined if it is (1–64 of A-Z a-z 0-9 . _ @ -). */
export function validateUsername(name: string): string | undefined {
  if (name.length === 0) return 'A username cannot be empty.';
  if (name.length > MAX_USERNAME_LENGTH) {
    return `The username "${name.slice(0, 20)}…" is longer than ${MAX_USERNAME_LENGTH} characters.`;
  }
  if (!USERNAME_CHARS.test(name)) {
    return `The username "${name}" may contain only letters, digits, ".", "_", "@" and "-".`;
  }
  return undefined;
}

/** Parses `dfs.conf` text: `name SCRAM-SHA-256$…` lines, or classic `name password` lines (hashed in memory, with a warning). */
export function parseUsersFile(text: string, source = 'dfs.conf'): UsersFile {
  const users = new Map<string, ScramVerifier>();
  const firstLine = new Map<string, number>();
  const warnings: string[] = [];
  const errors: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);

  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const where = `${source} line ${lineNo}`;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    const [name = '', secret, pendingText] = fields;
    const hashedPair = fields.length === 3 && secret?.startsWith(VERIFIER_PREFIX) && pendingText?.startsWith(VERIFIER_PREFIX);
    if ((fields.length !== 2 && !hashedPair) || secret === undefined) {
      errors.push(
        `${where}: expected "<name> <password>" or "<name> SCRAM-SHA-256$…", but found ${fields.length} field${fields.length === 1 ? '' : 's'}` +
          (fields.length > 2 ? '; a password containing spaces must be stored hashed (dfs-vault user add).' : '.'),
      );
      return;
    }
    const recovery = name.endsWith(RECOVERY_LOGIN_SUFFIX);
    const nameProblem = validateUsername(accountOf(name));
    if (nameProblem) {
      errors.push(`${where}: ${nameProblem}`);
      return;
    }
    if (recovery && (!secret.startsWith(VERIFIER_PREFIX) || pendingText !== undefined)) {
      errors.push(`${where}: a recovery login is stored as one SCRAM-SHA-256 verifier, written by "dfs-vault recovery-key".`);
      return;
    }

    let verifier: ScramVerifier;
    if (secret.startsWith(VERIFIER_PREFIX)) {
      const parsed = parseVerifier(secret);
      if (!parsed) {
        errors.push(
          `${where}: the SCRAM-SHA-256 verifier for "${name}" is malformed; expected SCRAM-SHA-256$<iterations>:<base64 salt>$<base64 StoredKey>:<base64 ServerKey>.`,
        );
        return;
      }
      if (parsed.iterations < SCRAM_MIN_ITERATIONS) {
        // Clients refuse fewer iterations (downgrade protection), so this user could never log in.
        errors.push(
          `${where}: the verifier for "${name}" uses ${parsed.iterations} iterations; clients require at least ${SCRAM_MIN_ITERATIONS}. Store the password again with "dfs-vault user add ${name} --users ${source}".`,
        );
        return;
      }
      verifier = parsed;
      if (pendingText !== undefined) {
        const pending = parseVerifier(pendingText);
        if (!pending || pending.iterations !== parsed.iterations || !pending.salt.equals(parsed.salt)) {
          errors.push(`${where}: the pending password of "${name}" is malformed or does not share the current one's salt and iterations; the change cannot finish, so it is ignored.`);
        } else {
          verifier = { ...parsed, pending: { storedKey: pending.storedKey, serverKey: pending.serverKey } };
        }
      }
    } else {
      verifier = createVerifier(secret);
      warnings.push(
        `${where}: the password for "${name}" is stored in plain text; run "dfs-vault user add ${name} --users ${source}" to store it hashed.`,
      );
    }

    const earlier = firstLine.get(name);
    if (earlier !== undefined) {
      warnings.push(`${where}: "${name}" is already listed on line ${earlier}; this later line wins.`);
    } else {
      firstLine.set(name, lineNo);
    }
    users.set(name, verifier);
  });

  return { users, warnings, errors };
}

/** Reads and parses a users file; a missing file is an Error (code 'ENOENT') that says how to create it. */
export async function loadUsersFile(path: string): Promise<UsersFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) {
      const missing = new Error(
        `Users file not found: ${path}. Create it with "dfs-vault user add <name> --users ${path}".`,
        { cause: err },
      );
      throw Object.assign(missing, { code: 'ENOENT' });
    }
    throw err;
  }
  return parseUsersFile(text, path);
}

/** Adds `username` unless the file already has it (an existing password is never replaced); true when added. */
export async function addUserIfMissing(path: string, username: string, password: string): Promise<boolean> {
  try {
    if ((await loadUsersFile(path)).users.has(username)) return false;
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
  }
  await upsertUser(path, username, password);
  return true;
}

/**
 * Whether the users file at `path` already gives `username` a password other than `password` (a missing
 * file holds nobody). Replacing it would lock the user out: their vault key opens only with the old one.
 */
export async function holdsOtherPassword(path: string, username: string, password: string): Promise<boolean> {
  let file: UsersFile;
  try {
    file = await loadUsersFile(path);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return false;
    throw err;
  }
  const verifier = file.users.get(username);
  return verifier !== undefined && !verifierAccepts(verifier, password);
}

/** Adds or replaces one user's line with its hashed form, keeping every other line; atomic, creates the file (0600) if missing. */
export async function upsertUser(
  path: string,
  username: string,
  password: string,
  options: { iterations?: number } = {},
): Promise<void> {
  const nameProblem = validateUsername(username);
  if (nameProblem) throw new Error(nameProblem);
  if (password.length === 0) throw new Error('A password cannot be empty.');
  await saveVerifier(path, username, createVerifier(password, options));
}

/** One users-file line: the name, the verifier, and the pending one of a password change in progress. */
export function formatUserLine(loginName: string, verifier: ScramVerifier): string {
  const current = formatVerifier(verifier);
  return verifier.pending ? `${loginName} ${current} ${formatVerifier({ ...verifier, ...verifier.pending })}` : `${loginName} ${current}`;
}

/**
 * Writes `loginName`'s line (a user, or a user's recovery login) with `verifier`, keeping every other
 * line; atomic, and locked against other processes sharing the file.
 */
export async function saveVerifier(path: string, loginName: string, verifier: ScramVerifier): Promise<void> {
  await updateVerifier(path, loginName, async () => verifier);
}

/** What to write for a login name, decided while the users file is locked: a verifier, or undefined to leave the file as it is. */
export type VerifierUpdate = () => Promise<ScramVerifier | undefined>;

/**
 * saveVerifier with the verifier worked out under the lock, so that `update` sees the users as they are
 * then (through the node's watcher, which rereads a changed file) and a change made meanwhile by another
 * process, such as an administrator's reset or a user's removal, is seen, not written over. True when it
 * wrote; an error thrown by `update` leaves the file alone and is rethrown.
 */
export async function updateVerifier(path: string, loginName: string, update: VerifierUpdate): Promise<boolean> {
  const nameProblem = validateUsername(accountOf(loginName));
  if (nameProblem) throw new Error(nameProblem);
  return withUsersFileLock(path, async () => {
    const verifier = await update();
    if (!verifier) return false;
    const { text, mode } = await readForRewrite(path);
    await rewriteLine(path, text, mode, loginName, formatUserLine(loginName, verifier));
    return true;
  });
}

/** The users file's text ('' if it does not exist yet) and the permissions to keep for it. */
async function readForRewrite(path: string): Promise<{ text: string; mode: number }> {
  try {
    const text = await readFile(path, 'utf8');
    // Keep the permissions the administrator chose for an existing file.
    return { text, mode: (await stat(path)).mode & 0o777 };
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
    return { text: '', mode: 0o600 };
  }
}

async function rewriteLine(path: string, text: string, mode: number, loginName: string, newLine: string): Promise<void> {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text === '' ? [] : text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();

  const out: string[] = [];
  let replaced = false;
  for (const line of lines) {
    if (lineUser(line) !== loginName) {
      out.push(line);
    } else if (!replaced) {
      out.push(newLine);
      replaced = true;
    }
    // Later duplicates are dropped: the last line wins, and it would override the new one.
  }
  if (!replaced) out.push(newLine);

  await writeAtomically(path, out.join(eol) + eol, mode);
}

function lineUser(line: string): string | undefined {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  return trimmed.split(/\s+/)[0];
}

/** Random bytes in a temp file's name (as hex, twice as many characters). */
const TEMP_ID_BYTES = 6;

/** writeAtomically's temp file for `path`: beside it, named after it and after the writing process. */
function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(TEMP_ID_BYTES).toString('hex')}.tmp`);
}

/** The names of writeAtomically's temp files for `path` now in its folder. */
async function tempFilesOf(path: string): Promise<string[]> {
  const prefix = `.${basename(path)}.`;
  const rest = new RegExp(`^\\d+\\.[0-9a-f]{${2 * TEMP_ID_BYTES}}\\.tmp$`);
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  return names.filter((name) => name.startsWith(prefix) && rest.test(name.slice(prefix.length)));
}

/** Removes `names` from `path`'s folder (each may be gone already); returns how many this call removed. */
async function removeFromFolderOf(path: string, names: readonly string[]): Promise<number> {
  let removed = 0;
  for (const name of names) {
    await unlink(join(dirname(path), name)).then(
      () => removed++,
      () => undefined,
    );
  }
  return removed;
}

/**
 * Removes the temp files a writer of `path` left when it died between writing and renaming (a crash, a
 * power cut); returns how many. Every writer holds the users-file lock while its temp file exists, so
 * those still there once this holds the lock were abandoned, whichever process (or container) made them.
 * The lock is taken only when there is something to remove: a node's start needs no write access to a
 * users file's folder otherwise.
 */
export async function removeAbandonedTemps(path: string): Promise<number> {
  if ((await tempFilesOf(path)).length === 0) return 0;
  return withUsersFileLock(path, async () => removeFromFolderOf(path, await tempFilesOf(path)));
}

/** Replaces `path` with `content` through a temp file. Called with the users-file lock held (see updateVerifier). */
async function writeAtomically(path: string, content: string, mode: number): Promise<void> {
  const dir = dirname(path);
  // Under the lock, any temp file of another writer is a leftover (see removeAbandonedTemps).
  await removeFromFolderOf(path, await tempFilesOf(path));
  // Same directory as the target, so the rename cannot cross file systems.
  const temp = tempPathFor(path);
  const handle = await open(temp, 'wx', mode);
  try {
    try {
      await handle.writeFile(content, 'utf8');
      await handle.chmod(mode); // open()'s mode is filtered by the umask
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  // Makes the rename itself durable; some platforms (Windows) cannot open a directory, which is fine.
  await fsyncDirectory(dir).catch(() => undefined);
}
