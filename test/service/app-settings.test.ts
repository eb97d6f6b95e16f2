import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AppSettings, loadSettings, saveSettings } from '../../src-main/service/app-settings.js';

describe('app settings', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dfs-vault-settings-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const full: AppSettings = {
    lastUsed: { username: 'alice', target: { kind: 'addresses', addresses: ['127.0.0.1:10001', '127.0.0.1:10002'] } },
    remembered: { username: 'bob', target: { kind: 'config', path: '/home/bob/dfc.conf' } },
    localPorts: [10001, 10002, 10003, 10004],
  };

  it('loads what it saved', async () => {
    await saveSettings(dir, full);
    expect(await loadSettings(dir)).toStrictEqual(full);
  });

  it('overwrites earlier settings', async () => {
    await saveSettings(dir, full);
    await saveSettings(dir, { lastUsed: { username: 'carol', target: { kind: 'local' } } });
    expect(await loadSettings(dir)).toStrictEqual({ lastUsed: { username: 'carol', target: { kind: 'local' } } });
  });

  it('creates the folder when it does not exist yet', async () => {
    const nested = join(dir, 'a', 'b');
    await saveSettings(nested, full);
    expect(await loadSettings(nested)).toStrictEqual(full);
  });

  it('gives empty settings when there is no file', async () => {
    expect(await loadSettings(join(dir, 'never-written'))).toStrictEqual({});
  });

  it('gives empty settings for a file that is not JSON or not an object', async () => {
    for (const garbage of ['{"lastUsed": ', '\u0000\u0001binary', '', 'null', '42', '"text"']) {
      await writeFile(join(dir, 'settings.json'), garbage);
      expect(await loadSettings(dir), garbage).toStrictEqual({});
    }
  });

  it('drops invalid fields and keeps the valid ones', async () => {
    await writeFile(
      join(dir, 'settings.json'),
      JSON.stringify({
        lastUsed: { username: 'alice', target: { kind: 'cloud' } },
        remembered: { username: 'bob', target: { kind: 'local' } },
        localPorts: [10001, 70000],
        password: 'never kept',
      }),
    );
    expect(await loadSettings(dir)).toStrictEqual({ remembered: { username: 'bob', target: { kind: 'local' } } });
  });

  it('drops logins with a missing name or a malformed target', async () => {
    const logins = [
      { target: { kind: 'local' } },
      { username: 5, target: { kind: 'local' } },
      { username: 'a' },
      { username: 'a', target: null },
      { username: 'a', target: { kind: 'config' } },
      { username: 'a', target: { kind: 'addresses', addresses: '127.0.0.1:1' } },
      { username: 'a', target: { kind: 'addresses', addresses: [1] } },
      'alice',
      null,
    ];
    for (const login of logins) {
      await writeFile(join(dir, 'settings.json'), JSON.stringify({ lastUsed: login }));
      expect(await loadSettings(dir), JSON.stringify(login)).toStrictEqual({});
    }
  });

  it('drops local ports that are not integer port numbers', async () => {
    for (const localPorts of [[1.5], [-1], [65536], ['10001'], 'all', null]) {
      await writeFile(join(dir, 'settings.json'), JSON.stringify({ localPorts }));
      expect(await loadSettings(dir), JSON.stringify(localPorts)).toStrictEqual({});
    }
  });

  it('writes the file readable by its owner only', async () => {
    await saveSettings(dir, full);
    expect((await stat(join(dir, 'settings.json'))).mode & 0o777).toBe(0o600);
  });

  it('keeps the file owner-only when replacing a more open one', async () => {
    await writeFile(join(dir, 'settings.json'), '{}', { mode: 0o644 });
    await saveSettings(dir, full);
    expect((await stat(join(dir, 'settings.json'))).mode & 0o777).toBe(0o600);
  });

  it('leaves no temporary files behind', async () => {
    await saveSettings(dir, full);
    await saveSettings(dir, {});
    expect(await readdir(dir)).toEqual(['settings.json']);
  });

  it('writes readable JSON', async () => {
    await saveSettings(dir, { localPorts: [1] });
    expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'))).toStrictEqual({ localPorts: [1] });
  });
});
