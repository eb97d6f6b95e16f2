/**
 * The Electron entry point: one instance, one hardened window, the vault service behind IPC, and the local cluster's
 * nodes stopped before the app exits. Every behaviour lives in the modules it wires together; this file only touches
 * Electron's singletons.
 */
import { join, resolve } from 'node:path';
import { BrowserWindow, app, dialog, ipcMain, nativeTheme, session, shell } from 'electron';
import { PRODUCT_NAME } from '../service/app-data-dir.js';
import { createCallHandlers } from '../service/call-handlers.js';
import { keytarCredentialStore } from '../service/credential-store.js';
import { VaultService } from '../service/vault-service.js';
import { appPaths } from './app-paths.js';
import { electronHostAdapter } from './dialogs.js';
import { forwardEvents, registerIpcHandlers } from './ipc-handlers.js';
import { electronNodeProgram } from './node-program.js';
import { hardenAllWebContents, hardenSession } from './security.js';
import { closeBeforeQuit } from './shutdown.js';
import { createMainWindow } from './window.js';

const log = (line: string): void => console.log(`[dfs-vault] ${line}`);

// The data folder is "<appData>/DFS Vault" whatever package.json's name says, the folder `dfs-vault web` uses too;
// DFS_VAULT_DATA_DIR picks another (tests, a second vault). Set before the single-instance lock, which is per folder.
const dataDirOverride = process.env.DFS_VAULT_DATA_DIR;
app.setPath('userData', dataDirOverride ? resolve(dataDirOverride) : join(app.getPath('appData'), PRODUCT_NAME));
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  hardenAllWebContents(app, (url) => void shell.openExternal(url), log);
  await app.whenReady();
  start();
}

function start(): void {
  const paths = appPaths(import.meta.url);
  hardenSession(session.defaultSession, paths.indexUrl, log);

  const service = new VaultService({
    dataDir: app.getPath('userData'),
    credentials: keytarCredentialStore(),
    nodeProgram: electronNodeProgram({ execPath: process.execPath, env: process.env, isPackaged: app.isPackaged }),
    log,
  });
  closeBeforeQuit(app, () => service.close(), { log });

  let window: BrowserWindow | undefined;
  const host = electronHostAdapter({ dialog, downloadsDir: () => app.getPath('downloads'), parent: () => window });
  registerIpcHandlers({
    ipcMain,
    handlers: createCallHandlers(service, host),
    appUrl: paths.indexUrl,
    isAppContents: (sender) => window !== undefined && !window.isDestroyed() && sender.id === window.webContents.id,
    log,
  });

  const openWindow = (): void => {
    const created = createMainWindow({ BrowserWindow, nativeTheme }, paths, log);
    const stopEvents = forwardEvents(service, created.webContents);
    created.on('closed', () => {
      stopEvents();
      if (window === created) window = undefined;
    });
    window = created;
  };
  openWindow();

  app.on('second-instance', () => {
    if (!window) return openWindow();
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('activate', () => {
    if (!window) openWindow();
  });
  app.on('window-all-closed', () => {
    // macOS apps stay in the Dock with no window; elsewhere closing the window quits (and stops the local nodes).
    if (process.platform !== 'darwin') app.quit();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
}
