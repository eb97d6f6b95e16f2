/**
 * Smoke test of the desktop window: the real Electron binary, the built app (`npm run build`), the hardened window
 * showing the renderer on app://dfs-vault/, the preload bridge, one IPC round trip, and the file grants. Skips,
 * saying why, where the Electron binary or a display is missing.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ElectronApplication, type Page, _electron as electron, expect, test } from '@playwright/test';
import { electronBinary, electronUnavailableReason } from '../../../src-main/main/electron-binary.js';

const APP_DIR = fileURLToPath(new URL('../../../', import.meta.url));

const binary = electronBinary();
const reason = electronUnavailableReason();
const skipReason = reason ? `The desktop window cannot be tested here: ${reason}.` : undefined;
if (skipReason) console.log(`Skipping the Electron specs: ${skipReason}`);

test.describe('desktop window', () => {
  test.skip(skipReason !== undefined, skipReason ?? '');
  test.describe.configure({ mode: 'serial' });

  let app: ElectronApplication;
  let page: Page;
  let dataDir: string;

  test.beforeAll(async () => {
    if (skipReason || !binary) return;
    for (const built of ['dist/src-main/main/electron-main.js', 'dist/preload/preload.cjs', 'dist/renderer/index.html']) {
      if (!existsSync(join(APP_DIR, built))) throw new Error(`${built} is missing: run "npm run build" before the Electron specs.`);
    }
    dataDir = mkdtempSync(join(tmpdir(), 'dfs-vault-e2e-'));
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined && key !== 'ELECTRON_RUN_AS_NODE') env[key] = value;
    env.DFS_VAULT_DATA_DIR = dataDir;
    app = await electron.launch({
      executablePath: binary,
      // Chromium refuses to start as root without --no-sandbox (containers, CI). That turns off the OS-level sandbox
      // only; the renderer is still Electron-sandboxed (no Node, a preload limited to 'electron'), which is checked below.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '.'],
      cwd: APP_DIR,
      env,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    await app?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('opens one window titled "DFS Vault"', async () => {
    const titles = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((window) => window.getTitle()));
    expect(titles).toEqual(['DFS Vault']);
  });

  test('gives the page window.dfsVault and nothing of Node', async () => {
    const globals = await page.evaluate(() => {
      const scope = globalThis as Record<string, unknown>;
      const bridge = scope.dfsVault as Record<string, unknown> | undefined;
      return {
        dfsVault: typeof bridge,
        bridgeKeys: bridge ? Object.keys(bridge).sort() : [],
        require: typeof scope.require,
        process: typeof scope.process,
        module: typeof scope.module,
        Buffer: typeof scope.Buffer,
      };
    });
    expect(globals).toEqual({
      dfsVault: 'object',
      bridgeKeys: ['app', 'cluster', 'dialogs', 'files', 'on', 'pathForFile', 'session', 'transfers', 'uploads'],
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      Buffer: 'undefined',
    });
  });

  test('shows the renderer from the app scheme, its module script and CSP included', async () => {
    expect(page.url()).toBe('app://dfs-vault/index.html');
    // The React root is filled only if the module script loaded from app://dfs-vault/assets/.
    await expect(page.locator('#root > *').first()).toBeAttached();
    const served = await page.evaluate(async () => {
      const index = await fetch('app://dfs-vault/index.html');
      const outside = await fetch('app://dfs-vault/..%2fpreload%2fpreload.cjs');
      return { status: index.status, csp: index.headers.get('content-security-policy'), type: index.headers.get('content-type'), outside: outside.status };
    });
    expect(served).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', outside: 404 });
    expect(served.csp).toContain("script-src 'self'");
  });

  test('refuses to upload a file the user never gave it, or to save where no dialog chose', async () => {
    const outcomes = await page.evaluate(async () => {
      const bridge = (globalThis as Record<string, unknown>).dfsVault as {
        transfers: { uploadPaths(request: unknown): Promise<unknown>; download(request: unknown): Promise<unknown> };
        pathForFile(file: File): string;
      };
      return {
        madeInPage: bridge.pathForFile(new File(['x'], 'id_rsa')),
        upload: await bridge.transfers.uploadPaths({ items: [{ source: '/etc/hostname', folder: '' }] }),
        download: await bridge.transfers.download({ items: [{ path: 'a.txt', destination: '/tmp/dfs-vault-e2e-not-chosen.txt' }] }),
      };
    });
    expect(outcomes.madeInPage).toBe('');
    expect(outcomes.upload).toEqual({ ok: false, error: { code: 'INVALID_REQUEST', message: 'That file was not given to DFS Vault; drop it on the window or use Upload.' } });
    expect(outcomes.download).toEqual({ ok: false, error: { code: 'INVALID_REQUEST', message: 'Choose where to save in the save dialog first.' } });
  });

  test('answers a contract call through the preload and the main process', async () => {
    const outcome = await page.evaluate(async () => {
      const bridge = (globalThis as Record<string, unknown>).dfsVault as { app: { info(): Promise<unknown> } };
      return bridge.app.info();
    });
    expect(outcome).toMatchObject({ ok: true, value: { host: 'electron', dialogs: true } });
  });
});
