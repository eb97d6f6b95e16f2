import { COMMON_OPTIONS, VAULT_OPTIONS_HELP, type Command, parseCommandArgs, printHelp } from '../command.js';
import { withVault } from '../vault-session.js';

/** `dfs-vault mkdir FOLDER` */
export const mkdirCommand: Command = {
  name: 'mkdir',
  summary: 'create a folder',
  usage: `Usage: dfs-vault mkdir [-c dfc.conf] FOLDER

Creates FOLDER (nested paths such as trips/2026 are fine). Uploading to a path inside a
folder also creates it.

Options:
${VAULT_OPTIONS_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, COMMON_OPTIONS, { min: 1, max: 1, names: 'the folder to create' });
    if (values.help) return printHelp(io, this);
    return withVault(io, values.config, async (vault) => {
      io.stdout.write(`Created folder ${await vault.mkdir(positionals[0]!)}/\n`);
      return 0;
    });
  },
};
