import { describe, expect, it } from 'vitest';
import type { FileTransfers } from '../../src-renderer/api/file-transfers.js';
import { connectEvents } from '../../src-renderer/store/events.js';
import { createVaultStore } from '../../src-renderer/store/store.js';
import { createFakeVault } from './helpers/fake-vault.js';

const noFiles: FileTransfers = { uploadFiles: async () => [], downloadEntries: async () => undefined, stopUpload: () => undefined };
const LOCAL = { kind: 'local' as const };

async function signedIn(options: { remember?: boolean } = {}) {
  const fake = createFakeVault({ 'a.txt': 10 });
  const store = createVaultStore({ api: fake.api, files: noFiles });
  connectEvents(fake.api, store);
  await store.getState().connect({ target: LOCAL, username: 'alice', password: 'secret', remember: options.remember ?? false });
  return { fake, store };
}

const accountCalls = (fake: Awaited<ReturnType<typeof signedIn>>['fake']) => fake.calls.filter((c) => c.name.startsWith('account.'));

describe('account slice', () => {
  it('changes the password and says so, busy only while the host works', async () => {
    const { fake, store } = await signedIn();
    const pending = store.getState().changePassword({ current: 'secret', next: 'better secret', repeat: 'better secret' });
    expect(store.getState().accountWork).toBe('change-password');
    expect(await pending).toEqual({});
    expect(store.getState().accountWork).toBeNull();
    expect(fake.password).toBe('better secret');
    expect(accountCalls(fake)).toEqual([{ name: 'account.changePassword', request: { current: 'secret', next: 'better secret' } }]);
    expect(store.getState().notices.map((n) => [n.kind, n.text])).toEqual([['info', 'Password changed.']]);
  });

  it('mentions the keychain when it remembers the new password', async () => {
    const { store } = await signedIn({ remember: true });
    await store.getState().changePassword({ current: 'secret', next: 'n', repeat: 'n' });
    expect(store.getState().notices.map((n) => n.text)).toEqual(['Password changed. The keychain remembers the new one.']);
  });

  it('warns when the keychain could not take the new password', async () => {
    const { fake, store } = await signedIn();
    fake.override('account.changePassword', async () => ({ keychainUpdated: false, keychainProblem: 'The keychain could not remember the new password (locked).' }));
    await store.getState().changePassword({ current: 'secret', next: 'n', repeat: 'n' });
    expect(store.getState().notices.map((n) => [n.kind, n.text])).toEqual([
      ['info', 'Password changed.'],
      ['warning', 'The keychain could not remember the new password (locked).'],
    ]);
  });

  it('reports a change that took effect but left the old password accepted somewhere as done, with a warning', async () => {
    const { fake, store } = await signedIn();
    const unfinished = 'The new password works on every node, but DFS2 (timeout) still also accepts the old one.';
    fake.override('account.changePassword', async () => ({ keychainUpdated: false, unfinished }));
    expect(await store.getState().changePassword({ current: 'secret', next: 'n', repeat: 'n' })).toEqual({});
    expect(store.getState().notices.map((n) => [n.kind, n.text, n.code])).toEqual([
      ['info', 'Password changed.', undefined],
      ['warning', unfinished, 'INCOMPLETE'],
    ]);
  });

  it('catches a mismatch without asking the host, and a wrong current password from it', async () => {
    const { fake, store } = await signedIn();
    expect(await store.getState().changePassword({ current: 'secret', next: 'a', repeat: 'b' })).toEqual({ repeat: 'The two new passwords do not match.' });
    expect(accountCalls(fake)).toEqual([]);
    expect(await store.getState().changePassword({ current: 'wrong', next: 'a', repeat: 'a' })).toEqual({ current: 'This is not your current password.' });
    expect(fake.password).toBe('secret');
    expect(store.getState().notices).toEqual([]);
  });

  it('hands the recovery key to the caller only after the password is confirmed, and keeps it out of the store', async () => {
    const { fake, store } = await signedIn();
    fake.notRegisteredOn = [{ name: 'DFS2', busy: false, reason: 'connection refused' }];
    expect(await store.getState().revealRecoveryKey('')).toEqual({ ok: false, problems: { password: 'Enter your password.' } });
    expect(await store.getState().revealRecoveryKey('wrong')).toEqual({ ok: false, problems: { password: 'This is not your password.' } });
    const outcome = await store.getState().revealRecoveryKey('secret');
    expect(outcome).toEqual({ ok: true, key: { recoveryKey: fake.recoveryKey, notRegisteredOn: fake.notRegisteredOn } });
    expect(JSON.stringify(store.getState())).not.toContain(fake.recoveryKey);
  });

  it('resets a forgotten password from the recovery key without signing in, then signs in with the new one', async () => {
    const { fake, store } = await signedIn();
    await store.getState().signOut(false);
    const form = { username: ' alice ', recoveryKey: ` ${fake.recoveryKey.toLowerCase()} `, next: 'fresh', repeat: 'fresh' };
    expect(await store.getState().recoverPassword(LOCAL, form)).toEqual({});
    expect(accountCalls(fake).at(-1)).toEqual({
      name: 'account.recover',
      request: { target: LOCAL, username: 'alice', recoveryKey: fake.recoveryKey.toLowerCase(), newPassword: 'fresh' },
    });
    expect(store.getState().phase).toBe('signed-out');
    expect(store.getState().notices.map((n) => [n.kind, n.text])).toEqual([['info', 'Password reset. Sign in with your new password.']]);
    expect(await store.getState().connect({ target: LOCAL, username: 'alice', password: 'fresh', remember: false })).toBe(true);
  });

  it('shows a malformed or foreign recovery key next to the key field', async () => {
    const { fake, store } = await signedIn();
    await store.getState().signOut(false);
    const form = { username: 'alice', recoveryKey: 'ABCDE', next: 'fresh', repeat: 'fresh' };
    expect(await store.getState().recoverPassword(LOCAL, form)).toEqual({ recoveryKey: 'A recovery key has 11 groups of 5 characters.' });
    const foreign = { ...form, recoveryKey: fake.recoveryKey.replace('7Q2MX', '7Q2MY') };
    expect(await store.getState().recoverPassword(LOCAL, foreign)).toEqual({ recoveryKey: 'This recovery key is not the key of this vault; nothing was changed.' });
    expect(fake.password).toBe('secret');
  });
});
