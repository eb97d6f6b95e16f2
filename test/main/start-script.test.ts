import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const START = fileURLToPath(new URL('../../bin/start.js', import.meta.url));
const APP_DIR = dirname(dirname(START));

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dfs-start-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs bin/start.js with Electron's dist folder overridden (ELECTRON_OVERRIDE_DIST_PATH, which electron itself honours). */
function start(distDir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [START, ...args], { env: { ...process.env, ...env, ELECTRON_OVERRIDE_DIST_PATH: distDir }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('npm start (bin/start.js)', () => {
  it.skipIf(process.platform === 'win32')('runs the installed Electron binary on the app folder and passes on its exit code', async () => {
    const dist = join(dir, 'with-electron');
    const binary = join(dist, process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron');
    await mkdir(dirname(binary), { recursive: true });
    await writeFile(binary, '#!/bin/sh\necho "args:$*"\necho "run-as-node:${ELECTRON_RUN_AS_NODE:-unset}"\nexit 7\n');
    await chmod(binary, 0o755);
    const result = await start(dist, ['--inspect-later'], { ELECTRON_RUN_AS_NODE: '1', DISPLAY: ':99' });
    expect(result.code).toBe(7);
    expect(result.stdout).toContain(`args:${APP_DIR} --inspect-later`);
    // Inherited, it would turn the app into a plain Node process.
    expect(result.stdout).toContain('run-as-node:unset');
    expect(result.stdout).not.toContain('browser');
  });

  it.skipIf(process.platform !== 'linux')('opens the browser host instead when there is no display to open a window on', async () => {
    const dist = join(dir, 'with-electron-no-display');
    const binary = join(dist, 'electron');
    await mkdir(dist, { recursive: true });
    await writeFile(binary, '#!/bin/sh\necho "electron ran"\n');
    await chmod(binary, 0o755);
    const { DISPLAY: _d, WAYLAND_DISPLAY: _w, ...noDisplay } = process.env;
    const result = await new Promise<{ stdout: string }>((resolve) => {
      execFile(process.execPath, [START, '--help'], { env: { ...noDisplay, ELECTRON_OVERRIDE_DIST_PATH: dist }, timeout: 30_000 }, (_error, stdout) => resolve({ stdout }));
    });
    expect(result.stdout.split('\n')[0]).toMatch(/^The desktop window cannot open here: there is no display .*\. DFS Vault opens in your browser instead\.$/);
    expect(result.stdout).not.toContain('electron ran');
    expect(result.stdout).toContain('Usage: dfs-vault web');
  });

  it('says why and opens the browser host instead when the binary is not installed', async () => {
    const empty = join(dir, 'no-electron');
    await mkdir(empty, { recursive: true });
    // --help makes `dfs-vault web` print its usage and exit instead of serving.
    const result = await start(empty, ['--help']);
    const [firstLine] = result.stdout.split('\n');
    expect(firstLine).toBe(
      'The desktop window cannot open here: the Electron binary is not installed (electron was installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or its download failed). DFS Vault opens in your browser instead.',
    );
    expect(result.stdout).toContain('Usage: dfs-vault web');
    expect(result.code).toBe(0);
  });
});
