import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDfcConf } from '../../servers/cluster/cluster-files.js';
import { COMMANDS, runCli } from '../../src-main/cli/run-cli.js';
import { capturedIo } from '../helpers/captured-io.js';
import { TestCluster } from '../helpers/test-cluster.js';

describe('dfs-vault CLI', () => {
  let cluster: TestCluster;
  let conf: string;
  const cli = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const io = capturedIo(cluster.dir, env);
    const status = await runCli(args, io);
    return { status, out: io.out(), err: io.err() };
  };
  beforeAll(async () => {
    cluster = await TestCluster.start();
    conf = join(cluster.dir, 'dfc.conf');
    await writeFile(conf, renderDfcConf(cluster.servers, 'alice', 'wonderland'));
    await writeFile(join(cluster.dir, 'report.pdf'), randomBytes(123_456));
  });
  afterAll(async () => cluster.close());

  it('puts under the file name or a given path, lists, and gets byte for byte', async () => {
    expect(await cli(['put', '-c', conf, 'report.pdf'])).toMatchObject({ status: 0, out: 'Stored report.pdf (123 KB).\n' });
    expect((await cli(['put', '-c', conf, 'report.pdf', 'trips/2026/photo.jpg'])).status).toBe(0);
    const ls = await cli(['ls', '-c', conf]);
    expect(ls.status).toBe(0);
    expect(ls.out).toMatch(/^trips\/ .*\nreport\.pdf +123 KB +\d{4}-\d\d-\d\d \d\d:\d\d +4\/4 pieces\n$/);
    const json = await cli(['ls', '-c', conf, 'trips/2026', '--json']);
    expect(JSON.parse(json.out)).toEqual([
      { name: 'photo.jpg', type: 'file', size: 123_456, modified: expect.stringMatching(/^\d{4}-/), pieces: { good: 4, total: 4 } },
    ]);
    expect((await cli(['get', '-c', conf, 'report.pdf', 'copy.pdf'])).status).toBe(0);
    expect((await readFile(join(cluster.dir, 'copy.pdf'))).equals(await readFile(join(cluster.dir, 'report.pdf')))).toBe(true);
  });

  it('refuses to send a binary file to a terminal, writing nothing, but sends a text file there', async () => {
    await writeFile(join(cluster.dir, 'notes.txt'), 'shopping: eggs, flour\n');
    await writeFile(join(cluster.dir, 'image.bin'), Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(3000), randomBytes(20_000)]));
    expect((await cli(['put', '-c', conf, 'notes.txt'])).status).toBe(0);
    expect((await cli(['put', '-c', conf, 'image.bin'])).status).toBe(0);
    const onTerminal = async (name: string) => {
      const io = capturedIo(cluster.dir);
      Object.assign(io.stdout, { isTTY: true });
      const status = await runCli(['get', '-c', conf, name, '-'], io);
      return { status, out: io.out(), err: io.err() };
    };
    expect(await onTerminal('image.bin')).toMatchObject({
      status: 1,
      out: '',
      err: 'image.bin is binary and the output is a terminal, which it would garble; nothing was written. Pipe it (dfs-vault get image.bin - | …) or give a file name to save it as.\n',
    });
    expect(await onTerminal('notes.txt')).toMatchObject({ status: 0, out: 'shopping: eggs, flour\n' });
    // Into a pipe the bytes go as they are.
    expect((await cli(['get', '-c', conf, 'image.bin', '-'])).status).toBe(0);
  });

  it('warns after storing through a dfc.conf of one server that the file has no spare piece', async () => {
    const single = join(cluster.dir, 'single.conf');
    await writeFile(single, renderDfcConf(cluster.servers.slice(0, 1), 'alice', 'wonderland'));
    expect(await cli(['put', '-c', single, 'report.pdf', 'alone.pdf'])).toMatchObject({
      status: 0,
      out: 'Stored alone.pdf (123 KB).\n',
      err: 'Warning: dfc.conf names one server, so alone.pdf has no spare piece: losing that node loses it. With four servers any two can be lost.\n',
    });
    expect((await cli(['put', '-c', conf, 'report.pdf', 'spread.pdf'])).err).toBe('');
  });

  it('marks an unreadable file [incomplete] and get says "File is incomplete." with exit 1', async () => {
    await cli(['put', '-c', conf, 'report.pdf', 'fragile.bin']);
    for (const i of [0, 1, 2]) await cluster.stop(i);
    try {
      const ls = await cli(['ls', '-c', conf]);
      expect(ls.out).toMatch(/fragile\.bin \[incomplete\]/);
      expect(await cli(['get', '-c', conf, 'fragile.bin', 'nope.bin'])).toMatchObject({ status: 1, err: 'File is incomplete.\n' });
    } finally {
      for (const i of [0, 1, 2]) await cluster.restart(i);
    }
  });

  it('takes the password from DFS_PASSWORD when dfc.conf has none, and rejects a wrong one with exit 1', async () => {
    const bare = join(cluster.dir, 'bare.conf');
    await writeFile(bare, renderDfcConf(cluster.servers, 'alice'));
    expect((await cli(['ls', '-c', bare], { DFS_PASSWORD: 'wonderland' })).status).toBe(0);
    expect(await cli(['ls', '-c', bare], { DFS_PASSWORD: 'wrong' })).toMatchObject({ status: 1, err: 'Invalid Username/Password. Please try again.\n' });
    const noPassword = await cli(['ls', '-c', bare]);
    expect(noPassword.status).toBe(2);
    expect(noPassword.err).toContain(`No password given: put "Password: ..." in ${bare} or set DFS_PASSWORD, or run in a terminal to be asked.`);
  });

  it('runs mkdir, rm, check and repair with readable reports', async () => {
    expect(await cli(['mkdir', '-c', conf, 'albums/2025'])).toMatchObject({ status: 0, out: 'Created folder albums/2025/\n' });
    expect(await cli(['mkdir', '-c', conf, '/albums//2025/'])).toMatchObject({ status: 0, out: 'Created folder albums/2025/\n' });
    await cli(['put', '-c', conf, 'report.pdf', 'albums/2025/a.jpg']);
    // Folders show as folders, so their records are not taken for files.
    expect(await cli(['check', '-c', conf, 'albums'])).toMatchObject({ status: 0, out: 'albums/            4/4  healthy\nalbums/2025/       4/4  healthy\nalbums/2025/a.jpg  4/4  healthy\n' });
    expect(await cli(['rm', '-c', conf, 'albums'])).toMatchObject({ status: 0, out: 'Deleted albums/2025/a.jpg\nDeleted albums/2025\nDeleted albums\n' });
    const check = await cli(['check', '-c', conf, 'report.pdf']);
    expect(check).toMatchObject({ status: 0, out: 'report.pdf  4/4  healthy\n' });
    expect(await cli(['repair', '-c', conf])).toMatchObject({ status: 0, out: 'Nothing to repair: every file has all its pieces.\n' });
    expect(JSON.parse((await cli(['repair', '-c', conf, '--json'])).out)).toEqual([]);
    expect(JSON.parse((await cli(['check', '-c', conf, 'report.pdf', '--json'])).out)).toEqual([
      expect.objectContaining({ path: 'report.pdf', pieces: { good: 4, total: 4 }, health: 'healthy' }),
    ]);
  });

  it('repair names a node that is down once, not once for every file', async () => {
    await cluster.stop(3);
    try {
      expect(await cli(['repair', '-c', conf])).toMatchObject({
        status: 1,
        out: expect.stringMatching(/^DFS4 is not reachable, so \d+ pieces there could not be rebuilt; run "dfs-vault repair" again once it is back\.\n$/),
      });
    } finally {
      await cluster.restart(3);
    }
  });

  it('check and repair call a busy node busy, once, and say to repair again in a moment', async () => {
    await cluster.makeBusy(1, 'logins');
    try {
      const check = await cli(['check', '-c', conf, 'report.pdf']);
      expect(check).toMatchObject({ status: 1, out: expect.stringMatching(/^report\.pdf +3\/4 +degraded\n  piece \d on DFS2 +busy\n$/) });
      expect(await cli(['repair', '-c', conf])).toMatchObject({
        status: 1,
        out: expect.stringMatching(/^DFS2 is busy, so \d+ pieces there could not be rebuilt; run "dfs-vault repair" again in a moment\.\n$/),
      });
    } finally {
      await cluster.makeFree(1);
    }
  });

  it('takes a trailing "/" as a folder on either side, and names the file a download into a folder wrote', async () => {
    expect(await cli(['put', '-c', conf, 'report.pdf', 'inbox/'])).toMatchObject({ status: 0, out: 'Stored inbox/report.pdf (123 KB).\n' });
    await mkdir(join(cluster.dir, 'downloads'));
    expect(await cli(['get', '-c', conf, 'inbox/report.pdf', 'downloads'])).toMatchObject({
      status: 0,
      out: `Saved inbox/report.pdf to ${join(cluster.dir, 'downloads', 'report.pdf')} (123 KB).\n`,
    });
    expect(await cli(['get', '-c', conf, 'inbox/report.pdf', 'nowhere/'])).toMatchObject({
      status: 1,
      err: `There is no folder ${join(cluster.dir, 'nowhere')}/; create it first, or leave out the trailing "/" to save a file by that name.\n`,
    });
    expect(existsSync(join(cluster.dir, 'nowhere'))).toBe(false);
    expect(await cli(['get', '-c', conf, 'inbox/report.pdf', 'report.pdf/'])).toMatchObject({
      status: 1,
      err: `${join(cluster.dir, 'report.pdf')} is a file, not a folder; give a folder, or leave out the trailing "/" to replace that file.\n`,
    });
    expect(await cli(['get', '-c', conf, 'inbox/report.pdf', 'report.pdf/copy.pdf'])).toMatchObject({
      status: 1,
      err: `Cannot open ${join(cluster.dir, 'report.pdf', 'copy.pdf')}: part of the path is a file, not a folder.\n`,
    });
  });

  it('get over an existing file keeps its permissions, so a private file stays private', async () => {
    await writeFile(join(cluster.dir, 'id_key'), 'secret key', { mode: 0o600 });
    expect((await cli(['put', '-c', conf, 'id_key'])).status).toBe(0);
    await writeFile(join(cluster.dir, 'id_key'), 'stale');
    expect((await cli(['get', '-c', conf, 'id_key'])).status).toBe(0);
    expect(await readFile(join(cluster.dir, 'id_key'), 'utf8')).toBe('secret key');
    expect((await stat(join(cluster.dir, 'id_key'))).mode & 0o777).toBe(0o600);
    // A setuid program replaced by downloaded contents does not pass its privileges on.
    const { chmod } = await import('node:fs/promises');
    await chmod(join(cluster.dir, 'id_key'), 0o4755);
    expect((await cli(['get', '-c', conf, 'id_key'])).status).toBe(0);
    expect((await stat(join(cluster.dir, 'id_key'))).mode & 0o7777).toBe(0o755);
  });

  it('says in plain words that the disk is full, or that the reader of the output went away', async () => {
    expect((await cli(['put', '-c', conf, 'report.pdf', 'outbound.pdf'])).status).toBe(0);
    expect(await cli(['get', '-c', conf, 'outbound.pdf', '/dev/full'])).toMatchObject({
      status: 1,
      err: 'Could not write to /dev/full: the disk is full. The download stopped part way.\n',
    });
    const io = capturedIo(cluster.dir);
    io.stdout = new Writable({ write: (_chunk, _encoding, done) => done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })) });
    expect(await runCli(['get', '-c', conf, 'outbound.pdf', '-'], io)).toBe(1);
    expect(io.err()).toBe('Could not write to the output: the program reading the output stopped reading. The download stopped part way.\n');
  });

  it('exits 2 with the usage for bad usage, and 1 with one line for a failed operation', async () => {
    const unknown = await cli(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.err).toContain('unknown command "frobnicate"');
    const missing = await cli(['get', '-c', conf]);
    expect(missing.status).toBe(2);
    expect(missing.err).toMatch(/^dfs-vault get: Missing the vault path to download\.\n\nUsage: dfs-vault get/);
    const badFlag = await cli(['ls', '--colour']);
    expect(badFlag.status).toBe(2);
    expect(badFlag.err).toContain("Unknown option '--colour'");
    expect(await cli(['get', '-c', conf, 'no-such-file'])).toMatchObject({ status: 1, err: expect.stringMatching(/^No file named "no-such-file" in the vault\. .*\n$/) });
    expect(await cli(['put', '-c', conf, 'missing.txt'])).toMatchObject({ status: 1, err: expect.stringContaining('Cannot open') });
    expect(await cli(['ls', '-c', join(cluster.dir, 'absent.conf')])).toMatchObject({ status: 1, err: expect.stringContaining('Config file not found') });
    expect(await cli(['put', '-c', conf, 'report.pdf', '../up'])).toMatchObject({ status: 1, err: expect.stringContaining('contains ".."') });
    expect(await cli(['put', '-c', conf, 'report.pdf', 'two\nlines'])).toMatchObject({ status: 1, err: '"two\\nlines" contains a control character (such as NUL or a newline); rename it.\n' });
  });

  it('prints --help for every command, with exit 0', async () => {
    for (const command of COMMANDS) {
      const help = await cli([command.name, '--help']);
      expect(help.status).toBe(0);
      expect(help.out).toMatch(/^Usage: dfs-vault /);
    }
    expect((await cli(['--help'])).out).toContain('Commands:');
    expect(await cli(['help', 'get'])).toMatchObject({ status: 0, out: expect.stringMatching(/^Usage: dfs-vault get /) });
    // Without a command it is bad usage: the help goes to stderr, and stdout stays empty.
    expect(await cli([])).toMatchObject({ status: 2, out: '', err: expect.stringContaining('Commands:') });
  });

  it('prints its version and the protocol version its nodes speak, with exit 0', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V', 'version']) {
      expect(await cli([flag])).toMatchObject({ status: 0, out: `dfs-vault ${pkg.version} (protocol version 2)\n`, err: '' });
    }
  });

  it('adds a user to a users file, hashed, with the password from DFS_PASSWORD', async () => {
    const users = join(cluster.dir, 'users.conf');
    expect((await cli(['user', 'add', 'carol', '--users', users], { DFS_PASSWORD: 's3cret' })).status).toBe(0);
    const text = await readFile(users, 'utf8');
    expect(text).toMatch(/^carol SCRAM-SHA-256\$4096:/m);
    expect(text).not.toContain('s3cret');
    expect((await cli(['user', 'add', 'bad name', '--users', users], { DFS_PASSWORD: 'x' })).status).toBe(2);
    expect(await cli(['user', 'add', 'carol', '--users', cluster.dir], { DFS_PASSWORD: 's3cret' })).toMatchObject({
      status: 1,
      err: `${cluster.dir} is a folder; give the users file in it, such as --users ${join(cluster.dir, 'dfs.conf')}.\n`,
    });
  });

  it('keeps an existing user\'s password unless --replace, since their files open only with it', async () => {
    const users = join(cluster.dir, 'keep.conf');
    await writeFile(users, 'dave classic\n');
    // The same password again only hashes it (the classic line's upgrade).
    expect((await cli(['user', 'add', 'dave', '--users', users], { DFS_PASSWORD: 'classic' })).status).toBe(0);
    const hashed = await readFile(users, 'utf8');
    expect(hashed).toMatch(/^dave SCRAM-SHA-256\$/);
    expect(await cli(['user', 'add', 'dave', '--users', users], { DFS_PASSWORD: 'other' })).toMatchObject({
      status: 1,
      err: `dave already has another password in ${users}, and their files open only with it; nothing was changed. dave can change it with "dfs-vault passwd" (or "dfs-vault recover"); add --replace for an account without files.\n`,
    });
    expect(await readFile(users, 'utf8')).toBe(hashed);
    expect((await cli(['user', 'add', 'dave', '--users', users, '--replace'], { DFS_PASSWORD: 'other' })).status).toBe(0);
    expect(await readFile(users, 'utf8')).not.toBe(hashed);
  });

  /** A cluster folder whose dfs.conf has erin (password "first"); the users file and its text. */
  async function clusterFolderWithErin(name: string): Promise<{ dir: string; users: string; before: string }> {
    const dir = join(cluster.dir, name);
    await mkdir(dir);
    const users = join(dir, 'dfs.conf');
    expect((await cli(['user', 'add', 'erin', '--users', users], { DFS_PASSWORD: 'first' })).status).toBe(0);
    return { dir, users, before: await readFile(users, 'utf8') };
  }

  it('cluster refuses a folder another cluster runs in, in one line, and changes nothing there', async () => {
    const { dir, users, before } = await clusterFolderWithErin('busy-cluster');
    // A live process (the one that started this test) holds the folder, as a running "dfs-vault cluster" or the app does.
    await writeFile(join(dir, 'launcher.pid'), String(process.ppid));
    const refused = await cli(['cluster', '--dir', dir, '--user', 'erin:first', '--port', '0', '--host', 'nosuch.invalid']);
    expect(refused).toMatchObject({ status: 1, err: `A cluster is already running in ${dir} (process ${process.ppid}); stop it first, or give another --dir.\n` });
    expect(await readFile(users, 'utf8')).toBe(before);
  });

  it('cluster refuses to give an existing account another password, and changes nothing', async () => {
    const { dir, users, before } = await clusterFolderWithErin('other-cluster');
    // An unknown host makes the nodes fail to start at once, should the check be missing.
    const refused = await cli(['cluster', '--dir', dir, '--user', 'erin:typo', '--port', '0', '--host', 'nosuch.invalid']);
    expect(refused).toMatchObject({
      status: 1,
      err: `erin already has another password in ${users}, and their files open only with it. Give that password with --user, or change it with "dfs-vault passwd" once the cluster runs.\n`,
    });
    expect(await readFile(users, 'utf8')).toBe(before);
  });
});
