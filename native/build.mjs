// Builds the native AES-GCM addon (native/aes-gcm) when it is missing or older than its source.
// A machine without a C compiler still gets a working vault: the build failing prints why and the vault
// seals and opens with node:crypto instead (slower, same format; README, "Performance").
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const directory = fileURLToPath(new URL('./aes-gcm/', import.meta.url));
const addon = join(directory, 'build', 'Release', 'dfs_vault_aes_gcm.node');
const sources = ['aes_gcm.c', 'binding.gyp'].map((name) => join(directory, name));

const newest = Math.max(...sources.map((file) => statSync(file).mtimeMs));
if (existsSync(addon) && statSync(addon).mtimeMs >= newest) process.exit(0);

const build = spawnSync(process.execPath, [nodeGyp(), 'rebuild', '--directory', directory, ...nodeDir()], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
if (build.status !== 0) {
  process.stderr.write(`DFS Vault: the native AES-GCM addon was not built, so files are sealed with node:crypto (slower, same format).\n${why(build)}\n`);
}

/** npm's own node-gyp: named by npm in scripts, else the one inside the npm beside this Node. */
function nodeGyp() {
  if (process.env.npm_config_node_gyp) return process.env.npm_config_node_gyp;
  const bundled = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  return existsSync(bundled) ? bundled : 'node-gyp';
}

/** Node's own headers when they sit beside it (a system install), so node-gyp need not download them. */
function nodeDir() {
  if (process.env.npm_config_nodedir) return [];
  const root = join(dirname(process.execPath), '..');
  return existsSync(join(root, 'include', 'node', 'node_api.h')) ? [`--nodedir=${root}`] : [];
}

/** The lines of node-gyp's output that say what failed (compiler errors, its own ERR! lines), not its trailer. */
function why(result) {
  if (result.error) return result.error.message;
  if (result.signal) return `the build was stopped by ${result.signal}`;
  const lines = result.stderr.split('\n').filter((line) => /error|ERR! (stack )?Error|not found|No such file/i.test(line) && !/^gyp ERR! (cwd|node -v|node-gyp -v|command|System|not ok)/.test(line));
  return (lines.length > 0 ? lines.slice(0, 12) : result.stderr.trim().split('\n').slice(-12)).join('\n');
}
