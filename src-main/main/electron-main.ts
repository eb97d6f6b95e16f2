/**
 * The Electron entry point: one instance, one hardened window showing the renderer on app://dfs-vault/, the vault
 * service behind IPC, local files reachable only as the user hands them over, and the local cluster's nodes stopped
 * before the app exits. Every behaviour lives in the modules it wires together; this file only touches Electron's
 * singletons.
 */
import { join, resolve } from 'node:path';
import { BrowserWindow, app, dialog, ipcMain, nativeTheme, protocol, session } from 'electron';
import { PRODUCT_NAME } from '../service/app-data-dir.js';
import { createCallHandlers } from '../service/call-handlers.js';
import { keytarCredentialStore } from '../service/credential-store.js';
import { VaultService } from '../service/vault-service.js';
import { isStoppable } from '../shared/app-models.js';
import { appPaths } from './app-paths.js';
import { APP_SCHEME_PRIVILEGES, registerAppProtocol } from './app-protocol.js';
import { closeQuestion, guardCloseWhileTransferring } from './close-guard.js';
import { electronHostAdapter } from './dialogs.js';
import { FileGrants } from './file-grants.js';
import { forwardEvents, registerIpcHandlers, registerUploadGrants } from './ipc-handlers.js';
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
// Only possible before ready, and only once.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  hardenAllWebContents(app, log);
  await app.whenReady();
  start();
}

function start(): void {
  const paths = appPaths(import.meta.url);
  hardenSession(session.defaultSession, paths.indexUrl, log);
  // The window uses the default session, so the scheme is served there.
  registerAppProtocol(session.defaultSession.protocol, paths.renderer, log);

  const service = new VaultService({
    dataDir: app.getPath('userData'),
    credentials: keytarCredentialStore(),
    nodeProgram: electronNodeProgram({ execPath: process.execPath, env: process.env, isPackaged: app.isPackaged }),
    log,
  });
  let window: BrowserWindow | undefined;
  const stoppableTransfers = (): number => service.listTransfers().filter((transfer) => isStoppable(transfer)).length;
  /** Asks whether to close or quit while `unfinished` transfers would be stopped (counted here unless the caller has); true at once when none would. */
  const confirmStopping = async (unfinished = stoppableTransfers()): Promise<boolean> => {
    if (unfinished === 0) return true;
    const { message, detail, buttons } = closeQuestion(unfinished);
    const question = { type: 'warning' as const, message, detail, buttons, defaultId: 0, cancelId: 0, noLink: true };
    const { response } = window && !window.isDestroyed() ? await dialog.showMessageBox(window, question) : await dialog.showMessageBox(question);
    return response === 1;
  };
  // A quit from the menu or Cmd+Q asks first while transfers would be stopped; signals and a window close already answered do not.
  const quitting = closeBeforeQuit(app, () => service.close(), { log, confirmQuit: () => confirmStopping(), needsConfirming: () => stoppableTransfers() > 0 });

  const isAppContents = (sender: { readonly id: number }): boolean => window !== undefined && !window.isDestroyed() && sender.id === window.webContents.id;
  const grants = new FileGrants();
  const host = electronHostAdapter({ dialog, downloadsDir: () => app.getPath('downloads'), parent: () => window, grants });
  registerIpcHandlers({ ipcMain, handlers: createCallHandlers(service, host), appUrl: paths.indexUrl, isAppContents, log });
  registerUploadGrants({ ipcMain, appUrl: paths.indexUrl, isAppContents, grant: (path) => grants.grantUploadSource(path), log });

  const openWindow = (): void => {
    const created = createMainWindow({ BrowserWindow, nativeTheme }, paths, log);
    // On macOS the app outlives its window, and so do the transfers; elsewhere closing the window quits.
    if (process.platform !== 'darwin') {
      guardCloseWhileTransferring(created, { unfinishedTransfers: stoppableTransfers, confirmClose: confirmStopping });
    }
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
    if (process.platform !== 'darwin') quitting.quitNow();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => quitting.quitNow());
}
