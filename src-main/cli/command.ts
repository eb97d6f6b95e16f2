import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type CliIo, UsageError } from './cli-io.js';

/** One `dfs-vault` subcommand. */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full help text (shown by --help and after a usage error). */
  usage: string;
  /** Runs the command; resolves with the exit status. */
  run(args: string[], io: CliIo): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Options every vault command takes. */
export const COMMON_OPTIONS = {
  config: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** Help lines of COMMON_OPTIONS, closing every vault command's usage. */
export const VAULT_OPTIONS_HELP = `  -c, --config FILE   client config (default ./dfc.conf)
  -h, --help          show this help`;

/** parseArgs with strict checking, turning its errors into UsageError with a plain sentence. */
export function parseCommandArgs<O extends Options>(args: string[], options: O, positionals: { min: number; max: number; names: string }) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, '.'));
  }
  if (!(parsed.values as { help?: boolean }).help) {
    if (parsed.positionals.length < positionals.min) throw new UsageError(`Missing ${positionals.names}.`);
    if (parsed.positionals.length > positionals.max) throw new UsageError(`Unexpected argument "${parsed.positionals[positionals.max]}".`);
  }
  return parsed;
}

/** Prints help and returns 0 when --help was given. */
export function printHelp(io: CliIo, command: Command): number {
  io.stdout.write(`${command.usage}\n`);
  return 0;
}
