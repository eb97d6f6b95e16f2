import type { OpenDialogOptions } from 'electron';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_NOT_GRANTED, type DialogLike, electronHostAdapter } from '../../src-main/main/dialogs.js';
import { FileGrants } from '../../src-main/main/file-grants.js';
import { type HostAdapter, browserHostFiles, createCallHandlers, dispatchCall } from '../../src-main/service/call-handlers.js';
import { VaultService } from '../../src-main/service/vault-service.js';
import type { CallName } from '../../src-main/shared/contract.js';
import { MAX_DFC_CONF_BYTES, unusableConfigMessage } from '../../src-main/vault/dfc-config.js';
import { RecordingCredentialStore } from '../helpers/recording-credential-store.js';
import { TestCluster, USERS } from '../helpers/test-cluster.js';

const SECRET = 's3cr3t-token';

/** A desktop host whose open dialog picks `picked` (or is cancelled). */
function desktopHost(picked?: string): HostAdapter {
  const dialog = {
    async showSaveDialog() {
      return { canceled: true };
    },
    async showOpenDialog(a: unknown, b?: OpenDialogOptions) {
      void a, b;
      return picked ? { canceled: false, filePaths: [picked] } : { canceled: true, filePaths: [] };
    },
  } as unknown as DialogLike;
  return electronHostAdapter({ dialog, downloadsDir: () => tmpdir(), parent: () => undefined, grants: new FileGrants() });
}

const browserHost = (): HostAdapter => ({ host: 'web', dialogs: false, ...browserHostFiles() });

describe('a dfc.conf named by the page', () => {
  let cluster: TestCluster;
  let dir: string;
  let good: string;
  const services: VaultService[] = [];

  beforeAll(async () => {
    cluster = await TestCluster.start();
    dir = await mkdtemp(join(tmpdir(), 'dfs-config-paths-'));
    good = join(dir, 'dfc.conf');
    await writeFile(good, cluster.servers.map((s) => `Server ${s.name} ${s.host}:${s.port}`).join('\n'));
    await writeFile(join(dir, 'token'), `Server DFS1 ${SECRET}\n`);
    await writeFile(join(dir, 'big'), `# ${'x'.repeat(MAX_DFC_CONF_BYTES)}\n`);
    await mkdir(join(dir, 'folder'));
  });

  afterAll(async () => {
    for (const service of services) await service.close();
    await cluster?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A page's calls through `host`, to a service keeping its settings in `dataDir`. */
  function page(host: HostAdapter, dataDir: string) {
    const service = new VaultService({ dataDir, credentials: new RecordingCredentialStore() });
    services.push(service);
    const handlers = createCallHandlers(service, host);
    return (name: CallName, request?: unknown) => dispatchCall(handlers, name, request);
  }

  const connect = (path: string) => ({ target: { kind: 'config', path }, username: 'alice', password: USERS.alice, remember: false });
  const recover = (path: string) => ({ target: { kind: 'config', path }, username: 'alice', recoveryKey: 'X'.repeat(55), newPassword: 'new password' });

  it('is read by the desktop app only once the user picked it, or after signing in with it', async () => {
    const dataDir = await mkdtemp(join(dir, 'desktop-'));
    const call = page(desktopHost(good), dataDir);
    const refused = { ok: false, error: { code: 'INVALID_REQUEST', message: CONFIG_NOT_GRANTED } };
    expect(await call('session.connect', connect(good))).toEqual(refused);
    expect(await call('account.recover', recover(good))).toEqual(refused);
    expect(await call('session.connect', connect(join(dir, 'token')))).toEqual(refused);

    expect(await call('dialogs.chooseConfigFile')).toEqual({ ok: true, value: { path: good } });
    expect(await call('session.connect', connect(good))).toMatchObject({ ok: true, value: { status: 'signed-in' } });

    // The next start of the app: nothing picked yet, but the service signed in with this file before.
    const nextRun = page(desktopHost(), dataDir);
    expect(await nextRun('session.connect', connect(good))).toMatchObject({ ok: true, value: { status: 'signed-in' } });
    expect(await nextRun('session.connect', connect(join(dir, 'token')))).toEqual(refused);
  });

  it('quotes nothing from a file the user picked, and gives no size', async () => {
    for (const [name, expected] of [
      ['token', `${join(dir, 'token')} line 1: the address is not HOST:PORT (for example 127.0.0.1:10001).`],
      ['big', `${join(dir, 'big')} is too large for a dfc.conf (at most ${MAX_DFC_CONF_BYTES} bytes); is it the right file?`],
    ] as const) {
      const path = join(dir, name);
      const call = page(desktopHost(path), await mkdtemp(join(dir, 'desktop-')));
      await call('dialogs.chooseConfigFile');
      expect(await call('session.connect', connect(path))).toEqual({ ok: false, error: { code: 'INVALID_CONFIG', message: expected } });
    }
  });

  it('is read by the browser host as typed, but a page learns only that a file could not be used', async () => {
    const call = page(browserHost(), await mkdtemp(join(dir, 'browser-')));
    const outcomes = [];
    for (const name of ['token', 'big', 'folder', 'missing']) {
      const path = join(dir, name);
      outcomes.push({ path, connect: await call('session.connect', connect(path)), recover: await call('account.recover', recover(path)) });
    }
    const said = JSON.stringify(outcomes);
    expect(said).not.toContain(SECRET);
    expect(said).not.toContain(String(MAX_DFC_CONF_BYTES + 3));
    for (const { path, ...answers } of outcomes) {
      const generic = { ok: false, error: { code: 'INVALID_CONFIG', message: unusableConfigMessage(path) } };
      expect(answers).toEqual({ connect: generic, recover: generic });
    }
    expect(await call('session.connect', connect(good))).toMatchObject({ ok: true, value: { status: 'signed-in' } });
  });
});
