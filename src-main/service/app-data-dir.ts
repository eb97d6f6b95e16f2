import { homedir } from 'node:os';
import { join } from 'node:path';

/** The product name, which also names the per-user data folder (as Electron's `userData` does). */
export const PRODUCT_NAME = 'DFS Vault';

/**
 * The folder Electron's app.getPath('userData') gives this app, computed without Electron, so the desktop app and
 * `dfs-vault web` share settings and the local cluster.
 */
export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (platform === 'win32') return join(env['APPDATA'] || join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return join(env['XDG_CONFIG_HOME'] || join(home, '.config'), PRODUCT_NAME);
}
