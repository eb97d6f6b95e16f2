import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rename, rm, stat, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVerifier, formatVerifier, parseVerifier, ScramClient, ScramServer } from '../../../servers/protocol/scram.js';
import type { ScramVerifier } from '../../../servers/protocol/scram.js';
import { accountOf, formatUserLine, loadUsersFile, parseUsersFile, removeAbandonedTemps, saveVerifier, upsertUser, validateUsername } from '../../../servers/node/user-store.js';
import { withUsersFileLock } from '../../../servers/node/users-file-lock.js';
import { exitedPid } from '../../helpers/processes.js';

const PENCIL_VERIFIER =
  'SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=';

function canLogIn(verifier: ScramVerifier | undefined, username: string, password: string): boolean {
  const client = new ScramClient(username, password);
  const server = new ScramServer((name) => (name === username ? verifier : undefined));
  const result = server.serverFinal(client.clientFinal(server.serverFirst(client.clientFirst())));
  return result.ok;
}

describe('validateUsername', () => {
  it('accepts letters, digits and . _ @ - up to 64 characters', () => {
    expect(validateUsername('Alice')).toBeUndefined();
    expect(validateUsername('bob.smith_2@example-host')).toBeUndefined();
    expect(validateUsername('x'.repeat(64))).toBeUndefined();
  });

  it('explains what is wrong with an empty, long or oddly spelled name', () => {
    expect(validateUsername('')).toMatch(/empty/);
    expect(validateUsername('x'.repeat(65))).toMatch(/64/);
    expect(validateUsername('al ice')).toMatch(/only letters, digits/);
    expect(validateUsername('al,ice')).toMatch(/only letters, digits/);
    expect(validateUsername('älice')).toMatch(/only letters, digits/);
  });
});

describe('parseUsersFile', () => {
  it('reads a classic plaintext line as a working verifier, with a warning that says how to fix it', () => {
    const { users, warnings, errors } = parseUsersFile('# users\nAlice SimplePassword\n');
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      'dfs.conf line 2: the password for "Alice" is stored in plain text; run "dfs-vault user add Alice --users dfs.conf" to store it hashed.',
    ]);
    expect(canLogIn(users.get('Alice'), 'Alice', 'SimplePassword')).toBe(true);
    expect(canLogIn(users.get('Alice'), 'Alice', 'simplepassword')).toBe(false);
  });

  it('names the given source in its messages', () => {
    const { warnings } = parseUsersFile('Alice pw', '/etc/dfs/dfs.conf');
    expect(warnings[0]).toBe(
      '/etc/dfs/dfs.conf line 1: the password for "Alice" is stored in plain text; run "dfs-vault user add Alice --users /etc/dfs/dfs.conf" to store it hashed.',
    );
  });

  it('reads a hashed line exactly, without warnings', () => {
    const { users, warnings, errors } = parseUsersFile(`alice ${PENCIL_VERIFIER}\n`);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(users.get('alice')).toEqual(parseVerifier(PENCIL_VERIFIER));
    expect(canLogIn(users.get('alice'), 'alice', 'pencil')).toBe(true);
  });

  it('ignores blank lines, comments and surrounding whitespace, and accepts CRLF line ends', () => {
    const text = '\uFEFF# header\r\n\r\n   \r\n  # indented comment\r\n\talice   ' + PENCIL_VERIFIER + '  \r\nBob pw\r\n';
    const { users, errors } = parseUsersFile(text);
    expect(errors).toEqual([]);
    expect([...users.keys()]).toEqual(['alice', 'Bob']);
  });

  it('treats usernames as case-sensitive', () => {
    const { users } = parseUsersFile('alice a\nAlice b\n');
    expect(users.size).toBe(2);
  });

  it('reports malformed lines by number and keeps the good ones, without throwing', () => {
    const text = [
      'alice pw', // 1
      'lonely', // 2
      'bob has spaces in pw', // 3
      'b@d! pw', // 4
      'carol SCRAM-SHA-256$4096:notbase64!$x:y', // 5
      `dave ${formatVerifier({ ...createVerifier('x'), iterations: 1000 })}`, // 6
      'erin pw', // 7
    ].join('\n');
    const { users, errors } = parseUsersFile(text);
    expect([...users.keys()]).toEqual(['alice', 'erin']);
    expect(errors).toHaveLength(5);
    expect(errors[0]).toMatch(/^dfs\.conf line 2: expected "<name> <password>".*found 1 field\.$/);
    expect(errors[1]).toMatch(/^dfs\.conf line 3: .*found 5 fields; a password containing spaces must be stored hashed/);
    expect(errors[2]).toMatch(/^dfs\.conf line 4: The username "b@d!" may contain only/);
    expect(errors[3]).toMatch(/^dfs\.conf line 5: the SCRAM-SHA-256 verifier for "carol" is malformed/);
    expect(errors[4]).toMatch(/^dfs\.conf line 6: the verifier for "dave" uses 1000 iterations; clients require at least 4096/);
  });

  it('lets the last of duplicate names win, with a warning', () => {
    const { users, warnings, errors } = parseUsersFile(`alice first\nalice ${PENCIL_VERIFIER}\n`);
    expect(errors).toEqual([]);
    expect(users.get('alice')).toEqual(parseVerifier(PENCIL_VERIFIER));
    expect(warnings).toContain('dfs.conf line 2: "alice" is already listed on line 1; this later line wins.');
  });
});

describe('users files on disk', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dfs-vault-users-'));
    file = join(dir, 'dfs.conf');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loading a missing file says how to create it and keeps ENOENT', async () => {
    const err: unknown = await loadUsersFile(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(
      `Users file not found: ${file}. Create it with "dfs-vault user add <name> --users ${file}".`,
    );
    expect(((err as Error).cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('loading a file parses it with the path as the source of messages', async () => {
    await writeFile(file, 'Alice pw\n');
    const { users, warnings } = await loadUsersFile(file);
    expect(users.has('Alice')).toBe(true);
    expect(warnings[0]).toMatch(new RegExp(`^${file.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')} line 1: `));
  });

  it('upserting into a missing file creates it with mode 0600 and a hashed line', async () => {
    await upsertUser(file, 'alice', 'pencil');
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^alice SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+\n$/);
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    const { users, warnings, errors } = await loadUsersFile(file);
    expect(warnings).toEqual([]);
    expect(errors).toEqual([]);
    expect(canLogIn(users.get('alice'), 'alice', 'pencil')).toBe(true);
  });

  it('upserting replaces only that user\u2019s line and keeps comments and other lines as they were', async () => {
    const before = ['# DFS Vault users', '', 'Alice SimplePassword', '  # bob is next', 'bob  oldpw', 'carol ' + PENCIL_VERIFIER, ''];
    await writeFile(file, before.join('\n'));
    await upsertUser(file, 'bob', 'newpw', { iterations: 4096 });
    const after = (await readFile(file, 'utf8')).split('\n');
    expect(after).toHaveLength(before.length);
    after.forEach((line, i) => {
      if (i === 4) expect(line).toMatch(/^bob SCRAM-SHA-256\$4096:/);
      else expect(line).toBe(before[i]);
    });
    const { users } = await loadUsersFile(file);
    expect(canLogIn(users.get('bob'), 'bob', 'newpw')).toBe(true);
    expect(canLogIn(users.get('bob'), 'bob', 'oldpw')).toBe(false);
  });

  it('upserting is idempotent: doing it twice leaves one line for the user and the rest untouched', async () => {
    await writeFile(file, '# users\nAlice pw\n');
    await upsertUser(file, 'dan', 'secret');
    const once = (await readFile(file, 'utf8')).split('\n');
    await upsertUser(file, 'dan', 'secret');
    const twice = (await readFile(file, 'utf8')).split('\n');
    expect(twice).toHaveLength(once.length);
    expect(twice.slice(0, 2)).toEqual(['# users', 'Alice pw']);
    expect(twice.filter((l) => l.startsWith('dan '))).toHaveLength(1);
    const { users } = await loadUsersFile(file);
    expect(canLogIn(users.get('dan'), 'dan', 'secret')).toBe(true);
  });

  it('upserting removes later duplicates of the user, which would otherwise override the new line', async () => {
    await writeFile(file, 'eve one\nAlice pw\neve two\n');
    await upsertUser(file, 'eve', 'three');
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^eve SCRAM-SHA-256\$/);
    expect(lines[1]).toBe('Alice pw');
  });

  it('upserting keeps CRLF line ends and an existing file\u2019s mode, and leaves no temp files behind', async () => {
    await writeFile(file, '# crlf\r\nAlice pw\r\n', { mode: 0o640 });
    await upsertUser(file, 'frank', 'pw');
    const text = await readFile(file, 'utf8');
    expect(text.startsWith('# crlf\r\nAlice pw\r\nfrank SCRAM-SHA-256$')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect(await readdir(dir)).toEqual(['dfs.conf']);
  });

  it('removes the temp files crashed writers left, whoever made them, and the next change does too', async () => {
    await writeFile(file, 'Alice pw\n');
    const dead = await exitedPid();
    // A process that is alive but holds no lock is not writing: every writer holds the lock while its temp file exists.
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      const temps = {
        dead: `.dfs.conf.${dead}.0123456789ab.tmp`,
        own: `.dfs.conf.${process.pid}.0123456789ab.tmp`,
        live: `.dfs.conf.${live.pid}.0123456789ab.tmp`,
        otherFile: `.other.conf.${dead}.0123456789ab.tmp`,
        notOurs: `.dfs.conf.${dead}.notes.tmp`,
      };
      for (const name of Object.values(temps)) await writeFile(join(dir, name), 'half a users file');
      expect(await removeAbandonedTemps(file)).toBe(3);
      expect((await readdir(dir)).sort()).toEqual(['dfs.conf', temps.notOurs, temps.otherFile].sort());
      // A crash during the next change leaves another; the change after it removes it on its way.
      await writeFile(join(dir, temps.dead), 'half a users file');
      await upsertUser(file, 'frank', 'pw');
      expect((await readdir(dir)).sort()).toEqual(['dfs.conf', temps.notOurs, temps.otherFile].sort());
      expect((await loadUsersFile(file)).users.has('frank')).toBe(true);
      expect(await removeAbandonedTemps(file)).toBe(0);
    } finally {
      live.kill();
    }
  });

  it('waits for a writer holding the lock, whose temp file is its write in progress, and leaves it to finish', async () => {
    await writeFile(file, 'Alice pw\n');
    const temp = join(dir, `.dfs.conf.${process.pid}.abcdefabcdef.tmp`);
    let cleanup: Promise<number> | undefined;
    await withUsersFileLock(file, async () => {
      await writeFile(temp, 'Alice pw\nbob pw\n');
      cleanup = removeAbandonedTemps(file);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await rename(temp, file);
    });
    expect(await cleanup).toBe(0);
    expect(await readFile(file, 'utf8')).toBe('Alice pw\nbob pw\n');
  });

  it('upserting refuses an invalid username, an empty password and too few iterations without touching the file', async () => {
    await writeFile(file, 'Alice pw\n');
    await expect(upsertUser(file, 'bad name', 'pw')).rejects.toThrow(/only letters, digits/);
    await expect(upsertUser(file, 'ok', '')).rejects.toThrow(/empty/);
    await expect(upsertUser(file, 'ok', 'pw', { iterations: 100 })).rejects.toThrow(RangeError);
    expect(await readFile(file, 'utf8')).toBe('Alice pw\n');
    expect(await readdir(dir)).toEqual(['dfs.conf']);
  });
});

describe('password changes and recovery logins in users files', () => {
  const current = createVerifier('old pencil');
  const next = createVerifier('new pencil', { salt: current.salt, iterations: current.iterations });
  const changing = { ...current, pending: { storedKey: next.storedKey, serverKey: next.serverKey } };

  it('writes a pending password as a third field and reads it back, both passwords logging in', () => {
    const line = formatUserLine('alice', changing);
    expect(line.split(' ')).toEqual(['alice', formatVerifier(current), formatVerifier(next)]);
    const { users, errors, warnings } = parseUsersFile(line);
    expect([errors, warnings]).toEqual([[], []]);
    expect(canLogIn(users.get('alice'), 'alice', 'old pencil')).toBe(true);
    expect(canLogIn(users.get('alice'), 'alice', 'new pencil')).toBe(true);
  });

  it('ignores a pending password whose salt differs, with an error, and keeps the current one', () => {
    const { users, errors } = parseUsersFile(`alice ${formatVerifier(current)} ${formatVerifier(createVerifier('new pencil'))}`);
    expect(errors).toEqual([expect.stringContaining('does not share the current one\'s salt')]);
    expect(canLogIn(users.get('alice'), 'alice', 'old pencil')).toBe(true);
    expect(canLogIn(users.get('alice'), 'alice', 'new pencil')).toBe(false);
  });

  it('reads "<name>/recovery" lines as the recovery login of that user, hashed only', () => {
    const { users, errors } = parseUsersFile(['alice/recovery ' + PENCIL_VERIFIER, 'bob/recovery plain-secret', 'x!y/recovery ' + PENCIL_VERIFIER].join('\n'));
    expect(canLogIn(users.get('alice/recovery'), 'alice/recovery', 'pencil')).toBe(true);
    expect(users.has('bob/recovery')).toBe(false);
    expect(errors).toEqual([expect.stringContaining('line 2: a recovery login is stored as one SCRAM-SHA-256 verifier'), expect.stringContaining('line 3: The username "x!y"')]);
    expect([accountOf('alice/recovery'), accountOf('alice')]).toEqual(['alice', 'alice']);
  });

  it('saves verifiers from many writers at once without losing any line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dfs-vault-users-'));
    try {
      const file = join(dir, 'dfs.conf');
      await writeFile(file, '# shared by four nodes\n');
      const names = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? `user${i}` : `user${i - 1}/recovery`));
      await Promise.all(names.map((name) => saveVerifier(file, name, current)));
      const { users, errors } = await loadUsersFile(file);
      expect(errors).toEqual([]);
      expect([...users.keys()].sort()).toEqual([...names].sort());
      expect((await readFile(file, 'utf8')).startsWith('# shared by four nodes\n')).toBe(true);
      expect((await readdir(dir)).sort()).toEqual(['dfs.conf']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
