import { COMMON_OPTIONS, VAULT_OPTIONS_HELP, type Command, parseCommandArgs, printHelp } from '../command.js';
import { withVault } from '../vault-session.js';

/** `dfs-vault rm PATH` */
export const rmCommand: Command = {
  name: 'rm',
  summary: 'delete a file, or a folder with everything in it',
  usage: `Usage: dfs-vault rm [-c dfc.conf] VAULT_PATH

Deletes a file, or a folder and everything in it. The delete is recorded on the nodes as a
tombstone, so a node that was down at the time cannot bring the file back.

Options:
${VAULT_OPTIONS_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, COMMON_OPTIONS, { min: 1, max: 1, names: 'the vault path to delete' });
    if (values.help) return printHelp(io, this);
    return withVault(io, values.config, async (vault) => {
      const removed = await vault.remove(positionals[0]!);
      for (const path of removed) io.stdout.write(`Deleted ${path}\n`);
      return 0;
    });
  },
};
