import type { BrowserWindow, BrowserWindowConstructorOptions, NativeTheme } from 'electron';
import type { AppPaths } from './app-paths.js';

/** The window title; the page cannot change it. */
export const WINDOW_TITLE = 'DFS Vault';

/** Background colours painted before the page, so the window does not flash the wrong theme. */
export const WINDOW_BACKGROUND = { dark: '#16181d', light: '#f6f7f9' } as const;

/** The main window's options: Electron's security checklist settings spelled out, not left to defaults. */
export function mainWindowOptions(preload: string, dark: boolean): BrowserWindowConstructorOptions {
  return {
    title: WINDOW_TITLE,
    width: 1200,
    height: 800,
    minWidth: 760,
    minHeight: 520,
    show: false,
    backgroundColor: dark ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // A file dropped outside the page's drop zone must not replace the app with the file.
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  };
}

/** The Electron pieces `createMainWindow` needs (passed in, so this module has no runtime Electron import). */
export interface WindowDeps {
  BrowserWindow: typeof BrowserWindow;
  nativeTheme: NativeTheme;
}

/** Creates the window, shows it once painted, keeps its title and background in step, and loads the renderer from app://. */
export function createMainWindow(deps: WindowDeps, paths: AppPaths, log: (line: string) => void = () => undefined): BrowserWindow {
  const { nativeTheme } = deps;
  const window = new deps.BrowserWindow(mainWindowOptions(paths.preload, nativeTheme.shouldUseDarkColors));
  window.once('ready-to-show', () => window.show());
  window.on('page-title-updated', (event) => event.preventDefault());
  const followTheme = (): void => {
    if (!window.isDestroyed()) window.setBackgroundColor(nativeTheme.shouldUseDarkColors ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light);
  };
  nativeTheme.on('updated', followTheme);
  window.on('closed', () => nativeTheme.off('updated', followTheme));
  window.webContents.on('render-process-gone', (_event, details) => log(`The window's renderer stopped (${details.reason}).`));
  window.loadURL(paths.indexUrl).catch((error: unknown) => log(`Cannot load ${paths.indexUrl} from ${paths.renderer} (is the app built? npm run build): ${(error as Error).message}`));
  return window;
}
