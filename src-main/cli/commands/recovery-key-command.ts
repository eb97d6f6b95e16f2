import { missedNodesClause, whenEveryNodeIsUp } from '../../shared/missed-nodes.js';
import { Vault } from '../../vault/vault.js';
import { promptPassword } from '../cli-io.js';
import { accountCommand, slowNodeNotice } from '../vault-session.js';

/** `dfs-vault recovery-key` */
export const recoveryKeyCommand = accountCommand({
  name: 'recovery-key',
  summary: 'show the recovery key that resets a forgotten password',
  usage: `Usage: dfs-vault recovery-key [-c dfc.conf]

Shows your vault's recovery key once you confirm your password (typed, or DFS_PASSWORD).
With it, "dfs-vault recover" sets a new password when the old one is forgotten. Anyone
with the key can open your vault: write it down and keep it away from this computer.

Showing the key also sets up recovery on every node that is up; run it again once a
node that was down is back, or in a moment if one was busy.`,
  async run(login, io) {
    // Confirmed by typing it, even when dfc.conf holds it: the key opens everything.
    const password = io.env['DFS_PASSWORD'] ?? (await promptPassword(io, `Confirm the password for ${login.username}: `, { what: 'password', otherwise: 'set DFS_PASSWORD' }));
    const vault = await Vault.connect({ servers: login.servers, username: login.username, password, onSlowNode: slowNodeNotice(io) });
    try {
      const { recoveryKey, notRegisteredOn } = await vault.recoveryKey(password);
      io.stdout.write(`Recovery key for ${login.username}:\n\n    ${recoveryKey}\n\nAnyone with this key can open your vault. Keep it somewhere safe, away from this computer.\n`);
      if (notRegisteredOn.length > 0) {
        io.stderr.write(`Warning: ${missedNodesClause(notRegisteredOn, { down: 'not reachable', past: true })}, so the key cannot reset the password there yet. Run "dfs-vault recovery-key" again ${whenEveryNodeIsUp(notRegisteredOn)}.\n`);
      }
    } finally {
      vault.close();
    }
    return 0;
  },
});
