import { EventEmitter } from 'node:events';
import type { BrowserWindow, BrowserWindowConstructorOptions, NativeTheme } from 'electron';
import { describe, expect, it } from 'vitest';
import { WINDOW_BACKGROUND, WINDOW_TITLE, createMainWindow, mainWindowOptions } from '../../src-main/main/window.js';

describe('main window options', () => {
  it('isolates the page: context isolation, sandbox, no Node, web security, no webview', () => {
    const { webPreferences } = mainWindowOptions('/app/dist/preload/preload.cjs', false);
    expect(webPreferences).toMatchObject({
      preload: '/app/dist/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
  });

  it('is titled "DFS Vault", hidden until painted, with a usable minimum size and a background for the theme', () => {
    const light = mainWindowOptions('/p', false);
    expect(light).toMatchObject({ title: WINDOW_TITLE, show: false, backgroundColor: WINDOW_BACKGROUND.light });
    expect(light.minWidth).toBeGreaterThanOrEqual(640);
    expect(light.minHeight).toBeGreaterThanOrEqual(480);
    expect(light.width!).toBeGreaterThan(light.minWidth!);
    expect(mainWindowOptions('/p', true).backgroundColor).toBe(WINDOW_BACKGROUND.dark);
  });
});

/** A stand-in for BrowserWindow that records what the module does with it. */
class FakeWindow extends EventEmitter {
  static created: FakeWindow[] = [];
  readonly webContents = new EventEmitter();
  shown = false;
  loaded: string | undefined;
  background: string | undefined;
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    FakeWindow.created.push(this);
  }
  show(): void {
    this.shown = true;
  }
  isDestroyed(): boolean {
    return false;
  }
  setBackgroundColor(colour: string): void {
    this.background = colour;
  }
  async loadURL(url: string): Promise<void> {
    this.loaded = url;
  }
}

describe('createMainWindow', () => {
  const paths = { preload: '/app/dist/preload/preload.cjs', renderer: '/app/dist/renderer', indexUrl: 'app://dfs-vault/index.html' };

  function open(dark = false) {
    const theme = Object.assign(new EventEmitter(), { shouldUseDarkColors: dark }) as unknown as NativeTheme & { shouldUseDarkColors: boolean };
    const window = createMainWindow({ BrowserWindow: FakeWindow as unknown as typeof BrowserWindow, nativeTheme: theme }, paths) as unknown as FakeWindow;
    return { window, theme };
  }

  it('loads the renderer page from the app scheme and shows the window only once it is ready to show', () => {
    const { window } = open();
    expect(window.loaded).toBe('app://dfs-vault/index.html');
    expect(window.options.webPreferences?.preload).toBe(paths.preload);
    expect(window.shown).toBe(false);
    window.emit('ready-to-show');
    expect(window.shown).toBe(true);
  });

  it('keeps its own title when the page sets another', () => {
    const { window } = open();
    let prevented = false;
    window.emit('page-title-updated', { preventDefault: () => (prevented = true) }, 'Something else');
    expect(prevented).toBe(true);
  });

  it('follows the system theme with its background until it is closed', () => {
    const { window, theme } = open(false);
    theme.shouldUseDarkColors = true;
    theme.emit('updated');
    expect(window.background).toBe(WINDOW_BACKGROUND.dark);
    window.emit('closed');
    expect(theme.listenerCount('updated')).toBe(0);
  });
});
