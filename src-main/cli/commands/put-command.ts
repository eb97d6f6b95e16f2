import { basename, resolve } from 'node:path';
import { formatBytes, interruptible, progressReporter } from '../cli-io.js';
import { COMMON_OPTIONS, VAULT_OPTIONS_HELP, type Command, parseCommandArgs, printHelp } from '../command.js';
import { withVault } from '../vault-session.js';

/** `dfs-vault put LOCAL [VAULT_PATH]` */
export const putCommand: Command = {
  name: 'put',
  summary: 'upload a file (stored as its name, or as VAULT_PATH)',
  usage: `Usage: dfs-vault put [-c dfc.conf] LOCAL_FILE [VAULT_PATH]

Uploads LOCAL_FILE, split into pieces over the nodes. It is stored as its own name, or as
VAULT_PATH (folders are created as needed: trips/2026/photo.jpg; a VAULT_PATH ending in "/"
is a folder to store it in under its own name). Storing succeeds once
k + 1 nodes (3 of 4) hold their piece; otherwise nothing changes.

Options:
${VAULT_OPTIONS_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, COMMON_OPTIONS, { min: 1, max: 2, names: 'the file to upload' });
    if (values.help) return printHelp(io, this);
    const local = resolve(io.cwd, positionals[0]!);
    // "docs/" names a folder: the file goes in under its own name.
    const vaultPath = positionals[1]?.endsWith('/') ? `${positionals[1]}${basename(local)}` : positionals[1];
    return withVault(io, values.config, async (vault) => {
      const progress = progressReporter(io, `Uploading ${basename(local)}`);
      const stored = await interruptible('nothing was stored.', (signal) => {
        // Connections are dropped only while the file's bytes go out. A commit (the file's, or a folder
        // record's) is left to finish: cut off, it could land on some nodes and not others.
        let uploading = false;
        signal.addEventListener('abort', () => uploading && vault.abort());
        return vault.putFile(local, vaultPath, { onProgress: progress, signal, onUploading: () => (uploading = true), onCommitting: () => (uploading = false) });
      }).finally(() => progress.end());
      io.stdout.write(`Stored ${stored.path} (${formatBytes(stored.size)}).\n`);
      if (vault.servers.length === 1) {
        io.stderr.write(`Warning: dfc.conf names one server, so ${stored.path} has no spare piece: losing that node loses it. With four servers any two can be lost.\n`);
      }
      return 0;
    });
  },
};
