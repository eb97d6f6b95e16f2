import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { formatRecoveryKey, parseRecoveryKey } from '../../src-main/vault/crypto/recovery-key.js';
import { Vault } from '../../src-main/vault/vault.js';
import { FAST, useKeptFileCluster } from '../helpers/kept-file-cluster.js';
import { committedPieceFiles, masterKeyRecordFiles } from '../helpers/stored-pieces.js';
import { USERS } from '../helpers/test-cluster.js';

const NEW_PASSWORD = 'through the looking-glass';

describe('account: password change and recovery', () => {
  const kept = useKeptFileCluster();

  async function pieceBytes(): Promise<Buffer[]> {
    const files = (await Promise.all(kept.cluster.roots.map((root) => committedPieceFiles(root)))).flat().sort();
    return Promise.all(files.map((file) => readFile(file)));
  }

  describe('changePassword', () => {
    it('switches every node to the new password without re-encrypting any file', async () => {
      const before = await pieceBytes();
      await kept.vault.changePassword(USERS.alice, NEW_PASSWORD);
      expect(await pieceBytes()).toEqual(before);
      await expect(kept.connect(USERS.alice)).rejects.toMatchObject({ code: 'AUTH_FAILED', message: 'Invalid Username/Password. Please try again.' });
      await kept.expectFilesIntact(NEW_PASSWORD);
      // One record per node remains: the old password's record is gone, not merely superseded.
      for (const root of kept.cluster.roots) expect(await masterKeyRecordFiles(root)).toHaveLength(1);
      // The signed-in vault goes on working on new connections with the new password.
      await kept.vault.mkdir('after-change');
    });

    it('refuses a wrong current password and changes nothing', async () => {
      await expect(kept.vault.changePassword('not it', NEW_PASSWORD)).rejects.toMatchObject({ code: 'AUTH_FAILED', message: expect.stringContaining('current password is not right') });
      await kept.expectFilesIntact(USERS.alice);
    });

    it('refuses an empty new password', async () => {
      await expect(kept.vault.changePassword(USERS.alice, '')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    });

    it('refuses unless every node is reachable, and the old password still works', async () => {
      await kept.cluster.stop(2);
      await expect(kept.vault.changePassword(USERS.alice, NEW_PASSWORD)).rejects.toMatchObject({
        code: 'NODE_UNREACHABLE',
        message: expect.stringMatching(/needs every node, and DFS3 \(Cannot reach [^]*\) is not reachable\. Nothing was changed/),
      });
      // The node is named once, its reason after it.
      expect(((await kept.vault.changePassword(USERS.alice, NEW_PASSWORD).catch((error: unknown) => error)) as Error).message.match(/DFS3/g)).toHaveLength(1);
      await kept.cluster.restart(2);
      await kept.expectFilesIntact(USERS.alice);
      await expect(kept.connect(NEW_PASSWORD)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    });

    it('leaves the old password working when a node refuses midway', async () => {
      // DFS4 answers logins but cannot store a new password: the three before it already took theirs as pending.
      await kept.cluster.stop(3);
      await kept.cluster.restart(3, { fixedUsers: true });
      await expect(kept.vault.changePassword(USERS.alice, NEW_PASSWORD)).rejects.toMatchObject({
        message: expect.stringMatching(/DFS4.*cannot change passwords.*Nothing was changed; the current password still works/s),
      });
      await kept.expectFilesIntact(USERS.alice);
      await expect(kept.connect(NEW_PASSWORD)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
      for (const file of kept.cluster.usersFiles) expect((await readFile(file, 'utf8')).split('\n').find((l) => l.startsWith('alice '))!.split(' ')).toHaveLength(2);
    });

    it('can be run twice in a row (the second change starts from the first)', async () => {
      await kept.vault.changePassword(USERS.alice, NEW_PASSWORD);
      await kept.vault.changePassword(NEW_PASSWORD, 'third');
      await kept.expectFilesIntact('third');
    });
  });

  describe('recovery key', () => {
    it('is shown only for the right password and is the vault\'s master key in printable form', async () => {
      await expect(kept.vault.recoveryKey('wrong')).rejects.toMatchObject({ code: 'AUTH_FAILED' });
      const { recoveryKey, notRegisteredOn } = await kept.vault.recoveryKey(USERS.alice);
      expect(notRegisteredOn).toEqual([]);
      expect(recoveryKey).toMatch(/^([0-9A-HJKMNP-TV-Z]{5}-){10}[0-9A-HJKMNP-TV-Z]{5}$/);
      expect(formatRecoveryKey(parseRecoveryKey(recoveryKey))).toBe(recoveryKey);
      // The same key every time: it is the master key, not a fresh secret.
      expect((await kept.vault.recoveryKey(USERS.alice)).recoveryKey).toBe(recoveryKey);
    });

    it('names the nodes that were down, where recovery is not set up yet', async () => {
      await kept.cluster.stop(1);
      expect((await kept.vault.recoveryKey(USERS.alice)).notRegisteredOn).toEqual([{ name: 'DFS2', busy: false, reason: expect.stringContaining('Cannot reach') }]);
    });

    it('never reaches a node: no node file holds the key or its characters', async () => {
      const { recoveryKey } = await kept.vault.recoveryKey(USERS.alice);
      const { filesContaining } = await import('../helpers/file-search.js');
      for (const dir of [...kept.cluster.roots, ...kept.cluster.usersFiles]) {
        expect(await filesContaining(dir, recoveryKey.slice(0, 11))).toEqual([]);
        expect(await filesContaining(dir, parseRecoveryKey(recoveryKey))).toEqual([]);
      }
    });
  });

  describe('recover', () => {
    it('sets a new password from the recovery key alone; the old one stops working and files stay', async () => {
      const { recoveryKey } = await kept.vault.recoveryKey(USERS.alice);
      kept.vault.close();
      await Vault.recover({ servers: kept.cluster.servers, username: 'alice', recoveryKey: recoveryKey.toLowerCase().replaceAll('-', ' '), newPassword: NEW_PASSWORD, ...FAST });
      await expect(kept.connect(USERS.alice)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
      await kept.expectFilesIntact(NEW_PASSWORD);
      for (const root of kept.cluster.roots) expect(await masterKeyRecordFiles(root)).toHaveLength(1);
    });

    it('works with the recovery login set up at first login, and again after a password change', async () => {
      const { recoveryKey } = await kept.vault.recoveryKey(USERS.alice);
      await kept.vault.changePassword(USERS.alice, 'interim');
      await Vault.recover({ servers: kept.cluster.servers, username: 'alice', recoveryKey, newPassword: NEW_PASSWORD, ...FAST });
      await kept.expectFilesIntact(NEW_PASSWORD);
    });

    it('refuses another vault\'s key and changes nothing', async () => {
      const bobs = await kept.cluster.vault('bob');
      const { recoveryKey } = await bobs.recoveryKey(USERS.bob);
      await expect(Vault.recover({ servers: kept.cluster.servers, username: 'alice', recoveryKey, newPassword: NEW_PASSWORD, ...FAST })).rejects.toMatchObject({
        code: 'AUTH_FAILED',
        message: expect.stringContaining('does not open alice\'s vault'),
      });
      await kept.expectFilesIntact(USERS.alice);
    });

    it('refuses a mistyped key with a message that says so', async () => {
      const { recoveryKey } = await kept.vault.recoveryKey(USERS.alice);
      const typo = `${recoveryKey[0] === 'A' ? 'B' : 'A'}${recoveryKey.slice(1)}`;
      await expect(Vault.recover({ servers: kept.cluster.servers, username: 'alice', recoveryKey: typo, newPassword: NEW_PASSWORD, ...FAST })).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
        message: expect.stringContaining('checksum'),
      });
    });

    it('refuses unless every node is reachable', async () => {
      const { recoveryKey } = await kept.vault.recoveryKey(USERS.alice);
      await kept.cluster.stop(0);
      await expect(Vault.recover({ servers: kept.cluster.servers, username: 'alice', recoveryKey, newPassword: NEW_PASSWORD, ...FAST })).rejects.toMatchObject({ code: 'NODE_UNREACHABLE' });
      await kept.cluster.restart(0);
      await kept.expectFilesIntact(USERS.alice);
    });
  });
});
