#!/usr/bin/env node
// `npm start` (after `npm run build`): opens the desktop app when the Electron binary is installed, else the same UI
// in the browser through `dfs-vault web`. Extra arguments go to whichever runs.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary, electronUnavailableReason } from '../dist/src-main/main/electron-binary.js';

const appDir = dirname(dirname(fileURLToPath(import.meta.url)));

function run(command, args, env = process.env) {
  const child = spawn(command, args, { stdio: 'inherit', env });
  // Ctrl-C reaches the child from the terminal itself; a SIGTERM sent to this process alone is passed on.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('error', (error) => {
    console.error(`Cannot start ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const args = process.argv.slice(2);
const why = electronUnavailableReason();
const electron = why ? undefined : electronBinary();
if (electron) {
  // ELECTRON_RUN_AS_NODE inherited from a parent would make the binary a plain Node instead of the app.
  const { ELECTRON_RUN_AS_NODE: _ignored, ...env } = process.env;
  run(electron, [appDir, ...args], env);
} else {
  console.log(`The desktop window cannot open here: ${why}. DFS Vault opens in your browser instead.`);
  run(process.execPath, [join(appDir, 'bin', 'dfs-vault.js'), 'web', ...args]);
}
