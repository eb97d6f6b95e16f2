import { ProtocolError } from '../protocol/errors.js';
import { describeListenError } from './listen-errors.js';
import { NODE_USAGE, UsageError, runNodeCommand } from './node-command.js';

// Entry point of a storage node process (the cluster launcher spawns this file).
runNodeCommand(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      process.stderr.write(`dfs-vault node: ${(error as Error).message}\n\n${NODE_USAGE}\n`);
      process.exit(2);
    }
    const message = describeListenError(error) ?? (error instanceof ProtocolError || error instanceof Error ? error.message : String(error));
    process.stderr.write(`dfs-vault node: ${message}\n`);
    process.exit(1);
  },
);
