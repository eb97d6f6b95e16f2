import { describe, expect, it, vi } from 'vitest';
import { FileGrants } from '../../src-main/main/file-grants.js';
import { EVENT_CHANNEL, GRANT_UPLOAD_PATH_CHANNEL, callChannel } from '../../src-main/main/ipc-channels.js';
import {
  type InvokeEvent,
  type IpcMainEventsLike,
  type IpcMainLike,
  MAX_GRANTED_PATH_LENGTH,
  type SenderFrame,
  forwardEvents,
  isTrustedSender,
  registerIpcHandlers,
  registerUploadGrants,
} from '../../src-main/main/ipc-handlers.js';
import { CALL_NAMES, type CallHandlers, type CallName, type CallOutcome, EVENT_NAMES, type EventName } from '../../src-main/shared/contract.js';
import { VaultError } from '../../src-main/shared/errors.js';

const APP_URL = 'app://dfs-vault/index.html';
const WINDOW_ID = 7;

type Listener = (event: InvokeEvent, request: unknown) => Promise<CallOutcome<unknown>>;

type EventListener = (event: InvokeEvent, ...args: unknown[]) => void;

/** Records what the code under test registers, like ipcMain would. */
class FakeIpcMain implements IpcMainLike, IpcMainEventsLike {
  readonly handlers = new Map<string, Listener>();
  readonly listeners = new Map<string, Set<EventListener>>();
  on(channel: string, listener: EventListener): void {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    this.listeners.get(channel)!.add(listener);
  }
  removeListener(channel: string, listener: EventListener): void {
    this.listeners.get(channel)?.delete(listener);
  }
  /** Delivers a one-way message like ipcRenderer.send would. */
  send(channel: string, event: InvokeEvent, ...args: unknown[]): void {
    for (const listener of this.listeners.get(channel) ?? []) listener(event, ...args);
  }
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, event: InvokeEvent, request: unknown): Promise<CallOutcome<unknown>> {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return listener(event, request);
  }
}

function fakeHandlers(): CallHandlers {
  return Object.fromEntries(CALL_NAMES.map((name) => [name, vi.fn(async () => `${name} answered`)])) as unknown as CallHandlers;
}

const topFrame = (url = APP_URL): SenderFrame => ({ url, parent: null, detached: false });
const fromWindow = (frame: SenderFrame | null = topFrame(), id = WINDOW_ID): InvokeEvent => ({ sender: { id }, senderFrame: frame });

function setUp() {
  const ipcMain = new FakeIpcMain();
  const handlers = fakeHandlers();
  const log = vi.fn<(line: string) => void>();
  const dispose = registerIpcHandlers({ ipcMain, handlers, appUrl: APP_URL, isAppContents: (sender) => sender.id === WINDOW_ID, log });
  return { ipcMain, handlers, log, dispose };
}

describe('isTrustedSender', () => {
  it('trusts the top frame showing our index.html, whatever its query or hash', () => {
    expect(isTrustedSender(topFrame(), APP_URL)).toBe(true);
    expect(isTrustedSender(topFrame(`${APP_URL}#/folder/a`), APP_URL)).toBe(true);
    expect(isTrustedSender(topFrame(`${APP_URL}?x=1`), APP_URL)).toBe(true);
  });

  it('compares paths decoded, so an escaped and an unescaped spelling of our page match', () => {
    expect(isTrustedSender(topFrame('app://dfs-vault/%69ndex.html'), APP_URL)).toBe(true);
  });

  it('refuses a missing, detached or child frame', () => {
    expect(isTrustedSender(null, APP_URL)).toBe(false);
    expect(isTrustedSender(undefined, APP_URL)).toBe(false);
    expect(isTrustedSender({ ...topFrame(), detached: true }, APP_URL)).toBe(false);
    expect(isTrustedSender({ ...topFrame(), parent: topFrame() }, APP_URL)).toBe(false);
  });

  it('refuses any other page: a web site, a local file (our own built page included), a look-alike, garbage', () => {
    expect(isTrustedSender(topFrame('https://example.com/index.html'), APP_URL)).toBe(false);
    expect(isTrustedSender(topFrame('https://dfs-vault/index.html'), APP_URL)).toBe(false);
    expect(isTrustedSender(topFrame('file:///tmp/index.html'), APP_URL)).toBe(false);
    expect(isTrustedSender(topFrame('file:///opt/DFS%20Vault/resources/app.asar/dist/renderer/index.html'), APP_URL)).toBe(false);
    expect(isTrustedSender(topFrame('app://dfs-vault/index.html.evil'), APP_URL)).toBe(false);
    expect(isTrustedSender(topFrame('app://dfs-vault/assets/index.html'), APP_URL)).toBe(false);
    expect(isTrustedSender(topFrame('app://evil-host/index.html'), APP_URL)).toBe(false);
    expect(isTrustedSender(topFrame('app://dfs-vault:8080/index.html'), APP_URL)).toBe(false);
    expect(isTrustedSender(topFrame('not a url'), APP_URL)).toBe(false);
    expect(isTrustedSender(topFrame('about:blank'), APP_URL)).toBe(false);
  });
});

describe('IPC handlers', () => {
  it('registers exactly one vault:<call> channel per contract call', () => {
    const { ipcMain } = setUp();
    const registered = [...ipcMain.handlers.keys()].sort();
    expect(registered).toEqual(CALL_NAMES.map((name) => `vault:${name}`).sort());
    expect(registered).toHaveLength(CALL_NAMES.length);
  });

  it('runs the handler for the trusted window with the validated request and returns its outcome', async () => {
    const { ipcMain, handlers } = setUp();
    const outcome = await ipcMain.invoke(callChannel('files.list'), fromWindow(), { folder: 'docs' });
    expect(outcome).toEqual({ ok: true, value: 'files.list answered' });
    expect(handlers['files.list']).toHaveBeenCalledWith({ folder: 'docs' }, undefined);
  });

  it('answers every call from the trusted window, each channel reaching its own handler', async () => {
    // One valid request per call; typed by call name, so a new call without an example fails to compile.
    const examples: Record<CallName, unknown> = {
      'app.info': undefined,
      'session.state': undefined,
      'session.resume': undefined,
      'session.connect': { target: { kind: 'local' }, username: 'alice', password: 'pw', remember: false },
      'session.signOut': { forget: true },
      'account.changePassword': { current: 'pw', next: 'new pw' },
      'account.recoveryKey': { password: 'pw' },
      'account.recover': { target: { kind: 'local' }, username: 'alice', recoveryKey: '7Q2MX-ABCDE', newPassword: 'new pw' },
      'cluster.status': undefined,
      'cluster.startLocal': undefined,
      'cluster.stopLocal': undefined,
      'cluster.startNode': { index: 1 },
      'cluster.stopNode': { index: 1 },
      'files.list': { folder: '' },
      'files.mkdir': { path: 'a' },
      'files.remove': { paths: ['a'] },
      'files.check': { paths: [''] },
      'files.repair': { paths: [''] },
      'transfers.list': undefined,
      'transfers.cancel': { id: 'x' },
      'transfers.clearFinished': undefined,
      'transfers.uploadPaths': { items: [{ source: '/home/a/x.txt', folder: '' }] },
      'transfers.download': { items: [{ path: 'x.txt', destination: '/home/a/x.txt' }] },
      'uploads.begin': { path: 'x.bin', size: 3 },
      'uploads.write': { id: 'x', bytes: new Uint8Array(3) },
      'uploads.end': { id: 'x' },
      'dialogs.chooseDownloadTarget': { names: ['x.txt'] },
      'dialogs.chooseConfigFile': undefined,
    };
    const { ipcMain, handlers } = setUp();
    for (const name of CALL_NAMES) {
      const outcome = await ipcMain.invoke(callChannel(name), fromWindow(), examples[name]);
      expect(outcome).toEqual({ ok: true, value: `${name} answered` });
      expect(handlers[name]).toHaveBeenCalledTimes(1);
    }
  });

  it.each([
    ['another page in our window', fromWindow(topFrame('https://example.com/'))],
    ['a child frame of our window', fromWindow({ ...topFrame(), parent: topFrame() })],
    ['a frame that is gone', fromWindow(null)],
    ['our page in another webContents', fromWindow(topFrame(), WINDOW_ID + 1)],
  ])('refuses %s without running the handler, and logs it', async (_what, event) => {
    const { ipcMain, handlers, log } = setUp();
    const outcome = await ipcMain.invoke(callChannel('files.remove'), event, { paths: ['a.txt'] });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(handlers['files.remove']).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('files.remove'));
  });

  it('refuses an invalid payload with INVALID_REQUEST without running the handler', async () => {
    const { ipcMain, handlers } = setUp();
    for (const request of [{ folder: 42 }, { folder: 'a', extra: true }, 'files', null]) {
      const outcome = await ipcMain.invoke(callChannel('files.list'), fromWindow(), request);
      expect(outcome).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    }
    const outcome = await ipcMain.invoke(callChannel('cluster.stopNode'), fromWindow(), { index: -1 });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining('index') } });
    expect(handlers['files.list']).not.toHaveBeenCalled();
    expect(handlers['cluster.stopNode']).not.toHaveBeenCalled();
  });

  it('returns a handler failure as {code, message}, never as a thrown error', async () => {
    const { ipcMain, handlers } = setUp();
    vi.mocked(handlers['files.mkdir']).mockRejectedValueOnce(new VaultError('QUORUM_FAILED', 'Only 2 of 4 nodes answered.'));
    const outcome = await ipcMain.invoke(callChannel('files.mkdir'), fromWindow(), { path: 'new' });
    expect(outcome).toEqual({ ok: false, error: { code: 'QUORUM_FAILED', message: 'Only 2 of 4 nodes answered.' } });
  });

  it('removes every handler it registered when disposed', () => {
    const { ipcMain, dispose } = setUp();
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
  });
});

describe('upload grant channel', () => {
  function setUpGrants() {
    const ipcMain = new FakeIpcMain();
    const grants = new FileGrants();
    const log = vi.fn<(line: string) => void>();
    const dispose = registerUploadGrants({ ipcMain, appUrl: APP_URL, isAppContents: (sender) => sender.id === WINDOW_ID, grant: (path) => grants.grantUploadSource(path), log });
    return { ipcMain, grants, log, dispose };
  }

  it('listens on its own channel, apart from the contract calls', () => {
    const { ipcMain } = setUpGrants();
    expect(GRANT_UPLOAD_PATH_CHANNEL).toBe('vault:grant-upload-path');
    expect(ipcMain.listeners.get(GRANT_UPLOAD_PATH_CHANNEL)?.size).toBe(1);
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('grants a path our page reports for a dropped file', () => {
    const { ipcMain, grants } = setUpGrants();
    ipcMain.send(GRANT_UPLOAD_PATH_CHANNEL, fromWindow(), '/home/me/photo.jpg');
    expect(grants.mayUpload('/home/me/photo.jpg')).toBe(true);
  });

  it.each([
    ['another page in our window', fromWindow(topFrame('https://example.com/'))],
    ['a child frame of our window', fromWindow({ ...topFrame(), parent: topFrame() })],
    ['a frame that is gone', fromWindow(null)],
    ['our page in another webContents', fromWindow(topFrame(), WINDOW_ID + 1)],
  ])('ignores a report from %s, and logs it', (_what, event) => {
    const { ipcMain, grants, log } = setUpGrants();
    ipcMain.send(GRANT_UPLOAD_PATH_CHANNEL, event, '/home/me/.ssh/id_rsa');
    expect(grants.mayUpload('/home/me/.ssh/id_rsa')).toBe(false);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('untrusted sender'));
  });

  it('ignores a report that is not a usable path', () => {
    const { ipcMain, grants, log } = setUpGrants();
    for (const payload of [undefined, 42, { path: '/x' }, '', '/x\0y', `/${'a'.repeat(MAX_GRANTED_PATH_LENGTH)}`]) {
      ipcMain.send(GRANT_UPLOAD_PATH_CHANNEL, fromWindow(), payload);
    }
    ipcMain.send(GRANT_UPLOAD_PATH_CHANNEL, fromWindow(), 'relative/path.txt');
    expect(grants.size.uploads).toBe(0);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('malformed'));
  });

  it('stops listening when disposed', () => {
    const { ipcMain, grants, dispose } = setUpGrants();
    dispose();
    ipcMain.send(GRANT_UPLOAD_PATH_CHANNEL, fromWindow(), '/home/me/photo.jpg');
    expect(grants.mayUpload('/home/me/photo.jpg')).toBe(false);
    expect(ipcMain.listeners.get(GRANT_UPLOAD_PATH_CHANNEL)?.size).toBe(0);
  });
});

describe('event forwarding', () => {
  function fakeService() {
    const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
    return {
      listeners,
      on(event: EventName, listener: (payload: never) => void) {
        let set = listeners.get(event);
        if (!set) listeners.set(event, (set = new Set()));
        set.add(listener as (payload: unknown) => void);
        return () => set.delete(listener as (payload: unknown) => void);
      },
      emit(event: EventName, payload: unknown) {
        for (const listener of listeners.get(event) ?? []) listener(payload);
      },
    };
  }

  it('sends every service event to the window as (vault:event, name, payload)', () => {
    const service = fakeService();
    const sent: unknown[][] = [];
    forwardEvents(service, { send: (...args) => void sent.push(args), isDestroyed: () => false });
    expect([...service.listeners.keys()].sort()).toEqual([...EVENT_NAMES].sort());
    service.emit('files.changed', { paths: ['a'] });
    service.emit('cluster.changed', { local: 'running', localDir: '/x', nodes: [] });
    expect(sent).toEqual([
      [EVENT_CHANNEL, 'files.changed', { paths: ['a'] }],
      [EVENT_CHANNEL, 'cluster.changed', { local: 'running', localDir: '/x', nodes: [] }],
    ]);
  });

  it('sends nothing to a destroyed window and unsubscribes everything when stopped', () => {
    const service = fakeService();
    let destroyed = false;
    const send = vi.fn();
    const stop = forwardEvents(service, { send, isDestroyed: () => destroyed });
    destroyed = true;
    service.emit('files.changed', { paths: [] });
    expect(send).not.toHaveBeenCalled();
    stop();
    expect([...service.listeners.values()].every((set) => set.size === 0)).toBe(true);
  });
});
