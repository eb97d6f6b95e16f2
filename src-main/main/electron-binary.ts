import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The Electron binary the `electron` package installed, or undefined when its download was skipped. Reads where
 * electron's own index.js would look, without calling it: when the binary is missing, that module starts a download.
 */
export function electronBinary(env: NodeJS.ProcessEnv = process.env, from: string = import.meta.url): string | undefined {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(from).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = join(packageDir, 'path.txt');
  const fallback = ({ darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' } as Record<string, string>)[process.platform] ?? 'electron';
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : fallback;
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  const binary = override ? join(override, relative) : join(packageDir, 'dist', relative);
  return existsSync(binary) ? binary : undefined;
}

/** Why the Electron window cannot be opened here, or undefined when it can. */
export function electronUnavailableReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!electronBinary(env)) return 'the Electron binary is not installed (electron was installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or its download failed)';
  if (process.platform === 'linux' && !env['DISPLAY'] && !env['WAYLAND_DISPLAY']) return 'there is no display to open the Electron window on (DISPLAY and WAYLAND_DISPLAY are unset); run under xvfb-run';
  return undefined;
}
