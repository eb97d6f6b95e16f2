import { Vault } from '../../vault/vault.js';
import { askNewPassword, promptPassword } from '../cli-io.js';
import { accountCommand, warnOfStalePasswordLine } from '../vault-session.js';

/** `dfs-vault recover` */
export const recoverCommand = accountCommand({
  name: 'recover',
  summary: 'set a new password with your recovery key',
  usage: `Usage: dfs-vault recover [-c dfc.conf]

Sets a new password for the user in dfc.conf when the old one is forgotten, using the
recovery key "dfs-vault recovery-key" showed. Every node must be reachable. Your files
and your recovery key stay as they are.

The recovery key comes from DFS_RECOVERY_KEY or a prompt (dashes, spaces and case do not
matter); the new password from DFS_NEW_PASSWORD or a prompt (typed twice).`,
  async run(login, io) {
    const recoveryKey = io.env['DFS_RECOVERY_KEY'] ?? (await promptPassword(io, `Recovery key for ${login.username}: `, { what: 'recovery key', otherwise: 'set DFS_RECOVERY_KEY' }));
    const newPassword = await askNewPassword(io, `New password for ${login.username}: `, 'DFS_NEW_PASSWORD');
    await Vault.recover({ servers: login.servers, username: login.username, recoveryKey, newPassword });
    io.stdout.write(`Password reset for ${login.username} on all ${login.servers.length} nodes. Log in with the new password.\n`);
    warnOfStalePasswordLine(io, login);
    return 0;
  },
});
