import { spawnSync } from 'node:child_process';

/** Whether node-gyp can build the native addons here: a C compiler, make and Python 3 (what `npm install` needs). */
export function canBuildAddons(): boolean {
  return ['cc', 'make', 'python3'].every((tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0);
}
