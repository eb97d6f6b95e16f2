// Builds the native AES-256-GCM sealer (native/aes-gcm) when it is missing or older than its source.
// A machine without a C compiler still gets a working vault: the build failing prints why and the vault
// seals with node:crypto instead (slower; README, "Performance").
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const directory = fileURLToPath(new URL('./aes-gcm/', import.meta.url));
const addon = `${directory}build/Release/dfs_vault_aes_gcm.node`;
const sources = ['aes_gcm.c', 'binding.gyp'].map((name) => directory + name);

const newest = Math.max(...sources.map((file) => statSync(file).mtimeMs));
if (existsSync(addon) && statSync(addon).mtimeMs >= newest) process.exit(0);

// npm puts its own node-gyp on the PATH of scripts and names it in npm_config_node_gyp.
const nodeGyp = process.env.npm_config_node_gyp;
const [command, args] = nodeGyp ? [process.execPath, [nodeGyp]] : ['node-gyp', []];
const build = spawnSync(command, [...args, 'rebuild', '--directory', directory], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
if (build.status !== 0) {
  const why = build.error ? build.error.message : (build.stderr.trim().split('\n').slice(-3).join('\n') || `exit status ${build.status}`);
  process.stderr.write(`DFS Vault: the native AES-GCM sealer was not built, so files are sealed with node:crypto (slower, same format).\n${why}\n`);
}
