import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../src-main/vault/vault.js';
import { nodeState, nodesSummary } from '../../src-renderer/node-state.js';
import { FAST, useKeptFileCluster } from '../helpers/kept-file-cluster.js';
import { USERS, writeTemp } from '../helpers/test-cluster.js';

const NEW_PASSWORD = 'through the looking-glass';
/** What a node refusing logins says, once, after the node's name. */
const CROWDED = 'too many connections from 127.0.0.1 are waiting to log in';
/** What a node whose users file another process holds says. */
const LOCKED = 'another process has been changing its users file for a while';

describe('a node that answers BUSY', () => {
  const kept = useKeptFileCluster();

  describe('when no node can answer', () => {
    it('at connect, when every node is busy, says they are busy and to try again in a moment, not to start them', async () => {
      for (const node of [0, 1, 2, 3]) await kept.cluster.makeBusy(node, 'logins');
      const failure = (await kept.connect(USERS.alice).catch((error: unknown) => error)) as Error;
      expect(failure).toMatchObject({
        code: 'NODE_BUSY',
        message: `No storage node can answer now: DFS1 (${CROWDED}), DFS2 (${CROWDED}), DFS3 (${CROWDED}) and DFS4 (${CROWDED}) are busy. Try again in a moment.`,
      });
      expect(failure.message).not.toMatch(/reachable|Start the nodes/);
    });

    it('when the nodes are busy or down, says which is which: waiting, or starting the ones that are down, helps', async () => {
      await kept.cluster.makeBusy(0, 'logins');
      for (const node of [1, 2, 3]) await kept.cluster.stop(node);
      await expect(kept.connect(USERS.alice)).rejects.toMatchObject({
        code: 'NODE_BUSY',
        message: expect.stringMatching(
          new RegExp(`^No storage node can answer now: DFS2 \\(Cannot reach .*\\), DFS3 \\(Cannot reach .*\\) and DFS4 \\(Cannot reach .*\\) are not reachable and DFS1 \\(${CROWDED}\\) is busy\\. Try again in a moment, or start the nodes that are down \\(or check the addresses in dfc\\.conf\\)\\.$`),
        ),
      });
    });

    it('and once signed in, a listing or a download says the same when every node has become busy', async () => {
      for (const node of [0, 1, 2, 3]) await kept.cluster.makeBusy(node, 'logins');
      const busy = { code: 'NODE_BUSY', message: expect.stringMatching(/^No storage node can answer now: DFS1 .* are busy\. Try again in a moment\.$/) };
      await expect(kept.vault.list()).rejects.toMatchObject(busy);
      await expect(kept.vault.getFile('docs/kept.bin', join(kept.cluster.dir, 'back'))).rejects.toMatchObject(busy);
    });

    it('when every node is down, still says so and to start them', async () => {
      for (const node of [0, 1, 2, 3]) await kept.cluster.stop(node);
      await expect(kept.connect(USERS.alice)).rejects.toMatchObject({ code: 'NODE_UNREACHABLE', message: expect.stringMatching(/^No storage node is reachable \(.*\)\. Start the nodes or check the addresses in dfc\.conf\.$/) });
    });
  });

  it('shows in the node status as busy, not down, with why', async () => {
    await kept.cluster.makeBusy(2, 'logins');
    await kept.cluster.stop(3);
    const fresh = await kept.connect(USERS.alice);
    try {
      const status = await fresh.nodeStatus();
      expect(status.map((node) => [node.name, node.up, node.busy ?? false])).toEqual([
        ['DFS1', true, false],
        ['DFS2', true, false],
        ['DFS3', false, true],
        ['DFS4', false, false],
      ]);
      expect(status[2]!.error).toContain(CROWDED);
      expect(status.map(nodeState)).toEqual(['up', 'up', 'busy', 'down']);
      // The strip's summary says why one of the two missing is: "2/4 up" alone read as two nodes down.
      expect(nodesSummary(status)).toBe('2/4 up, 1 busy');
      expect(nodesSummary(status.filter((node) => !node.busy))).toBe('2/3 up');
    } finally {
      fresh.close();
    }
  });

  describe('is gone without, as a node that is down', () => {
    it('by a download, a listing and an upload', async () => {
      await kept.cluster.makeBusy(1, 'logins');
      const fresh = await kept.connect(USERS.alice);
      try {
        const out = join(kept.cluster.dir, 'back');
        await fresh.getFile('docs/kept.bin', out);
        expect((await readFile(out)).equals(kept.contents)).toBe(true);
        await fresh.putFile(await writeTemp(kept.cluster.dir, 'more', kept.contents), 'docs/more.bin');
        expect((await fresh.list('docs')).map((e) => [e.name, e.pieces.good])).toEqual([
          ['kept.bin', 3],
          ['more.bin', 3],
        ]);
      } finally {
        fresh.close();
      }
    });
  });

  describe('a write', () => {
    it('that two busy nodes leave short of its quorum says they were busy and to try again in a moment', async () => {
      await kept.cluster.makeBusy(0, 'logins');
      await kept.cluster.makeBusy(3, 'logins');
      await expect(kept.vault.putFile(await writeTemp(kept.cluster.dir, 'more', kept.contents), 'docs/kept.bin')).rejects.toMatchObject({
        code: 'QUORUM_FAILED',
        message: `Only 2 of 4 nodes could store their piece; a write needs 3. Failed: DFS1 (busy: ${CROWDED}); DFS4 (busy: ${CROWDED}). Try again in a moment; the previous version is unchanged.`,
      });
    });
  });

  describe('check and repair', () => {
    it('mark the pieces of a busy node busy, leave them alone, and find them sound once it is free', async () => {
      await kept.cluster.makeBusy(1, 'logins');
      const [health] = await kept.vault.check('docs/kept.bin');
      expect(health).toMatchObject({ pieces: { good: 3, total: 4 }, health: 'degraded' });
      expect(health!.detail.filter((d) => d.state !== 'sound')).toEqual([{ piece: expect.any(Number), node: 'DFS2', state: 'busy' }]);
      const [repaired] = await kept.vault.repair('docs/kept.bin');
      expect(repaired).toMatchObject({ rebuilt: [], failed: [{ node: 'DFS2', reason: 'DFS2 is busy', away: 'busy' }], after: { good: 3, total: 4 } });
      await kept.cluster.makeFree(1);
      expect((await kept.vault.check('docs/kept.bin'))[0]).toMatchObject({ pieces: { good: 4, total: 4 }, health: 'healthy' });
    });
  });

  describe('changing the password', () => {
    it('is refused while a node is busy refusing logins, saying it is busy and to try again in a moment, and nothing changes', async () => {
      await kept.cluster.makeBusy(1, 'logins');
      await expect(kept.vault.changePassword(USERS.alice, NEW_PASSWORD)).rejects.toMatchObject({
        code: 'NODE_BUSY',
        message: `Changing the password needs every node, and DFS2 (${CROWDED}) is busy. Nothing was changed; try again in a moment.`,
      });
      await kept.cluster.makeFree(1);
      await kept.expectFilesIntact(USERS.alice);
      await expect(kept.connect(NEW_PASSWORD)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    });

    it('with one node busy and one down, names each for what it is', async () => {
      await kept.cluster.makeBusy(1, 'logins');
      await kept.cluster.stop(3);
      await expect(kept.vault.changePassword(USERS.alice, NEW_PASSWORD)).rejects.toMatchObject({
        code: 'NODE_UNREACHABLE',
        message: expect.stringMatching(
          new RegExp(`^Changing the password needs every node, and DFS4 \\(Cannot reach .*\\) is not reachable and DFS2 \\(${CROWDED}\\) is busy\\. Nothing was changed; try again when every node is up and none is busy\\.$`),
        ),
      });
    });

    it('stops when a node is busy with its users file, saying so, and the current password still works', async () => {
      await kept.cluster.makeBusy(2, 'users-file');
      await expect(kept.vault.changePassword(USERS.alice, NEW_PASSWORD)).rejects.toMatchObject({
        code: 'NODE_BUSY',
        message: `Could not change the password: DFS3 is busy (${LOCKED}); try again in a moment. Nothing was changed; the current password still works.`,
      });
      await kept.cluster.makeFree(2);
      await kept.expectFilesIntact(USERS.alice);
      await expect(kept.connect(NEW_PASSWORD)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    });
  });

  describe('the recovery key', () => {
    it('names a node that was busy with its users file as busy, and so cannot reset the password there yet', async () => {
      await kept.cluster.makeBusy(1, 'users-file');
      expect((await kept.vault.recoveryKey(USERS.alice)).notRegisteredOn).toEqual([{ name: 'DFS2', busy: true, reason: LOCKED }]);
    });

    it('cannot reset the password while a node is busy refusing logins, and says to try again in a moment', async () => {
      const { recoveryKey } = await kept.vault.recoveryKey(USERS.alice);
      await kept.cluster.makeBusy(0, 'logins');
      await expect(Vault.recover({ servers: kept.cluster.servers, username: 'alice', recoveryKey, newPassword: NEW_PASSWORD, ...FAST })).rejects.toMatchObject({
        code: 'NODE_BUSY',
        message: `Resetting the password needs every node, and DFS1 (${CROWDED}) is busy. Nothing was changed; try again in a moment.`,
      });
    });

    it('resets the password on the other nodes when one is busy with its users file at the last step, and says to run it again in a moment', async () => {
      const { recoveryKey } = await kept.vault.recoveryKey(USERS.alice);
      await kept.cluster.makeBusy(3, 'users-file');
      await expect(Vault.recover({ servers: kept.cluster.servers, username: 'alice', recoveryKey, newPassword: NEW_PASSWORD, ...FAST })).rejects.toMatchObject({
        code: 'INCOMPLETE',
        message: `The new password is set on some nodes but not on DFS4 (busy: ${LOCKED}). Run the recovery again in a moment.`,
      });
      await kept.cluster.makeFree(3);
      await Vault.recover({ servers: kept.cluster.servers, username: 'alice', recoveryKey, newPassword: NEW_PASSWORD, ...FAST });
      await kept.expectFilesIntact(NEW_PASSWORD);
    });
  });
});
