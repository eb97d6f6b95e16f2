import { Vault } from '../../vault/vault.js';
import { askNewPassword } from '../cli-io.js';
import { COMMON_OPTIONS, VAULT_OPTIONS_HELP, type Command, parseCommandArgs, printHelp } from '../command.js';
import { loadLogin, passwordOf } from '../vault-session.js';

/** `dfs-vault passwd` */
export const passwdCommand: Command = {
  name: 'passwd',
  summary: 'change your password on every node (files are not re-encrypted)',
  usage: `Usage: dfs-vault passwd [-c dfc.conf]

Changes your login password on every node and re-wraps your vault key under it. Files
are not re-encrypted and your recovery key stays the same. Every node must be reachable;
if anything fails midway, your current password keeps working.

The current password comes from dfc.conf, DFS_PASSWORD or a prompt; the new one from
DFS_NEW_PASSWORD or a prompt (typed twice).

Options:
${VAULT_OPTIONS_HELP}`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, COMMON_OPTIONS, { min: 0, max: 0, names: '' });
    if (values.help) return printHelp(io, this);
    const login = await loadLogin(io, values.config);
    const current = await passwordOf(io, login, `Current password for ${login.username}: `);
    const vault = await Vault.connect({ servers: login.servers, username: login.username, password: current });
    try {
      const next = await askNewPassword(io, `New password for ${login.username}: `, 'DFS_NEW_PASSWORD');
      await vault.changePassword(current, next);
    } finally {
      vault.close();
    }
    io.stdout.write(`Password changed for ${login.username} on all ${login.servers.length} nodes. Files were not re-encrypted; your recovery key is unchanged.\n`);
    if (login.configPassword !== undefined) {
      io.stderr.write(`Note: ${login.configPath} still holds the old password on its "Password:" line; change or remove that line.\n`);
    }
    return 0;
  },
};
