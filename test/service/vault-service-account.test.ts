import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Transfer } from '../../src-main/shared/app-models.js';
import { INVALID_LOGIN_TEXT, VaultError } from '../../src-main/shared/errors.js';
import { accountOf } from '../../src-main/service/remembered-login.js';
import { VaultService } from '../../src-main/service/vault-service.js';
import { Vault } from '../../src-main/vault/vault.js';
import { filesContaining } from '../helpers/file-search.js';
import { seededBuffer } from '../helpers/gf-reference.js';
import { RecordingCredentialStore } from '../helpers/recording-credential-store.js';

const LOCAL = { kind: 'local' } as const;
const USER = 'carol';
const FIRST = 'first password of carol';
const SECOND = 'second password, after a change';
const THIRD = 'third password, set from the recovery key';
const CONTENT = seededBuffer(1024 * 1024 + 333, 41);
/** 11 groups of 5 Crockford base32 characters (no I, L, O or U). */
const RECOVERY_KEY_FORMAT = /^(?:[0-9A-HJKMNP-TV-Z]{5}-){10}[0-9A-HJKMNP-TV-Z]{5}$/;

/** A keychain that takes the first password it is given and refuses every later one (a keychain that locked meanwhile). */
class KeychainThatLocks extends RecordingCredentialStore {
  override async save(account: string, password: string): Promise<void> {
    if (this.secrets.size > 0) throw new VaultError('KEYCHAIN', 'The keychain is locked, so the password cannot be remembered.');
    await super.save(account, password);
  }
}

/** Waits for transfers to finish (a deadline, not a timing assertion). */
async function settled(service: VaultService, ids: string[]): Promise<Transfer[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const list = service.listTransfers().filter((t) => ids.includes(t.id));
    if (list.length === ids.length && list.every((t) => t.state === 'done' || t.state === 'failed' || t.state === 'cancelled')) return list;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for transfers: ${JSON.stringify(list)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('account: change password, recovery key and recovery, on the local cluster', () => {
  let dataDir: string;
  let work: string;
  let keychain: RecordingCredentialStore;
  let service: VaultService;
  let recoveryKey = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dfs-app-'));
    work = await mkdtemp(join(tmpdir(), 'dfs-work-'));
    keychain = new RecordingCredentialStore();
    service = new VaultService({ dataDir, credentials: keychain });
    await service.connect({ target: LOCAL, username: USER, password: FIRST, remember: true });
    await writeFile(join(work, 'kept.bin'), CONTENT);
    const { ids } = await service.uploadPaths([{ source: join(work, 'kept.bin'), folder: '' }]);
    expect((await settled(service, ids)).map((t) => t.state)).toEqual(['done']);
  });

  afterAll(async () => {
    await service?.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  /** Downloads `path` and returns its bytes. */
  async function download(from: VaultService, path: string): Promise<Buffer> {
    const destination = join(work, `copy-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    const { ids } = await from.download([{ path, destination }]);
    expect((await settled(from, ids)).map((t) => t.state)).toEqual(['done']);
    return readFile(destination);
  }

  it('refuses a wrong current password, keeping the old one and the remembered login', async () => {
    await expect(service.changePassword({ current: 'not it', next: SECOND })).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect([...keychain.secrets]).toEqual([[accountOf(USER, LOCAL, dataDir), FIRST]]);
    expect((await service.state()).status).toBe('signed-in');
  });

  it('refuses to change the password while a node is down, and the old password still works', async () => {
    await service.stopNode(1);
    try {
      await expect(service.changePassword({ current: FIRST, next: SECOND })).rejects.toMatchObject({ code: 'NODE_UNREACHABLE' });
    } finally {
      await service.startNode(1);
    }
    await service.signOut({ forget: false });
    expect((await service.connect({ target: LOCAL, username: USER, password: FIRST, remember: true })).status).toBe('signed-in');
  });

  it('changes the password: the session goes on, the keychain holds the new one, the old one is refused', async () => {
    expect(await service.changePassword({ current: FIRST, next: SECOND })).toEqual({ keychainUpdated: true });
    expect([...keychain.secrets]).toEqual([[accountOf(USER, LOCAL, dataDir), SECOND]]);
    // The signed-in vault keeps working (its connections log in with the new password from now on).
    expect((await download(service, 'kept.bin')).equals(CONTENT)).toBe(true);
    expect(await filesContaining(dataDir, SECOND)).toEqual([]);

    await service.signOut({ forget: false });
    await expect(service.connect({ target: LOCAL, username: USER, password: FIRST, remember: true })).rejects.toMatchObject({ code: 'AUTH_FAILED', message: INVALID_LOGIN_TEXT });
    expect((await service.connect({ target: LOCAL, username: USER, password: SECOND, remember: true })).status).toBe('signed-in');
  });

  it('signs in by itself at the next start with the new password the keychain holds', async () => {
    await service.close();
    service = new VaultService({ dataDir, credentials: keychain });
    expect(await service.resume()).toMatchObject({ status: 'signed-in', username: USER });
    expect((await service.list('')).map((e) => e.name)).toEqual(['kept.bin']);
  });

  it('shows the recovery key only for the right password', async () => {
    await expect(service.recoveryKey({ password: FIRST })).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    const shown = await service.recoveryKey({ password: SECOND });
    expect(shown.recoveryKey).toMatch(RECOVERY_KEY_FORMAT);
    expect(shown.notRegisteredOn).toEqual([]);
    // The same vault has the same key, whenever it is shown.
    expect((await service.recoveryKey({ password: SECOND })).recoveryKey).toBe(shown.recoveryKey);
    recoveryKey = shown.recoveryKey;
  });

  it('names the nodes that were down when the key was shown', async () => {
    await service.stopNode(2);
    try {
      const shown = await service.recoveryKey({ password: SECOND });
      expect(shown).toEqual({ recoveryKey, notRegisteredOn: [{ name: 'DFS3', busy: false, reason: expect.stringContaining('Cannot reach') }] });
    } finally {
      await service.startNode(2);
    }
    // Shown again with every node up: every node knows it.
    expect((await service.recoveryKey({ password: SECOND })).notRegisteredOn).toEqual([]);
  });

  it('refuses a malformed recovery key with a message that says so', async () => {
    await service.signOut({ forget: false });
    const attempt = service.recover({ target: LOCAL, username: USER, recoveryKey: 'not-a-key', newPassword: THIRD });
    await expect(attempt).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringMatching(/recovery key/i) });
  });

  it('resets a forgotten password from the recovery key, even with the local cluster stopped, without signing in', async () => {
    await service.stopLocal();
    // Typed in lower case with spaces instead of dashes, as a person might copy it from paper.
    const typed = recoveryKey.toLowerCase().replaceAll('-', ' ');
    expect(await service.recover({ target: LOCAL, username: USER, recoveryKey: typed, newPassword: THIRD })).toEqual({ keychainUpdated: true });
    expect((await service.clusterView()).local).toBe('running');
    expect((await service.state()).status).toBe('signed-out');
    expect([...keychain.secrets]).toEqual([[accountOf(USER, LOCAL, dataDir), THIRD]]);

    await expect(service.connect({ target: LOCAL, username: USER, password: SECOND, remember: false })).rejects.toMatchObject({ code: 'AUTH_FAILED', message: INVALID_LOGIN_TEXT });
    await service.connect({ target: LOCAL, username: USER, password: THIRD, remember: true });
    expect((await download(service, 'kept.bin')).equals(CONTENT)).toBe(true);
  });

  it('resets through typed addresses from another app, which remembers nothing of this login', async () => {
    const otherDir = await mkdtemp(join(tmpdir(), 'dfs-app-'));
    const other = new VaultService({ dataDir: otherDir, credentials: new RecordingCredentialStore() });
    try {
      const addresses = (await service.clusterView()).nodes.map((n) => n.address);
      const target = { kind: 'addresses', addresses } as const;
      expect(await other.recover({ target, username: USER, recoveryKey, newPassword: FIRST })).toEqual({ keychainUpdated: false });
      expect((await other.state()).lastUsed).toEqual({ username: USER, target });
      await other.connect({ target, username: USER, password: FIRST, remember: false });
      expect((await download(other, 'kept.bin')).equals(CONTENT)).toBe(true);
    } finally {
      await other.close();
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('refuses to reset while a node is down', async () => {
    await service.stopNode(3);
    try {
      await expect(service.recover({ target: LOCAL, username: USER, recoveryKey, newPassword: SECOND })).rejects.toMatchObject({ code: 'NODE_UNREACHABLE' });
    } finally {
      await service.startNode(3);
    }
  });

  it('asks to sign in before changing the password or showing the key', async () => {
    await service.signOut({ forget: false });
    await expect(service.changePassword({ current: FIRST, next: SECOND })).rejects.toMatchObject({ code: 'SIGNED_OUT' });
    await expect(service.recoveryKey({ password: FIRST })).rejects.toMatchObject({ code: 'SIGNED_OUT' });
  });
});

describe('account: a keychain that cannot take the new password', () => {
  let dataDir: string;
  let service: VaultService | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dfs-app-'));
  });

  afterAll(async () => {
    await service?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('forgets the old remembered password and says so, so the next start asks instead of failing', async () => {
    const keychain = new KeychainThatLocks();
    service = new VaultService({ dataDir, credentials: keychain });
    await service.connect({ target: LOCAL, username: 'dave', password: FIRST, remember: true });
    expect(keychain.secrets.size).toBe(1);
    const change = await service.changePassword({ current: FIRST, next: SECOND });
    expect(change).toEqual({
      keychainUpdated: false,
      keychainProblem:
        'The keychain could not remember the new password (The keychain is locked, so the password cannot be remembered), so this login is no longer remembered. Sign in with the new password next time.',
    });
    expect(keychain.secrets.size).toBe(0);
    expect((await service.state()).keychain.remembered).toBeUndefined();
    await service.close();
    service = new VaultService({ dataDir, credentials: keychain });
    expect((await service.resume()).status).toBe('signed-out');
  });
});

describe('account: a change that took effect but left a node accepting the old password too', () => {
  let dataDir: string;
  let service: VaultService | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dfs-app-'));
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await service?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers with what is unfinished instead of failing, and the keychain takes the new password', async () => {
    const keychain = new RecordingCredentialStore();
    service = new VaultService({ dataDir, credentials: keychain });
    await service.connect({ target: LOCAL, username: 'erin', password: FIRST, remember: true });
    // The vault's second phase failing on one node: the new password works everywhere, DFS2 still also takes the old one.
    const real = Vault.prototype.changePassword;
    vi.spyOn(Vault.prototype, 'changePassword').mockImplementationOnce(async function (this: Vault, current: string, next: string) {
      await real.call(this, current, next);
      return { oldPasswordStillAcceptedBy: [{ name: 'DFS2', busy: false, reason: 'timed out' }] };
    });
    expect(await service.changePassword({ current: FIRST, next: SECOND })).toEqual({
      keychainUpdated: true,
      unfinished: 'The new password works on every node, but DFS2 (timed out) still also accepts the old one. Change the password again when it is reachable to finish.',
    });
    expect([...keychain.secrets]).toEqual([[accountOf('erin', LOCAL, dataDir), SECOND]]);
    // The next start signs in with it.
    await service.close();
    service = new VaultService({ dataDir, credentials: keychain });
    expect(await service.resume()).toMatchObject({ status: 'signed-in', username: 'erin' });
  });

  it('says to change it again in a moment when the nodes left behind were only busy', async () => {
    const busy = { name: 'DFS2', busy: true, reason: 'another process has been changing its users file for a while' };
    vi.spyOn(Vault.prototype, 'changePassword').mockResolvedValueOnce({ oldPasswordStillAcceptedBy: [busy] });
    expect(await service!.changePassword({ current: SECOND, next: SECOND })).toMatchObject({
      unfinished: 'The new password works on every node, but DFS2 (busy: another process has been changing its users file for a while) still also accepts the old one. Change the password again in a moment to finish.',
    });
  });

  it('still fails on any other error, leaving the keychain alone', async () => {
    vi.spyOn(Vault.prototype, 'changePassword').mockRejectedValueOnce(new VaultError('QUORUM_FAILED', 'Only two nodes stored the new key.'));
    await expect(service!.changePassword({ current: SECOND, next: THIRD })).rejects.toMatchObject({ code: 'QUORUM_FAILED' });
    expect((await service!.state()).keychain.remembered).toEqual({ username: 'erin', target: LOCAL });
  });
});
