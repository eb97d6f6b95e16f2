import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYCHAIN_SERVICE, keytarCredentialStore } from '../../src-main/service/credential-store.js';
import type { ChildInput, ChildReport, StepOutcome } from '../helpers/credential-store-child.js';
import { type PrivateKeyring, startPrivateBus, startPrivateKeyring } from '../helpers/private-keyring.js';

const NO_SERVICE_REASON =
  'No keychain service (Secret Service) is running on this machine, so the password cannot be remembered. Start GNOME Keyring or KWallet, or sign in each time.';

/** A password no file could contain by accident, so finding it anywhere means it was written there. */
function uniquePassword(): string {
  return `pw-${randomBytes(12).toString('hex')}`;
}

/** Every file under `dir` whose bytes contain `text`. */
async function filesContaining(dir: string, text: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path)).includes(text)) found.push(path);
  }
  return found;
}

describe('keytar credential store', () => {
  let keyring: PrivateKeyring;
  beforeAll(async () => {
    keyring = await startPrivateKeyring();
    // libsecret connects once per process, so the bus must be set before the first keychain call.
    keyring.apply();
  });
  afterAll(() => keyring?.stop());

  it('says a running keychain can store secrets', async () => {
    expect(await keytarCredentialStore().availability()).toEqual({ available: true });
  });

  it('remembers a password under the service "dfs-vault" and reads it back', async () => {
    const store = keytarCredentialStore();
    const password = uniquePassword();
    await store.save('alice', password);

    expect(await store.load('alice')).toBe(password);
    expect(KEYCHAIN_SERVICE).toBe('dfs-vault');
    expect(await keytar.getPassword('dfs-vault', 'alice')).toBe(password);
    expect(await keytar.findCredentials('dfs-vault')).toContainEqual({ account: 'alice', password });
  });

  it('replaces the remembered password when it is saved again', async () => {
    const store = keytarCredentialStore();
    await store.save('bob', uniquePassword());
    const newer = uniquePassword();
    await store.save('bob', newer);

    expect(await store.load('bob')).toBe(newer);
    expect((await keytar.findCredentials('dfs-vault')).filter((c) => c.account === 'bob')).toEqual([{ account: 'bob', password: newer }]);
  });

  it('forgets a remembered password', async () => {
    const store = keytarCredentialStore();
    await store.save('carol', uniquePassword());
    await store.forget('carol');

    expect(await store.load('carol')).toBeUndefined();
    expect(await keytar.getPassword('dfs-vault', 'carol')).toBeNull();
  });

  it('loads nothing for an account it never remembered', async () => {
    expect(await keytarCredentialStore().load('nobody-remembered')).toBeUndefined();
  });

  it('forgets an account it never remembered without complaint', async () => {
    await expect(keytarCredentialStore().forget('nobody-remembered')).resolves.toBeUndefined();
  });

  it('keeps passwords of another service name apart', async () => {
    const password = uniquePassword();
    await keytarCredentialStore({ service: 'dfs-vault-elsewhere' }).save('dave', password);

    expect(await keytarCredentialStore().load('dave')).toBeUndefined();
    expect(await keytar.getPassword('dfs-vault-elsewhere', 'dave')).toBe(password);
  });

  it('leaves no remembered password readable in any file of the keyring', async () => {
    const password = uniquePassword();
    await keytarCredentialStore().save('erin', password);

    expect(await keytar.getPassword('dfs-vault', 'erin')).toBe(password);
    expect(await filesContaining(keyring.dir, password)).toEqual([]);
  });

  it('refuses an empty account name with INVALID_REQUEST', async () => {
    await expect(keytarCredentialStore().save('', uniquePassword())).rejects.toMatchObject({ name: 'VaultError', code: 'INVALID_REQUEST' });
  });
});

describe.concurrent('keytar credential store without a usable keychain', () => {
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const childScript = join(import.meta.dirname, '../helpers/credential-store-child.ts');
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /** Runs store steps in a fresh process whose HOME, XDG folders, TMPDIR and cwd are an empty temp dir. */
  async function runInChild(env: NodeJS.ProcessEnv, input: ChildInput): Promise<ChildReport & { home: string }> {
    const home = await mkdtemp(join(tmpdir(), 'dfs-keychain-child-'));
    cleanups.push(() => rm(home, { recursive: true, force: true }));
    const childEnv: NodeJS.ProcessEnv = { ...process.env };
    for (const name of ['DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY']) delete childEnv[name];
    for (const name of ['HOME', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR', 'TMPDIR']) childEnv[name] = home;
    const child = spawn(process.execPath, ['--import', tsxLoader, childScript, JSON.stringify(input)], {
      cwd: home,
      env: { ...childEnv, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const end = stdout.indexOf('\n');
        if (end >= 0) resolve(stdout.slice(0, end));
      });
      child.once('exit', (code) => reject(new Error(`the child exited (${code}) without a result: ${stderr}`)));
    });
    // A hung keychain call would hold the child's exit; it has said everything it had to say.
    child.kill('SIGKILL');
    return { ...(JSON.parse(line) as ChildReport), home };
  }

  it.each([
    ['there is no session bus at all', async () => ({})],
    ['the session bus address leads nowhere', async () => ({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/dfs-vault-bus' })],
    [
      'the session bus has no Secret Service on it',
      async () => {
        const bus = await startPrivateBus();
        cleanups.push(() => bus.stop());
        return bus.env;
      },
    ],
  ])('says it cannot remember the password and stores nothing when %s', async (_, setUp) => {
    const password = uniquePassword();
    const { outcomes, home } = await runInChild(await setUp(), { steps: ['availability', 'save'], account: 'alice', password });

    expect(outcomes).toEqual([
      { ok: true, value: { available: false, reason: NO_SERVICE_REASON } },
      { ok: false, error: { name: 'VaultError', code: 'KEYCHAIN', message: NO_SERVICE_REASON } },
    ]);
    expect(await filesContaining(home, password)).toEqual([]);
  });

  it('gives up on a keychain that does not answer within the time limit', async () => {
    const keyring = await startPrivateKeyring();
    cleanups.push(() => keyring.stop());
    keyring.pause();
    const password = uniquePassword();
    const { outcomes, durations, home } = await runInChild(keyring.env, { steps: ['availability', 'save'], account: 'alice', password, timeoutMs: 1_000 });
    keyring.resume();

    const timedOut =
      'The keychain service (Secret Service) did not answer within 1 s, so the password cannot be remembered. Restart GNOME Keyring or KWallet, or sign in each time.';
    expect(outcomes).toEqual([
      { ok: true, value: { available: false, reason: timedOut } },
      { ok: false, error: { name: 'VaultError', code: 'KEYCHAIN', message: timedOut } },
    ]);
    expect(durations[0]).toBeGreaterThanOrEqual(950);
    // The save fails at once instead of waiting out a second time limit: the hung call still holds a thread.
    expect(durations[1]).toBeLessThan(1_000);
    expect(await filesContaining(home, password)).toEqual([]);
    expect(await filesContaining(keyring.dir, password)).toEqual([]);
  });

  it('refuses to save into a locked keychain and says to unlock it', async () => {
    const keyring = await startPrivateKeyring();
    cleanups.push(() => keyring.stop());
    await keyring.lock();
    const password = uniquePassword();
    const { outcomes, home } = await runInChild(keyring.env, { steps: ['save'], account: 'alice', password });

    expect(outcomes).toEqual([
      {
        ok: false,
        error: {
          name: 'VaultError',
          code: 'KEYCHAIN',
          message: 'The keychain is locked, so the password cannot be remembered. Unlock your login keyring, or sign in each time.',
        },
      },
    ]);
    expect(await filesContaining(home, password)).toEqual([]);
  });

  it('still runs, and says why, when the keytar native module cannot load', async () => {
    // A copy of keytar whose native binary is not a shared object: the real dlopen failure.
    const broken = await mkdtemp(join(tmpdir(), 'dfs-broken-keytar-'));
    cleanups.push(() => rm(broken, { recursive: true, force: true }));
    const original = join(createRequire(import.meta.url).resolve('keytar'), '..', '..');
    await mkdir(join(broken, 'lib'));
    await mkdir(join(broken, 'build', 'Release'), { recursive: true });
    await writeFile(join(broken, 'package.json'), '{}');
    await copyFile(join(original, 'lib', 'keytar.js'), join(broken, 'lib', 'keytar.js'));
    await writeFile(join(broken, 'build', 'Release', 'keytar.node'), 'not a shared object\n'.repeat(256));
    const keyring = await startPrivateKeyring();
    cleanups.push(() => keyring.stop());
    const password = uniquePassword();

    const { outcomes, home } = await runInChild(keyring.env, {
      steps: ['availability', 'save'],
      account: 'alice',
      password,
      keytarUrl: pathToFileURL(join(broken, 'lib', 'keytar.js')).href,
    });

    const [availability, save] = outcomes as [StepOutcome, StepOutcome];
    expect(availability).toMatchObject({ ok: true, value: { available: false } });
    const reason = (availability as { value: { reason: string } }).value.reason;
    expect(reason).toMatch(/^The keychain module \(keytar\) could not load on this machine \(.*keytar\.node: invalid ELF header\), so the password cannot be remembered\./);
    expect(save).toEqual({ ok: false, error: { name: 'VaultError', code: 'KEYCHAIN', message: reason } });
    expect(await filesContaining(home, password)).toEqual([]);
  });
});

