import { describe, expect, it } from 'vitest';
import type { CredentialStore } from '../../src-main/service/credential-store.js';
import { type Login, RememberedLogin, accountOf } from '../../src-main/service/remembered-login.js';
import type { ClusterTarget } from '../../src-main/shared/app-models.js';
import { VaultError } from '../../src-main/shared/errors.js';

const LOCAL = { kind: 'local' } as const;
const DATA_DIR = '/home/carol/.config/DFS Vault';
const ADDRESSES: ClusterTarget = { kind: 'addresses', addresses: ['127.0.0.1:10001', '127.0.0.1:10002'] };
const NOT_RUNNING = 'No keychain service is running on this machine.';
const LOCKED = 'The keychain is locked, so the password cannot be remembered.';

/** A keychain that can be started, stopped or locked between calls, and counts its probes. */
class SwitchableKeychain implements CredentialStore {
  readonly secrets = new Map<string, string>();
  running = true;
  locked = false;
  probes = 0;

  async availability(): Promise<{ available: boolean; reason?: string }> {
    this.probes++;
    return this.running ? { available: true } : { available: false, reason: NOT_RUNNING };
  }

  async save(account: string, password: string): Promise<void> {
    if (!this.running) throw new VaultError('KEYCHAIN', NOT_RUNNING);
    if (this.locked) throw new VaultError('KEYCHAIN', LOCKED);
    this.secrets.set(account, password);
  }

  async load(account: string): Promise<string | undefined> {
    return this.secrets.get(account);
  }

  async forget(account: string): Promise<void> {
    if (!this.running) throw new VaultError('KEYCHAIN', NOT_RUNNING);
    this.secrets.delete(account);
  }
}

/** A RememberedLogin over `keychain` whose settings are one in-memory field, with every write counted. */
function setup(keychain: CredentialStore, recorded?: Login, dataDir = DATA_DIR): { remembered: RememberedLogin; settings: { login?: Login; writes: number } } {
  const settings: { login?: Login; writes: number } = { ...(recorded ? { login: recorded } : {}), writes: 0 };
  const remembered = new RememberedLogin({
    credentials: keychain,
    recorded: async () => settings.login,
    record: async (login) => {
      settings.writes++;
      if (login) settings.login = login;
      else delete settings.login;
    },
    dataDir,
  });
  return { remembered, settings };
}

describe('remembered login', () => {
  it('keeps the password in the keychain and the login in the settings when asked to remember', async () => {
    const keychain = new SwitchableKeychain();
    const { remembered, settings } = setup(keychain);
    await remembered.afterSignIn({ username: 'carol', target: LOCAL, password: 'pw', remember: true });
    expect([...keychain.secrets]).toEqual([[accountOf('carol', LOCAL, DATA_DIR), 'pw']]);
    expect(settings.login).toEqual({ username: 'carol', target: LOCAL });
    expect(await remembered.passwordOf({ username: 'carol', target: LOCAL })).toBe('pw');
  });

  it("keeps the local clusters of two data folders apart: forgetting one user's login there leaves the other's password", async () => {
    const keychain = new SwitchableKeychain();
    const app = setup(keychain);
    const web = setup(keychain, undefined, '/home/carol/web-vault');
    await app.remembered.afterSignIn({ username: 'carol', target: LOCAL, password: 'app', remember: true });
    await web.remembered.afterSignIn({ username: 'carol', target: LOCAL, password: 'web', remember: true });
    expect(await app.remembered.passwordOf({ username: 'carol', target: LOCAL })).toBe('app');
    await web.remembered.afterSignIn({ username: 'carol', target: LOCAL, password: 'web', remember: false });
    expect(await web.remembered.passwordOf({ username: 'carol', target: LOCAL })).toBeUndefined();
    expect(await app.remembered.passwordOf({ username: 'carol', target: LOCAL })).toBe('app');
  });

  it('replaces another remembered login, whose password leaves the keychain', async () => {
    const keychain = new SwitchableKeychain();
    const { remembered, settings } = setup(keychain);
    await remembered.afterSignIn({ username: 'carol', target: LOCAL, password: 'pw', remember: true });
    await remembered.afterSignIn({ username: 'carol', target: ADDRESSES, password: 'other', remember: true });
    expect([...keychain.secrets]).toEqual([[accountOf('carol', ADDRESSES, DATA_DIR), 'other']]);
    expect(settings.login).toEqual({ username: 'carol', target: ADDRESSES });
  });

  it('forgets this login when signed in without "remember me", but leaves another remembered login alone', async () => {
    const keychain = new SwitchableKeychain();
    const { remembered, settings } = setup(keychain);
    await remembered.afterSignIn({ username: 'carol', target: LOCAL, password: 'pw', remember: true });
    await remembered.afterSignIn({ username: 'dave', target: LOCAL, password: 'dave pw', remember: false });
    expect(settings.login).toEqual({ username: 'carol', target: LOCAL });
    expect(keychain.secrets.size).toBe(1);
    await remembered.afterSignIn({ username: 'carol', target: LOCAL, password: 'pw', remember: false });
    expect(settings.login).toBeUndefined();
    expect(keychain.secrets.size).toBe(0);
  });

  it('remembers nothing when no keychain is running, and says why', async () => {
    const keychain = new SwitchableKeychain();
    keychain.running = false;
    const { remembered, settings } = setup(keychain);
    await remembered.afterSignIn({ username: 'carol', target: LOCAL, password: 'pw', remember: true });
    expect(settings).toEqual({ writes: 0 });
    expect(await remembered.keychainAvailability()).toEqual({ available: false, reason: NOT_RUNNING });
  });

  it('reports a keychain that refused the password as unavailable, with its reason, until the next sign-in asks again', async () => {
    const keychain = new SwitchableKeychain();
    keychain.locked = true;
    const { remembered, settings } = setup(keychain);
    await remembered.afterSignIn({ username: 'carol', target: LOCAL, password: 'pw', remember: true });
    expect(settings.login).toBeUndefined();
    expect(await remembered.keychainAvailability()).toEqual({ available: false, reason: LOCKED });
    keychain.locked = false;
    await remembered.afterSignIn({ username: 'carol', target: LOCAL, password: 'pw', remember: true });
    expect(settings.login).toEqual({ username: 'carol', target: LOCAL });
    expect(await remembered.keychainAvailability()).toEqual({ available: true });
  });

  it('probes the keychain once, and again only when remembering', async () => {
    const keychain = new SwitchableKeychain();
    const { remembered } = setup(keychain);
    await remembered.keychainAvailability();
    await remembered.keychainAvailability();
    expect(keychain.probes).toBe(1);
    await remembered.afterSignIn({ username: 'carol', target: LOCAL, password: 'pw', remember: true });
    expect(keychain.probes).toBe(2);
  });

  it('gives no password when the keychain has stopped since', async () => {
    const keychain = new SwitchableKeychain();
    keychain.secrets.set(accountOf('carol', LOCAL, DATA_DIR), 'pw');
    keychain.running = false;
    const { remembered } = setup(keychain, { username: 'carol', target: LOCAL });
    expect(await remembered.passwordOf({ username: 'carol', target: LOCAL })).toBeUndefined();
  });

  it('forgets the remembered login on request, and writes nothing when none is remembered', async () => {
    const keychain = new SwitchableKeychain();
    keychain.secrets.set(accountOf('carol', LOCAL, DATA_DIR), 'pw');
    const { remembered, settings } = setup(keychain, { username: 'carol', target: LOCAL });
    await remembered.forget();
    expect(keychain.secrets.size).toBe(0);
    expect(settings).toEqual({ writes: 1 });
    await remembered.forget();
    expect(settings).toEqual({ writes: 1 });
  });

  it('clears the remembered login even when no keychain is running to forget its password', async () => {
    const keychain = new SwitchableKeychain();
    keychain.running = false;
    const { remembered, settings } = setup(keychain, { username: 'carol', target: LOCAL });
    await remembered.forget();
    expect(settings.login).toBeUndefined();
  });

  it('gives a remembered login its new password after a change', async () => {
    const keychain = new SwitchableKeychain();
    keychain.secrets.set(accountOf('carol', LOCAL, DATA_DIR), 'old');
    const { remembered, settings } = setup(keychain, { username: 'carol', target: LOCAL });
    expect(await remembered.takeNewPassword({ username: 'carol', target: LOCAL }, 'new')).toEqual({ keychainUpdated: true });
    expect([...keychain.secrets]).toEqual([[accountOf('carol', LOCAL, DATA_DIR), 'new']]);
    expect(settings.login).toEqual({ username: 'carol', target: LOCAL });
  });

  it('leaves the keychain alone when the changed login is not the remembered one', async () => {
    const keychain = new SwitchableKeychain();
    keychain.secrets.set(accountOf('carol', LOCAL, DATA_DIR), 'old');
    const { remembered, settings } = setup(keychain, { username: 'carol', target: LOCAL });
    expect(await remembered.takeNewPassword({ username: 'carol', target: ADDRESSES }, 'new')).toEqual({ keychainUpdated: false });
    expect(await remembered.takeNewPassword({ username: 'dave', target: LOCAL }, 'new')).toEqual({ keychainUpdated: false });
    expect([...keychain.secrets]).toEqual([[accountOf('carol', LOCAL, DATA_DIR), 'old']]);
    expect(settings).toEqual({ login: { username: 'carol', target: LOCAL }, writes: 0 });
  });

  it('forgets a remembered login whose new password the keychain cannot take, and says so', async () => {
    const keychain = new SwitchableKeychain();
    keychain.secrets.set(accountOf('carol', LOCAL, DATA_DIR), 'old');
    keychain.locked = true;
    const { remembered, settings } = setup(keychain, { username: 'carol', target: LOCAL });
    expect(await remembered.takeNewPassword({ username: 'carol', target: LOCAL }, 'new')).toEqual({
      keychainUpdated: false,
      keychainProblem:
        'The keychain could not remember the new password (The keychain is locked, so the password cannot be remembered), so this login is no longer remembered. Sign in with the new password next time.',
    });
    expect(keychain.secrets.size).toBe(0);
    expect(settings.login).toBeUndefined();
  });

  it('forgets a remembered login when the keychain has stopped before a change, naming why', async () => {
    const keychain = new SwitchableKeychain();
    const { remembered, settings } = setup(keychain, { username: 'carol', target: LOCAL });
    expect(await remembered.keychainAvailability()).toEqual({ available: true });
    keychain.running = false;
    const change = await remembered.takeNewPassword({ username: 'carol', target: LOCAL }, 'new');
    expect(change.keychainProblem).toContain(`(${NOT_RUNNING.replace(/\.$/, '')})`);
    expect(settings.login).toBeUndefined();
  });

  it('names one keychain account per user and cluster', () => {
    expect(accountOf('carol', LOCAL, DATA_DIR)).toBe('carol @ local cluster in /home/carol/.config/DFS Vault');
    expect(accountOf('carol', ADDRESSES, DATA_DIR)).toBe('carol @ 127.0.0.1:10001,127.0.0.1:10002');
    expect(accountOf('carol', { kind: 'config', path: '/home/carol/dfc.conf' }, DATA_DIR)).toBe('carol @ /home/carol/dfc.conf');
  });
});
