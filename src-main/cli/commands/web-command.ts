import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { VaultError } from '../../shared/errors.js';
import { appDataDir } from '../../service/app-data-dir.js';
import { keytarCredentialStore } from '../../service/credential-store.js';
import { VaultService } from '../../service/vault-service.js';
import { requireBuiltRenderer } from '../../web/renderer-dir.js';
import { startWebHost } from '../../web/web-host.js';
import { type CliIo, UsageError, waitForSignal } from '../cli-io.js';
import { type Command, parseCommandArgs, printHelp } from '../command.js';

/** `dfs-vault web [--port N] [--data DIR]` */
export const webCommand: Command = {
  name: 'web',
  summary: 'serve the DFS Vault app to your browser on 127.0.0.1',
  usage: `Usage: dfs-vault web [--port N] [--data DIR]

Serves the same user interface as the desktop app on http://127.0.0.1:PORT and prints
the address to open, with a secret token in it (new at every start): only a browser
given that address can use the vault. Requests from other sites and other host names
are refused. Runs until Ctrl-C (or SIGTERM), then stops the local cluster's nodes if
it started them.

Options:
  --port N     port to listen on (default: a free one)
  --data DIR   settings and local-cluster folder (default: the desktop app's,
               ${appDataDir()})
  -h, --help   show this help`,
  async run(args: string[], io: CliIo) {
    const { values } = parseCommandArgs(args, { port: { type: 'string' }, data: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, { min: 0, max: 0, names: '' });
    if (values.help) return printHelp(io, this);
    const port = Number(values.port ?? 0);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port takes a port number (got "${values.port}").`);
    const dataDir = values.data ? resolve(io.cwd, values.data) : appDataDir(io.env);
    // Found out only at the first sign-in otherwise, in the browser, as a failure to save settings.
    const data = await stat(dataDir).catch(() => undefined);
    if (data && !data.isDirectory()) throw new VaultError('LOCAL_IO', `${dataDir} is a file, not a folder; give a folder for --data.`);
    const renderer = requireBuiltRenderer();
    const service = new VaultService({ dataDir, credentials: keytarCredentialStore(), log: (line) => io.stderr.write(`${line}\n`) });
    let host;
    try {
      host = await startWebHost({ service, rendererDir: renderer, port });
    } catch (error) {
      await service.close();
      throw error;
    }
    const signalled = waitForSignal();
    io.stdout.write(`DFS Vault is ready at ${host.url}\nOpen that address in your browser (it carries the access token). Press Ctrl-C to stop.\n`);
    const signal = await signalled;
    io.stdout.write(`${signal}: stopping...\n`);
    await host.close();
    await service.close();
    io.stdout.write('Stopped.\n');
    return 0;
  },
};
