import { ProtocolError } from '../protocol/errors.js';
import { NODE_USAGE, UsageError, runNodeCommand } from './node-command.js';

// Entry point of a storage node process (the cluster launcher spawns this file).
runNodeCommand(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      process.stderr.write(`dfs-vault node: ${(error as Error).message}\n\n${NODE_USAGE}\n`);
      process.exit(2);
    }
    const errno = error as NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string };
    const message =
      errno.code === 'EADDRINUSE'
        ? `Port ${errno.port} on ${errno.address} is already in use (is another node or cluster running?). Stop it or choose another --port.`
        : errno.code === 'EACCES' && errno.syscall === 'listen'
          ? `Not allowed to listen on port ${errno.port}; ports below 1024 need privileges. Choose another --port.`
          : errno.code === 'ENOTFOUND' || errno.code === 'EAI_AGAIN'
            ? `No such host: ${errno.hostname}. Give --host an address of this machine (0.0.0.0 for all of them).`
            : errno.code === 'EADDRNOTAVAIL'
              ? `${errno.address} is not an address of this machine. Give --host one of its addresses (0.0.0.0 for all of them).`
              : error instanceof ProtocolError || error instanceof Error
                ? error.message
                : String(error);
    process.stderr.write(`dfs-vault node: ${message}\n`);
    process.exit(1);
  },
);
