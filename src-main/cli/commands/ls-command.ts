import { formatBytes, formatLocalTime, formatTable } from '../cli-io.js';
import { COMMON_OPTIONS, VAULT_OPTIONS_HELP, type Command, parseCommandArgs, printHelp } from '../command.js';
import { withVault } from '../vault-session.js';

/** `dfs-vault ls [FOLDER] [--json]` */
export const lsCommand: Command = {
  name: 'ls',
  summary: 'list a folder; "[incomplete]" marks files that cannot be read now',
  usage: `Usage: dfs-vault ls [-c dfc.conf] [FOLDER] [--json]

Lists the files and folders in FOLDER (default: the top of the vault) with size, date and
pieces reachable. A file with fewer than two good pieces reachable is marked [incomplete].

Options:
  --json              print a JSON array of {name, type, size, modified, pieces: {good, total}}
${VAULT_OPTIONS_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { ...COMMON_OPTIONS, json: { type: 'boolean' } }, { min: 0, max: 1, names: '' });
    if (values.help) return printHelp(io, this);
    return withVault(io, values.config, async (vault) => {
      const entries = await vault.list(positionals[0] ?? '');
      if (values.json) {
        const rows = entries.map(({ name, type, size, modified, pieces }) => ({ name, type, size, modified, pieces }));
        io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return 0;
      }
      if (entries.length === 0) {
        io.stdout.write('(empty)\n');
        return 0;
      }
      const rows = entries.map((e) => {
        const name = e.type === 'folder' ? `${e.name}/` : e.health === 'unavailable' ? `${e.name} [incomplete]` : e.name;
        const when = formatLocalTime(e.modified);
        return e.type === 'folder' ? [name, '', when, ''] : [name, formatBytes(e.size), when, `${e.pieces.good}/${e.pieces.total} pieces`];
      });
      io.stdout.write(`${formatTable(rows)}\n`);
      return 0;
    });
  },
};
