import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { InvokeEvent } from '../../src-main/main/ipc-handlers.js';
import type { ClusterView } from '../../src-main/shared/app-models.js';
import { CALL_NAMES, type CallOutcome } from '../../src-main/shared/contract.js';

// The entry point runs here in Node against a stand-in for the 'electron' module (the real binary is not needed):
// everything it wires together is real, the vault service and the local cluster's node processes included.
const electron = vi.hoisted(() => {
  // vi.hoisted runs before imports, so this block uses require-free globals only.
  const { EventEmitter: Emitter } = process.getBuiltinModule('node:events') as typeof import('node:events');
  const calls: { setPath: [string, string][]; exit: number[]; loaded: string[]; privileged: unknown[]; order: string[] } = { setPath: [], exit: [], loaded: [], privileged: [], order: [] };
  const handlers = new Map<string, (event: unknown, request: unknown) => Promise<unknown>>();
  const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  const protocolHandlers = new Map<string, (request: { url: string; method: string }) => Promise<Response>>();
  let nextId = 1;
  class FakeWebContents extends Emitter {
    readonly id = nextId++;
    readonly sent: unknown[][] = [];
    destroyed = false;
    send(...args: unknown[]): void {
      this.sent.push(args);
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
  }
  class FakeWindow extends Emitter {
    static all: FakeWindow[] = [];
    readonly webContents = new FakeWebContents();
    constructor(readonly options: { webPreferences?: Record<string, unknown> }) {
      super();
      FakeWindow.all.push(this);
    }
    async loadURL(url: string): Promise<void> {
      calls.loaded.push(url);
    }
    show(): void {}
    isDestroyed(): boolean {
      return false;
    }
    isMinimized(): boolean {
      return false;
    }
    restore(): void {}
    focus(): void {}
    setBackgroundColor(): void {}
  }
  const paths = new Map<string, string>([['downloads', '/home/me/Downloads']]);
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    sandboxed: false,
    setPath(name: string, path: string) {
      calls.setPath.push([name, path]);
      paths.set(name, path);
    },
    getPath(name: string): string {
      const path = paths.get(name);
      if (path === undefined) throw new Error(`The test gave no "${name}" path`);
      return path;
    },
    enableSandbox() {
      app.sandboxed = true;
    },
    requestSingleInstanceLock: () => true,
    whenReady: () => {
      calls.order.push('whenReady');
      return Promise.resolve();
    },
    quit() {
      app.emit('before-quit', { preventDefault() {} });
    },
    exit: (code: number) => void calls.exit.push(code),
  });
  const session = {
    headerListeners: 0,
    requestHandler: undefined as unknown,
    checkHandler: undefined as unknown,
    webRequest: { onHeadersReceived: () => void session.headerListeners++ },
    setPermissionRequestHandler: (handler: unknown) => void (session.requestHandler = handler),
    setPermissionCheckHandler: (handler: unknown) => void (session.checkHandler = handler),
    deviceHandler: undefined as unknown,
    setDevicePermissionHandler: (handler: unknown) => void (session.deviceHandler = handler),
    deviceChoosers: [] as string[],
    on: (event: string) => void session.deviceChoosers.push(event),
    protocol: { handle: (scheme: string, handler: never) => void protocolHandlers.set(scheme, handler) },
  };
  const module = {
    app,
    BrowserWindow: FakeWindow,
    // What the save dialog answers: the one destination a download may then write.
    dialog: { showSaveDialog: async () => ({ canceled: false, filePath: '/home/me/Downloads/report.txt' }) },
    ipcMain: {
      handle: (channel: string, listener: never) => void handlers.set(channel, listener),
      removeHandler: (channel: string) => void handlers.delete(channel),
      on: (channel: string, listener: never) => void listeners.set(channel, listener),
      removeListener: (channel: string) => void listeners.delete(channel),
    },
    nativeTheme: Object.assign(new Emitter(), { shouldUseDarkColors: false }),
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        calls.order.push('registerSchemesAsPrivileged');
        calls.privileged.push(...schemes);
      },
    },
    session: { defaultSession: session },
    // No `shell`: the app hands nothing to the system browser (importing it from this stand-in would fail).
  };
  return { module, calls, handlers, listeners, protocolHandlers, FakeWindow, app, session };
});

vi.mock('electron', () => electron.module);

let dataDir: string;
let signalListeners: { SIGINT: Function[]; SIGTERM: Function[] };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'dfs-electron-main-'));
  process.env.DFS_VAULT_DATA_DIR = dataDir;
  signalListeners = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  await import('../../src-main/main/electron-main.js');
});

afterAll(async () => {
  // If a test failed before quitting, quit now so that no node process outlives the run.
  if (electron.calls.exit.length === 0) {
    electron.app.emit('before-quit', { preventDefault() {} });
    await vi.waitFor(() => expect(electron.calls.exit.length).toBeGreaterThan(0), { timeout: 30_000, interval: 100 });
  }
  delete process.env.DFS_VAULT_DATA_DIR;
  // The entry point turns SIGINT/SIGTERM into app.quit(); this worker process should not keep that.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) if (!signalListeners[signal].includes(listener)) process.off(signal, listener as () => void);
  }
  await rm(dataDir, { recursive: true, force: true });
});

function theWindow() {
  expect(electron.FakeWindow.all).toHaveLength(1);
  return electron.FakeWindow.all[0]!;
}

function trustedEvent(): InvokeEvent {
  const window = theWindow();
  return { sender: { id: window.webContents.id }, senderFrame: { url: electron.calls.loaded[0]!, parent: null, detached: false } };
}

function call<T>(name: string, request: unknown, event: InvokeEvent = trustedEvent()): Promise<CallOutcome<T>> {
  const handler = electron.handlers.get(`vault:${name}`);
  if (!handler) throw new Error(`no handler for ${name}`);
  return handler(event, request) as Promise<CallOutcome<T>>;
}

function portAnswers(address: string): Promise<boolean> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  return new Promise((resolve) => {
    const socket = connect({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

describe('electron main (run in Node with a stand-in electron module)', () => {
  it('uses the data folder it is given, and enables the sandbox for every renderer', () => {
    expect(electron.calls.setPath).toEqual([['userData', dataDir]]);
    expect(electron.app.sandboxed).toBe(true);
    expect(electron.app.listenerCount('web-contents-created')).toBe(1);
  });

  it('hardens the session: CSP header, permission handlers, and no device for the page', () => {
    expect(electron.session.headerListeners).toBe(1);
    expect(electron.session.requestHandler).toBeTypeOf('function');
    expect(electron.session.checkHandler).toBeTypeOf('function');
    expect(electron.session.deviceHandler).toBeTypeOf('function');
    expect(electron.session.deviceChoosers.sort()).toEqual(['select-hid-device', 'select-serial-port', 'select-usb-device']);
  });

  it('opens one sandboxed window with the preload bundle and the renderer page on app://', () => {
    const window = theWindow();
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(String(window.options.webPreferences?.preload)).toMatch(/dist[\\/]preload[\\/]preload\.cjs$/);
    expect(electron.calls.loaded).toEqual(['app://dfs-vault/index.html']);
  });

  it('registers the app scheme as privileged before ready, and serves it on the default session', async () => {
    expect(electron.calls.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(electron.calls.order.indexOf('registerSchemesAsPrivileged')).toBeLessThan(electron.calls.order.indexOf('whenReady'));
    const serve = electron.protocolHandlers.get('app');
    expect(serve).toBeTypeOf('function');
    // Nothing outside dist/renderer: not the preload beside it, not the checkout's package.json.
    for (const url of ['app://dfs-vault/%2e%2e/preload/preload.cjs', 'app://dfs-vault/..%2fpreload%2fpreload.cjs', 'app://dfs-vault/..%2f..%2fpackage.json', 'app://other/index.html']) {
      expect((await serve!({ url, method: 'GET' })).status, url).toBe(404);
    }
  });

  it('lets an upload read only a path the preload reported for a dropped file', async () => {
    const refused = await call('transfers.uploadPaths', { items: [{ source: '/home/me/.ssh/id_rsa', folder: '' }] });
    expect(refused).toEqual({ ok: false, error: { code: 'INVALID_REQUEST', message: 'That file was not given to DFS Vault; drop it on the window or use Upload.' } });
    const grant = electron.listeners.get('vault:grant-upload-path');
    expect(grant).toBeTypeOf('function');
    // A report from another webContents grants nothing.
    grant!({ ...trustedEvent(), sender: { id: 999 } }, '/home/me/.ssh/id_rsa');
    expect(await call('transfers.uploadPaths', { items: [{ source: '/home/me/.ssh/id_rsa', folder: '' }] })).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
    grant!(trustedEvent(), '/home/me/photo.jpg');
    // Past the check, the service itself answers (nobody is signed in here).
    const allowed = await call('transfers.uploadPaths', { items: [{ source: '/home/me/photo.jpg', folder: '' }] });
    expect(allowed.ok).toBe(false);
    if (!allowed.ok) expect(allowed.error.message).not.toContain('was not given');
  });

  it('lets a download write only where the save dialog said', async () => {
    const refused = await call('transfers.download', { items: [{ path: 'a.txt', destination: '/home/me/.bashrc' }] });
    expect(refused).toEqual({ ok: false, error: { code: 'INVALID_REQUEST', message: 'Choose where to save in the save dialog first.' } });
    expect(await call('dialogs.chooseDownloadTarget', { names: ['a.txt'] })).toEqual({ ok: true, value: { kind: 'file', path: '/home/me/Downloads/report.txt' } });
    // Past the check, the service itself answers (nobody is signed in here).
    const allowed = await call('transfers.download', { items: [{ path: 'a.txt', destination: '/home/me/Downloads/report.txt' }] });
    expect(allowed.ok).toBe(false);
    if (!allowed.ok) expect(allowed.error.message).not.toContain('save dialog first');
    expect(await call('transfers.download', { items: [{ path: 'a.txt', destination: '/home/me/.bashrc' }] })).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
  });

  it('answers every contract call over IPC, and only from its window', async () => {
    expect([...electron.handlers.keys()].sort()).toEqual(CALL_NAMES.map((name) => `vault:${name}`).sort());
    const info = await call<{ host: string; dialogs: boolean }>('app.info', undefined);
    expect(info).toMatchObject({ ok: true, value: { host: 'electron', dialogs: true } });
    const stranger = { ...trustedEvent(), sender: { id: 999 } };
    expect(await call('app.info', undefined, stranger)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it('starts the local cluster on request, sends its changes to the window, and stops its nodes when the app quits', async () => {
    const started = await call<ClusterView>('cluster.startLocal', undefined);
    if (!started.ok) throw new Error(`cluster.startLocal failed: ${started.error.message}`);
    expect(started.value.local).toBe('running');
    expect(started.value.nodes).toHaveLength(4);
    expect(started.value.nodes.every((node) => node.running)).toBe(true);
    expect(started.value.localDir.startsWith(dataDir)).toBe(true);
    const addresses = started.value.nodes.map((node) => node.address);
    expect(await Promise.all(addresses.map(portAnswers))).toEqual([true, true, true, true]);
    expect(theWindow().webContents.sent.some(([channel, name]) => channel === 'vault:event' && name === 'cluster.changed')).toBe(true);

    let prevented = false;
    electron.app.emit('before-quit', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await vi.waitFor(() => expect(electron.calls.exit).toEqual([0]), { timeout: 30_000, interval: 100 });
    expect(await Promise.all(addresses.map(portAnswers))).toEqual([false, false, false, false]);
  });
});
