import { NODE_USAGE, UsageError as NodeUsageError, runNodeCommand } from '../../../servers/node/node-command.js';
import { UsageError } from '../cli-io.js';
import type { Command } from '../command.js';

/** `dfs-vault node --root DIR --port PORT` (also the classic `node DIR PORT`). */
export const nodeCommand: Command = {
  name: 'node',
  summary: 'run one storage node',
  usage: NODE_USAGE,
  async run(args, io) {
    try {
      return await runNodeCommand(args, io.stdout, io.stderr);
    } catch (error) {
      if (error instanceof NodeUsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw new UsageError((error as Error).message);
      throw error;
    }
  },
};
