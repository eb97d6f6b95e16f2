// Fixtures for the end-to-end specs: the real UI, driven in Chromium through `dfs-vault web` (or in Electron where
// its binary is installed), against a real local cluster and a real GNOME Keyring in a private D-Bus session.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type ElectronApplication, type Locator, type Page, _electron, test as base, expect } from '@playwright/test';
import { electronUnavailableReason } from '../../src-main/main/electron-binary.js';
import { type PrivateKeyring, startPrivateKeyring } from '../helpers/private-keyring.js';

/** Which host runs the UI: the browser host in Chromium, or the Electron window. */
export type VaultHostKind = 'web' | 'electron';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Where screenshots for the README are written by the Chromium run. */
export const SCREENSHOT_DIR = join(ROOT, 'test', 'e2e', 'screenshots');

/** One running app: its page, and a way to quit and start it again on the same data (and keychain). */
export interface VaultApp {
  readonly kind: VaultHostKind;
  page: Page;
  /** Quits (stopping the local cluster's nodes) and starts again, as a user reopening the app would. */
  restart(): Promise<Page>;
  /** Clicks Download with the current selection and returns the saved bytes. */
  downloadSelected(name: string): Promise<Buffer>;
  /** Quits for good. */
  close(): Promise<void>;
}

interface WorkerFixtures {
  vaultHost: VaultHostKind;
  keyring: PrivateKeyring;
  appData: string;
  vaultApp: VaultApp;
}

/** Starts `dfs-vault web` as a child process (with `env` added) and resolves with it and the URL it prints. */
export async function startWebHost(appData: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'dfs-vault.js'), 'web', '--data', appData], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[dfs-vault web] ${chunk.toString()}`));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`dfs-vault web printed no address within 30 s: ${output}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dfs-vault web exited with ${code} before it was ready: ${output}`));
    });
  });
  return { child, url };
}

/** Stops a host process the way Ctrl-C would, and waits for it (it stops its nodes first). */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

export const test = base.extend<object, WorkerFixtures>({
  vaultHost: ['web', { option: true, scope: 'worker' }],

  keyring: [
    async ({}, use) => {
      const keyring = await startPrivateKeyring();
      // This process talks to the same keychain to check what the app stored.
      keyring.apply();
      await use(keyring);
      await keyring.stop();
    },
    { scope: 'worker' },
  ],

  appData: [
    async ({}, use) => {
      const dir = await mkdtemp(join(tmpdir(), 'dfs-e2e-'));
      await use(dir);
      await rm(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],

  vaultApp: [
    async ({ vaultHost, keyring, appData, browser }, use) => {
      if (vaultHost === 'electron') {
        const reason = electronUnavailableReason();
        // Specs skip themselves with skipWhereHostIsMissing(); reaching here without Electron is a mistake.
        if (reason) throw new Error(`The Electron specs cannot run: ${reason}.`);
        const app = await electronApp(appData, keyring.env);
        await use(app);
        await app.close();
        return;
      }
      let host = await startWebHost(appData, keyring.env);
      let context = await browser.newContext({ acceptDownloads: true });
      const app: VaultApp = {
        kind: 'web',
        page: await context.newPage(),
        async restart() {
          await context.close();
          await stopProcess(host.child);
          host = await startWebHost(appData, keyring.env);
          context = await browser.newContext({ acceptDownloads: true });
          app.page = await context.newPage();
          await app.page.goto(host.url);
          return app.page;
        },
        async downloadSelected() {
          const [download] = await Promise.all([app.page.waitForEvent('download'), app.page.getByRole('button', { name: 'Download', exact: true }).click()]);
          const failure = await download.failure();
          if (failure) throw new Error(`The browser download failed: ${failure}`);
          return readFile((await download.path())!);
        },
        async close() {
          await context.close();
          await stopProcess(host.child);
        },
      };
      await app.page.goto(host.url);
      await use(app);
      await app.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

/**
 * Skips every test of the calling file in the Electron project where the Electron window cannot open here, and
 * prints why (once per file).
 */
export function skipWhereHostIsMissing(): void {
  const reason = electronUnavailableReason();
  test.skip(({ vaultHost }) => {
    if (vaultHost !== 'electron' || !reason) return false;
    return true;
  }, `Skipping the Electron run of these specs: ${reason}.`);
  if (reason) console.log(`Skipping the Electron run of the end-to-end specs: ${reason}.`);
}

/** Electron: the same UI in the desktop window, with the save dialog answered by the test. */
async function electronApp(appData: string, env: NodeJS.ProcessEnv): Promise<VaultApp> {
  const downloads = await mkdtemp(join(tmpdir(), 'dfs-e2e-downloads-'));
  const launch = async (): Promise<{ electron: ElectronApplication; page: Page }> => {
    const { ELECTRON_RUN_AS_NODE: _, ...inherited } = process.env;
    // Chromium refuses to run as root without --no-sandbox (CI runs as root); elsewhere the sandbox stays on.
    const sandbox = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
    const electron = await _electron.launch({ args: [...sandbox, ROOT], env: { ...inherited, ...env, DFS_VAULT_DATA_DIR: appData } as Record<string, string> });
    const page = await electron.firstWindow();
    // Native dialogs cannot be clicked by Playwright: answer the save dialog with a path in a temp folder.
    await electron.evaluate(({ dialog }, folder) => {
      dialog.showSaveDialog = (async (...args: unknown[]) => {
        const options = args.at(-1) as { defaultPath?: string };
        const name = (options.defaultPath ?? 'download').split(/[\\/]/).at(-1)!;
        return { canceled: false, filePath: `${folder}/${name}` };
      }) as typeof dialog.showSaveDialog;
    }, downloads);
    return { electron, page };
  };
  let current = await launch();
  const app: VaultApp = {
    kind: 'electron',
    page: current.page,
    async restart() {
      await current.electron.close();
      current = await launch();
      app.page = current.page;
      return app.page;
    },
    async downloadSelected(name) {
      const target = join(downloads, name);
      await rm(target, { force: true });
      await app.page.getByRole('button', { name: 'Download', exact: true }).click();
      await expect.poll(() => existsSync(target), { timeout: 30_000 }).toBe(true);
      await expect(app.page.locator(`[data-transfer-path$="${name}"][data-state="done"]`).first()).toBeVisible();
      return readFile(target);
    },
    async close() {
      await current.electron.close();
      await rm(downloads, { recursive: true, force: true });
    },
  };
  return app;
}

/** The row of a vault path in the file list. */
export function fileRow(page: Page, path: string): Locator {
  return page.locator(`[role="grid"][aria-label="Files"] [data-path="${path}"]`);
}

/** Fills the connect screen and presses its primary button ("Start local cluster" or "Sign in", whichever it shows). */
export async function signIn(page: Page, username: string, password: string, options: { remember?: boolean } = {}): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  const remember = page.getByLabel('Remember me');
  if (options.remember) await remember.check();
  else await remember.uncheck();
  const start = page.getByRole('button', { name: 'Start local cluster' });
  await ((await start.isVisible()) ? start : page.getByRole('button', { name: 'Sign in' })).click();
}

export { expect };
