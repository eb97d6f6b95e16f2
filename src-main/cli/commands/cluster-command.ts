import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { tryLockClusterDir } from '../../../servers/cluster/cluster-lock.js';
import { launchCluster } from '../../../servers/cluster/local-cluster.js';
import { holdsOtherPassword, validateUsername } from '../../../servers/node/user-store.js';
import { VaultError } from '../../shared/errors.js';
import { type CliIo, UsageError, waitForSignal } from '../cli-io.js';
import { type Command, parseCommandArgs, printHelp } from '../command.js';

function parseUser(text: string): { name: string; password: string } {
  const at = text.indexOf(':');
  if (at <= 0 || at === text.length - 1) throw new UsageError(`--user takes NAME:PASSWORD (got "${text}").`);
  const name = text.slice(0, at);
  const problem = validateUsername(name);
  if (problem) throw new UsageError(problem);
  return { name, password: text.slice(at + 1) };
}

/** `dfs-vault cluster --dir DIR --user NAME:PASSWORD` */
export const clusterCommand: Command = {
  name: 'cluster',
  summary: 'start a local cluster of storage nodes (writes dfc.conf and dfs.conf)',
  usage: `Usage: dfs-vault cluster [--dir DIR] [--user NAME:PASSWORD]... [--nodes N] [--port FIRST] [--host ADDRESS]

Starts N storage nodes (default 4) as separate processes on consecutive ports from FIRST
(default 10001), with data in DIR/DFS1..DIR/DFSn. Creates the accounts given with --user
in DIR/dfs.conf (stored hashed) and writes DIR/dfc.conf for the first one. An account that
exists keeps its password ("dfs-vault passwd" changes it); --user must give that password.
Prints "ready" once every node accepts logins, and runs until Ctrl-C (or SIGTERM), then
stops all nodes cleanly.

Options:
  --dir DIR           cluster folder (default ./vault)
  --user NAME:PASS    account to create (repeatable)
  --nodes N           number of nodes (default 4)
  --port FIRST        first port (default 10001; 0 picks free ports)
  --host ADDRESS      address to listen on (default 127.0.0.1)
  -h, --help          show this help`,
  async run(args: string[], io: CliIo) {
    const { values } = parseCommandArgs(
      args,
      {
        dir: { type: 'string' },
        user: { type: 'string', multiple: true },
        nodes: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      { min: 0, max: 0, names: '' },
    );
    if (values.help) return printHelp(io, this);
    const nodes = Number(values.nodes ?? 4);
    if (!Number.isInteger(nodes) || nodes < 1 || nodes > 64) throw new UsageError(`--nodes takes a number from 1 to 64 (got "${values.nodes}").`);
    const basePort = Number(values.port ?? 10001);
    if (!Number.isInteger(basePort) || basePort < 0 || basePort + nodes - 1 > 65535) throw new UsageError(`--port takes a port number (got "${values.port}").`);
    const users = (values.user ?? []).map(parseUser);
    const dir = resolve(io.cwd, values.dir ?? 'vault');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // One launcher per folder (the app's included): a second would change the accounts under running nodes, then fail node by node.
    const lock = await tryLockClusterDir(dir);
    if ('heldBy' in lock) throw new VaultError('INVALID_REQUEST', `A cluster is already running in ${dir} (process ${lock.heldBy}); stop it first, or give another --dir.`);
    try {
      // Replacing a password here would lock the user out of their files: their key opens only with the old one.
      for (const user of users) {
        if (await holdsOtherPassword(join(dir, 'dfs.conf'), user.name, user.password)) {
          throw new VaultError('INVALID_REQUEST', `${user.name} already has another password in ${join(dir, 'dfs.conf')}, and their files open only with it. Give that password with --user, or change it with "dfs-vault passwd" once the cluster runs.`);
        }
      }
      return await serveCluster(io, { dir, nodes, basePort, host: values.host, users });
    } finally {
      await lock.release();
    }
  },
};

/** Starts the nodes, reports them, and runs until a stop signal (exit 0) or until every node is gone (exit 1). */
async function serveCluster(io: CliIo, options: { dir: string; nodes: number; basePort: number; host: string | undefined; users: Array<{ name: string; password: string }> }): Promise<number> {
  const { dir, nodes, users } = options;
  const cluster = await launchCluster({ ...options, log: (line) => io.stderr.write(`${line}\n`) });
  // Listen for the stop signals before announcing readiness: whoever reads "ready" may signal at once.
  const signalled = waitForSignal();
  for (const node of cluster.nodes) io.stdout.write(`${node.spec.name} listening on ${node.spec.host}:${node.port} (data in ${node.spec.root})\n`);
  const who = users[0] ? `; log in as ${users[0].name}` : '; add an account with "dfs-vault user add NAME --users ' + cluster.usersFile + '"';
  io.stdout.write(`Cluster ready: ${nodes} nodes, client config ${cluster.dfcConfPath}${who}. Press Ctrl-C to stop.\n`);
  // With every node gone nothing keeps the process alive: say so and fail, rather than end quietly with 0.
  const allLost = new Promise<'lost'>((resolveLost) => {
    let lost = 0;
    for (const node of cluster.nodes) {
      node.onExit = (how) => {
        io.stderr.write(`${node.spec.name} stopped unexpectedly (${how}).\n`);
        if (++lost === cluster.nodes.length) resolveLost('lost');
      };
    }
  });
  const signal = await Promise.race([signalled, allLost]);
  if (signal === 'lost') {
    io.stderr.write(`Every node has stopped, so the cluster is down; start it again with the same command (your files stay in ${dir}).\n`);
    return 1;
  }
  io.stdout.write(`${signal}: stopping the nodes...\n`);
  await cluster.stop();
  io.stdout.write('All nodes stopped.\n');
  return 0;
}
