import { COMMON_OPTIONS, VAULT_OPTIONS_HELP, type Command, parseCommandArgs, printHelp } from '../command.js';
import { withVault } from '../vault-session.js';

/** `dfs-vault repair [PATH]` */
export const repairCommand: Command = {
  name: 'repair',
  summary: 'rebuild missing or damaged pieces onto the nodes that lack them',
  usage: `Usage: dfs-vault repair [-c dfc.conf] [VAULT_PATH] [--json]

Checks every file (or those under VAULT_PATH) and rebuilds each missing or damaged piece
from two sound ones, writing it to the node that should hold it. Nodes that are down are
skipped; run repair again once they are back. Exits 1 if some piece could not be rebuilt.

Options:
  --json              print what was done as JSON
${VAULT_OPTIONS_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { ...COMMON_OPTIONS, json: { type: 'boolean' } }, { min: 0, max: 1, names: '' });
    if (values.help) return printHelp(io, this);
    return withVault(io, values.config, async (vault) => {
      const results = await vault.repair(positionals[0] ?? '');
      if (values.json) {
        io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
        return results.every((r) => r.failed.length === 0) ? 0 : 1;
      }
      if (results.length === 0) io.stdout.write('Nothing to repair: every file has all its pieces.\n');
      for (const r of results) {
        for (const b of r.rebuilt) io.stdout.write(`${r.path}: rebuilt piece ${b.piece} on ${b.node}\n`);
        for (const f of r.failed) io.stdout.write(`${r.path}: could not rebuild piece ${f.piece} on ${f.node}: ${f.reason}\n`);
        if (r.pruned.length > 0) io.stdout.write(`${r.path}: removed superseded versions from ${r.pruned.join(', ')}\n`);
        io.stdout.write(`${r.path}: ${r.before.good}/${r.before.total} → ${r.after.good}/${r.after.total} pieces\n`);
      }
      return results.every((r) => r.failed.length === 0) ? 0 : 1;
    });
  },
};
