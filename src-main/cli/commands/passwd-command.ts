import { missedNodeText, whenReachable } from '../../shared/missed-nodes.js';
import { Vault } from '../../vault/vault.js';
import { UsageError, askNewPassword } from '../cli-io.js';
import { accountCommand, passwordOf, slowNodeNotice, warnOfStalePasswordLine } from '../vault-session.js';

/** `dfs-vault passwd` */
export const passwdCommand = accountCommand({
  name: 'passwd',
  summary: 'change your password on every node (files are not re-encrypted)',
  usage: `Usage: dfs-vault passwd [-c dfc.conf]

Changes your login password on every node and re-wraps your vault key under it. Files
are not re-encrypted and your recovery key stays the same. Every node must be reachable;
if anything fails midway, your current password keeps working.

The current password comes from dfc.conf, DFS_PASSWORD or a prompt; the new one from
DFS_NEW_PASSWORD or a prompt (typed twice).`,
  async run(login, io) {
    const current = await passwordOf(io, login, `Current password for ${login.username}: `);
    const vault = await Vault.connect({ servers: login.servers, username: login.username, password: current, onSlowNode: slowNodeNotice(io) });
    try {
      const next = await askNewPassword(io, `New password for ${login.username}: `, 'DFS_NEW_PASSWORD');
      // "Changed", and a note that dfc.conf holds the old one, would both be untrue.
      if (next === current) throw new UsageError('The new password is the same as the current one; nothing was changed.');
      const { oldPasswordStillAcceptedBy: lagging } = await vault.changePassword(current, next);
      if (lagging.length > 0) {
        io.stderr.write(`Warning: ${lagging.map(missedNodeText).join(', ')} took the new password but still also accept${lagging.length === 1 ? 's' : ''} the old one. Run "dfs-vault passwd" again (the new password is now the current one) ${whenReachable(lagging)}.\n`);
      }
    } finally {
      vault.close();
    }
    io.stdout.write(`Password changed for ${login.username} on all ${login.servers.length} nodes. Files were not re-encrypted; your recovery key is unchanged.\n`);
    warnOfStalePasswordLine(io, login);
    return 0;
  },
});
