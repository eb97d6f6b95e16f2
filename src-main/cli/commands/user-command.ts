import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { VaultError } from '../../shared/errors.js';
import { holdsOtherPassword, upsertUser, validateUsername } from '../../../servers/node/user-store.js';
import { UsageError, askNewPassword } from '../cli-io.js';
import { type Command, parseCommandArgs, printHelp } from '../command.js';

/** `dfs-vault user add NAME --users dfs.conf` */
export const userCommand: Command = {
  name: 'user',
  summary: 'add a user, or change a password, in a users file (stored hashed)',
  usage: `Usage: dfs-vault user add NAME [--users FILE] [--replace]

Adds NAME to the users file (default ./dfs.conf). The password comes from DFS_PASSWORD or
is asked for twice; the file keeps only a salted SCRAM-SHA-256 verifier, never the
password. Running nodes pick the change up at the next login. Use it also to hash a
classic plain-text line ("Alice SimplePassword"): give the same password.

An existing NAME keeps its password unless --replace is given: its files open only with
the password they were stored under, so users change theirs with "dfs-vault passwd" (or
"dfs-vault recover" with the recovery key when it is forgotten).

Options:
  --users FILE   users file (default ./dfs.conf)
  --replace      replace an existing NAME's password (for an account without files)
  -h, --help     show this help`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { users: { type: 'string' }, replace: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, { min: 2, max: 2, names: 'the action and name (user add NAME)' });
    if (values.help) return printHelp(io, this);
    const [action, name] = positionals as [string, string];
    if (action !== 'add') throw new UsageError(`Unknown action "${action}"; the only one is "add".`);
    const problem = validateUsername(name);
    if (problem) throw new UsageError(problem);
    const file = resolve(io.cwd, values.users ?? 'dfs.conf');
    const folder = await stat(dirname(file)).catch(() => undefined);
    if (folder && !folder.isDirectory()) throw new VaultError('LOCAL_IO', `${dirname(file)} is a file, not a folder, so it cannot hold the users file; give another --users.`);
    if (!folder) throw new VaultError('LOCAL_IO', `There is no folder ${dirname(file)} for the users file; create it first, or give another --users.`);
    if ((await stat(file).catch(() => undefined))?.isDirectory()) throw new VaultError('LOCAL_IO', `${file} is a folder; give the users file in it, such as --users ${join(file, 'dfs.conf')}.`);
    const password = await askNewPassword(io, `New password for ${name}: `, 'DFS_PASSWORD');
    if (!values.replace && (await holdsOtherPassword(file, name, password))) {
      throw new VaultError('INVALID_REQUEST', `${name} already has another password in ${file}, and their files open only with it; nothing was changed. ${name} can change it with "dfs-vault passwd" (or "dfs-vault recover"); add --replace for an account without files.`);
    }
    await upsertUser(file, name, password);
    io.stdout.write(`Saved ${name} in ${file} (hashed).\n`);
    return 0;
  },
};
