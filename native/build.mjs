// Builds the native addons when missing or older than their sources: native/aes-gcm (sealing stripes),
// native/crc32 (the chunk checks) and native/gf256 (the erasure code's sums). A machine without a C compiler
// still gets a working vault: a failed build prints why, and the vault uses node:crypto, zlib and its wasm
// kernels instead (slower, same bytes; README, "Performance").
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `targets`: what its binding.gyp builds. `sources`: every file the addon is built from (its binding.gyp's sources
// and the headers they include), so a change to any of them rebuilds it; COMMON is what all three share.
const COMMON = '../common/addon-support.h';
const ADDONS = [
  { folder: 'aes-gcm', targets: ['dfs_vault_aes_gcm', 'dfs_vault_aes_gcm_vaes'], sources: ['aes_gcm.c', 'vaes_gcm.c', 'vaes_gcm.h', COMMON], fallback: 'files are sealed with node:crypto (slower, same format)' },
  { folder: 'crc32', targets: ['dfs_vault_crc32'], sources: ['crc32.c', COMMON], fallback: 'chunk checks are computed with zlib (slower, same values)' },
  { folder: 'gf256', targets: ['dfs_vault_gf256'], sources: ['gf256.c', COMMON], fallback: 'the erasure code runs its wasm kernels (slower, same bytes)' },
];

for (const { folder, targets, sources, fallback } of ADDONS) {
  const directory = fileURLToPath(new URL(`./${folder}/`, import.meta.url));
  const newest = Math.max(...[...sources, 'binding.gyp'].map((name) => statSync(join(directory, name)).mtimeMs));
  const upToDate = (target) => {
    const addon = join(directory, 'build', 'Release', `${target}.node`);
    return existsSync(addon) && statSync(addon).mtimeMs >= newest;
  };
  if (targets.every(upToDate)) continue;
  const build = spawnSync(process.execPath, [nodeGyp(), 'rebuild', '--directory', directory, ...nodeDir()], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (build.status !== 0) process.stderr.write(`DFS Vault: the native addon native/${folder} was not built, so ${fallback}.\n${why(build)}\n`);
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
