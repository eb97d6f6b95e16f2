import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDfcConf } from '../../servers/cluster/cluster-files.js';
import { runCli } from '../../src-main/cli/run-cli.js';
import { capturedIo } from '../helpers/captured-io.js';
import { TestCluster } from '../helpers/test-cluster.js';

/** A terminal whose keyboard types `typed` (answers separated by "\r"). */
function terminal(typed: string): PassThrough & { isTTY: boolean; setRawMode: (raw: boolean) => void } {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
  stdin.write(typed);
  return stdin;
}

describe('dfs-vault passwd, recovery-key and recover', () => {
  let cluster: TestCluster;
  let conf: string;
  const cli = async (args: string[], options: { env?: NodeJS.ProcessEnv; typed?: string } = {}) => {
    const io = capturedIo(cluster.dir, options.env);
    if (options.typed !== undefined) io.stdin = terminal(options.typed);
    const status = await runCli(args, io);
    return { status, out: io.out(), err: io.err() };
  };

  beforeAll(async () => {
    cluster = await TestCluster.start();
    conf = join(cluster.dir, 'dfc.conf');
    // No "Password:" line: every password is typed, as a person would.
    await writeFile(conf, renderDfcConf(cluster.servers, 'bob'));
    await writeFile(join(cluster.dir, 'plans.txt'), 'the plans');
    expect((await cli(['put', '-c', conf, 'plans.txt'], { env: { DFS_PASSWORD: 'builder' } })).status).toBe(0);
  });
  afterAll(async () => cluster.close());

  it('passwd asks for the current password and the new one twice, then only the new one works', async () => {
    const changed = await cli(['passwd', '-c', conf], { typed: 'builder\rcan we fix it\rcan we fix it\r' });
    expect(changed).toMatchObject({ status: 0, out: 'Password changed for bob on all 4 nodes. Files were not re-encrypted; your recovery key is unchanged.\n' });
    expect(changed.err).toBe('Current password for bob: \nNew password for bob: \nRepeat it: \n');
    expect(await cli(['ls', '-c', conf], { env: { DFS_PASSWORD: 'builder' } })).toMatchObject({ status: 1, err: 'Invalid Username/Password. Please try again.\n' });
    expect((await cli(['ls', '-c', conf], { env: { DFS_PASSWORD: 'can we fix it' } })).out).toContain('plans.txt');
    // Back to the password the other tests use.
    expect((await cli(['passwd', '-c', conf], { env: { DFS_PASSWORD: 'can we fix it', DFS_NEW_PASSWORD: 'builder' } })).status).toBe(0);
  });

  it('passwd refuses differing new passwords with exit 2 and changes nothing', async () => {
    const refused = await cli(['passwd', '-c', conf], { typed: 'builder\rone\rother\r' });
    expect(refused.status).toBe(2);
    expect(refused.err).toContain('The two passwords differ; nothing was changed.');
    expect((await cli(['ls', '-c', conf], { env: { DFS_PASSWORD: 'builder' } })).status).toBe(0);
  });

  it('passwd refuses a new password that is the current one, rather than report a change', async () => {
    const same = await cli(['passwd', '-c', conf], { env: { DFS_PASSWORD: 'builder', DFS_NEW_PASSWORD: 'builder' } });
    expect(same.status).toBe(2);
    expect(same.out).toBe('');
    expect(same.err).toMatch(/^dfs-vault passwd: The new password is the same as the current one; nothing was changed\.\n/);
  });

  it('passwd stops at Ctrl-C with exit 130 and no usage text, and without a terminal names where the new password can come from', async () => {
    expect(await cli(['passwd', '-c', conf], { typed: 'builder\rhalf\u0003' })).toMatchObject({
      status: 130,
      err: 'Current password for bob: \nNew password for bob: \nCancelled; nothing was changed.\n',
    });
    const untyped = await cli(['passwd', '-c', conf], { env: { DFS_PASSWORD: 'builder' } });
    expect(untyped.status).toBe(2);
    expect(untyped.err).toMatch(/^dfs-vault passwd: No new password given: set DFS_NEW_PASSWORD, or run in a terminal to be asked\.\n/);
    expect((await cli(['ls', '-c', conf], { env: { DFS_PASSWORD: 'builder' } })).status).toBe(0);
  });

  it('passwd refuses while a node is down, saying which, and the password stays', async () => {
    await cluster.stop(3);
    try {
      const refused = await cli(['passwd', '-c', conf], { env: { DFS_PASSWORD: 'builder', DFS_NEW_PASSWORD: 'new' } });
      expect(refused.status).toBe(1);
      expect(refused.err).toMatch(/^Changing the password needs every node, and DFS4 .* is not reachable\. Nothing was changed; try again when every node is up\.\n$/);
    } finally {
      await cluster.restart(3);
    }
    expect((await cli(['ls', '-c', conf], { env: { DFS_PASSWORD: 'builder' } })).status).toBe(0);
  });

  it('passwd refuses while a node is busy, saying so and to try again in a moment, and the password stays', async () => {
    await cluster.makeBusy(1, 'logins');
    try {
      const refused = await cli(['passwd', '-c', conf], { env: { DFS_PASSWORD: 'builder', DFS_NEW_PASSWORD: 'new' } });
      expect(refused).toMatchObject({
        status: 1,
        err: 'Changing the password needs every node, and DFS2 (too many connections from 127.0.0.1 are waiting to log in) is busy. Nothing was changed; try again in a moment.\n',
      });
    } finally {
      await cluster.makeFree(1);
    }
    expect((await cli(['ls', '-c', conf], { env: { DFS_PASSWORD: 'builder' } })).status).toBe(0);
  });

  it('recovery-key warns that a busy node cannot take the key yet, and to run it again in a moment', async () => {
    await cluster.makeBusy(2, 'users-file');
    try {
      const shown = await cli(['recovery-key', '-c', conf], { env: { DFS_PASSWORD: 'builder' } });
      expect(shown.status).toBe(0);
      expect(shown.err).toBe('Warning: DFS3 was busy, so the key cannot reset the password there yet. Run "dfs-vault recovery-key" again in a moment.\n');
    } finally {
      await cluster.makeFree(2);
    }
  });

  it('recovery-key needs the typed password; recover then sets a new one from the key', async () => {
    expect(await cli(['recovery-key', '-c', conf], { typed: 'wrong\r' })).toMatchObject({ status: 1, err: 'Confirm the password for bob: \nInvalid Username/Password. Please try again.\n' });
    const shown = await cli(['recovery-key', '-c', conf], { typed: 'builder\r' });
    expect(shown.status).toBe(0);
    const key = /\n {4}([0-9A-Z-]{65})\n/.exec(shown.out)?.[1];
    expect(key).toBeDefined();
    expect(shown.out).toContain('Anyone with this key can open your vault. Keep it somewhere safe, away from this computer.');

    const recovered = await cli(['recover', '-c', conf], { typed: `${key!.toLowerCase()}\rfresh start\rfresh start\r` });
    expect(recovered).toMatchObject({ status: 0, out: 'Password reset for bob on all 4 nodes. Log in with the new password.\n' });
    expect((await cli(['ls', '-c', conf], { env: { DFS_PASSWORD: 'builder' } })).status).toBe(1);
    expect((await cli(['ls', '-c', conf], { env: { DFS_PASSWORD: 'fresh start' } })).out).toContain('plans.txt');

    const typo = await cli(['recover', '-c', conf], { env: { DFS_RECOVERY_KEY: key!.replace(/^./, (c) => (c === 'Z' ? 'Y' : 'Z')), DFS_NEW_PASSWORD: 'x' } });
    expect(typo).toMatchObject({ status: 1, err: expect.stringContaining('check the recovery key for typos') });
  });
});
