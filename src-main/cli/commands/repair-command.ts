import { COMMON_OPTIONS, VAULT_OPTIONS_HELP, type Command, parseCommandArgs, printHelp } from '../command.js';
import type { RepairResult } from '../../shared/models.js';
import { withVault } from '../vault-session.js';

/** `dfs-vault repair [PATH]` */
export const repairCommand: Command = {
  name: 'repair',
  summary: 'rebuild missing or damaged pieces onto the nodes that lack them',
  usage: `Usage: dfs-vault repair [-c dfc.conf] [VAULT_PATH] [--json]

Checks every file (or those under VAULT_PATH) and rebuilds each missing or damaged piece
from two sound ones, writing it to the node that should hold it. Nodes that are down or
busy are skipped; run repair again once they are back, or in a moment for a busy one.
Exits 1 if some piece could not be rebuilt.

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
      // A node that is down or busy would otherwise get a line for every file; it gets one in all.
      const down = new Map<string, number>();
      const busy = new Map<string, number>();
      for (const r of results) {
        const failed: RepairResult['failed'] = [];
        for (const f of r.failed) {
          const waiting = f.away === 'unreachable' ? down : f.away === 'busy' ? busy : undefined;
          if (waiting) waiting.set(f.node, (waiting.get(f.node) ?? 0) + 1);
          else failed.push(f);
        }
        if (r.rebuilt.length === 0 && failed.length === 0 && r.pruned.length === 0) continue;
        for (const b of r.rebuilt) io.stdout.write(`${r.path}: rebuilt piece ${b.piece} on ${b.node}\n`);
        for (const f of failed) io.stdout.write(`${r.path}: could not rebuild piece ${f.piece} on ${f.node}: ${f.reason}\n`);
        if (r.pruned.length > 0) io.stdout.write(`${r.path}: removed superseded versions from ${r.pruned.join(', ')}\n`);
        io.stdout.write(`${r.path}: ${r.before.good}/${r.before.total} → ${r.after.good}/${r.after.total} pieces\n`);
      }
      const skipped = (waiting: Map<string, number>, what: string, when: (one: boolean) => string): void => {
        if (waiting.size === 0) return;
        const nodes = [...waiting.keys()].sort();
        const pieces = [...waiting.values()].reduce((a, b) => a + b, 0);
        io.stdout.write(`${nodes.join(', ')} ${nodes.length === 1 ? 'is' : 'are'} ${what}, so ${pieces} piece${pieces === 1 ? '' : 's'} there could not be rebuilt; run "dfs-vault repair" again ${when(nodes.length === 1)}.\n`);
      };
      skipped(down, 'not reachable', (one) => `once ${one ? 'it is' : 'they are'} back`);
      skipped(busy, 'busy', () => 'in a moment');
      return results.every((r) => r.failed.length === 0) ? 0 : 1;
    });
  },
};
