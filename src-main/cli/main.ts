import { processIo } from './cli-io.js';
import { runCli } from './run-cli.js';

// The `dfs-vault` executable.
runCli(process.argv.slice(2), processIo()).then((status) => {
  process.exitCode = status;
});
