import { checkedPathText } from '../../shared/models.js';
import { formatTable } from '../cli-io.js';
import { COMMON_OPTIONS, VAULT_OPTIONS_HELP, type Command, parseCommandArgs, printHelp } from '../command.js';
import { withVault } from '../vault-session.js';

/** `dfs-vault check [PATH]` */
export const checkCommand: Command = {
  name: 'check',
  summary: 'read every piece and report per file how many are present and sound',
  usage: `Usage: dfs-vault check [-c dfc.conf] [VAULT_PATH] [--quick] [--json]

Reports, per file, how many of its pieces are present and sound: healthy (4/4),
degraded (3/4), at risk (2/4) or unavailable (fewer than 2). Every piece is read in full
and its checksums verified, unless --quick (presence and size only). Exits 1 when some
file is not healthy, so scripts can react.

Options:
  --quick             skip reading pieces; trust presence and size
  --json              print the report as JSON
${VAULT_OPTIONS_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { ...COMMON_OPTIONS, quick: { type: 'boolean' }, json: { type: 'boolean' } }, { min: 0, max: 1, names: '' });
    if (values.help) return printHelp(io, this);
    return withVault(io, values.config, async (vault) => {
      const report = await vault.check(positionals[0] ?? '', { deep: !values.quick });
      if (values.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else if (report.length === 0) io.stdout.write('No files to check.\n');
      else {
        const rows: string[][] = [];
        for (const file of report) {
          rows.push([checkedPathText(file), `${file.pieces.good}/${file.pieces.total}`, file.health]);
          for (const d of file.detail) if (d.state !== 'sound') rows.push([`  piece ${d.piece} on ${d.node}`, '', d.state]);
        }
        io.stdout.write(`${formatTable(rows)}\n`);
      }
      return report.every((f) => f.health === 'healthy') ? 0 : 1;
    });
  },
};
