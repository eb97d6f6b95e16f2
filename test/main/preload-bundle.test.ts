import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PreloadApi } from '../../src-main/preload/preload-api.js';
import { CALL_NAMES, buildVaultApi, outcomeVerbsTransport } from '../../src-main/shared/contract.js';
import { VaultError } from '../../src-main/shared/errors.js';

const BUNDLER = new URL('../../src-main/preload/bundle.mjs', import.meta.url);

let dir: string;
let code: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dfs-preload-'));
  const outfile = join(dir, 'preload.cjs');
  await promisify(execFile)(process.execPath, [fileURLToPath(BUNDLER), '--outfile', outfile]);
  code = await readFile(outfile, 'utf8');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type IpcListener = (event: unknown, ...args: unknown[]) => void;

/** Runs the bundle as a sandboxed preload would: a fresh JS realm whose require() knows only 'electron'. */
function loadPreload(options: { invoke?: (channel: string, request: unknown) => Promise<unknown>; pathOf?: (file: unknown) => string } = {}) {
  const exposed: [string, unknown][] = [];
  const ipcListeners = new Map<string, Set<IpcListener>>();
  const ipcRenderer = {
    invoke: vi.fn(options.invoke ?? (async (channel: string, request: unknown) => ({ ok: true, value: { channel, request } }))),
    on: vi.fn((channel: string, listener: IpcListener) => {
      if (!ipcListeners.has(channel)) ipcListeners.set(channel, new Set());
      ipcListeners.get(channel)!.add(listener);
    }),
    removeListener: vi.fn((channel: string, listener: IpcListener) => ipcListeners.get(channel)?.delete(listener)),
    send: vi.fn(),
    sendSync: vi.fn(),
  };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push([key, api]) },
    ipcRenderer,
    webUtils: { getPathForFile: vi.fn(options.pathOf ?? (() => '/home/me/photo.jpg')) },
  };
  const required: string[] = [];
  const require = (id: string): unknown => {
    required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`Cannot find module '${id}' (a sandboxed preload can only require electron)`);
  };
  const module = { exports: {} };
  vm.runInNewContext(code, { require, module, exports: module.exports }, { filename: 'preload.cjs' });
  const emit = (name: unknown, payload: unknown) => {
    for (const listener of [...(ipcListeners.get('vault:event') ?? [])]) listener({ sender: 'the IPC event' }, name, payload);
  };
  const listenerCount = () => ipcListeners.get('vault:event')?.size ?? 0;
  return { exposed, ipcRenderer, webUtils: electron.webUtils, required, emit, listenerCount };
}

describe('preload bundle', () => {
  it('is one CommonJS script (no import or export statements)', () => {
    expect(() => new vm.Script(code)).not.toThrow();
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).not.toMatch(/\bimport\s*\(/);
  });

  it("requires nothing but 'electron'", () => {
    const requires = [...code.matchAll(/\brequire\s*\(([^)]*)\)/g)].map((m) => m[1]!.trim());
    expect(requires).toEqual(['"electron"']);
    expect(loadPreload().required).toEqual(['electron']);
  });

  it('exposes exactly one object, window.dfsVault: the contract\'s domain verbs, on and pathForFile, nothing else', () => {
    const { exposed, ipcRenderer } = loadPreload();
    expect(exposed.map(([key]) => key)).toEqual(['dfsVault']);
    const api = exposed[0]![1] as Record<string, unknown>;
    const namespaces = [...new Set(CALL_NAMES.map((name) => name.split('.')[0]!))];
    expect(Object.keys(api).sort()).toEqual([...namespaces, 'on', 'pathForFile'].sort());
    // Every verb of the contract, and no other function: there is no way to name a channel.
    const verbs = namespaces.flatMap((ns) => Object.keys(api[ns] as object).map((verb) => `${ns}.${verb}`));
    expect(verbs.sort()).toEqual([...CALL_NAMES].sort());
    expect(namespaces.every((ns) => Object.values(api[ns] as object).every((v) => typeof v === 'function'))).toBe(true);
    expect(Object.values(api)).not.toContain(ipcRenderer);
  });

  it('sends a verb on its own vault:<call> channel and returns the outcome', async () => {
    const { exposed, ipcRenderer } = loadPreload();
    const api = exposed[0]![1] as PreloadApi;
    const outcome = await api.files.list({ folder: 'docs' });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('vault:files.list', { folder: 'docs' });
    expect(outcome).toEqual({ ok: true, value: { channel: 'vault:files.list', request: { folder: 'docs' } } });
  });

  it('turns an IPC failure into an INTERNAL outcome rather than a rejection', async () => {
    const { exposed } = loadPreload({ invoke: async () => Promise.reject(new Error("No handler registered for 'vault:app.info'")) });
    const api = exposed[0]![1] as PreloadApi;
    expect(await api.app.info()).toEqual({ ok: false, error: { code: 'INTERNAL', message: "No handler registered for 'vault:app.info'" } });
  });

  it("lets the renderer build its VaultApi on it, so failures arrive as VaultErrors with their code", async () => {
    const { exposed } = loadPreload({ invoke: async () => ({ ok: false, error: { code: 'AUTH_FAILED', message: 'Invalid Username/Password. Please try again.' } }) });
    const api = buildVaultApi(outcomeVerbsTransport(exposed[0]![1] as PreloadApi));
    const failure = api.session.connect({ target: { kind: 'local' }, username: 'alice', password: 'x', remember: false });
    await expect(failure).rejects.toBeInstanceOf(VaultError);
    await expect(failure).rejects.toMatchObject({ code: 'AUTH_FAILED', message: 'Invalid Username/Password. Please try again.' });
  });

  it('delivers each event only to its own subscribers, without the IPC event object', () => {
    const { exposed, emit } = loadPreload();
    const api = exposed[0]![1] as PreloadApi;
    const files = vi.fn();
    const transfers = vi.fn();
    api.on('files.changed', files);
    api.on('transfer.changed', transfers);
    emit('files.changed', { paths: ['a.txt'] });
    expect(files).toHaveBeenCalledExactlyOnceWith({ paths: ['a.txt'] });
    expect(transfers).not.toHaveBeenCalled();
  });

  it('listens on IPC only while someone is subscribed, and each unsubscribe ends only its own subscription', () => {
    const { exposed, emit, listenerCount } = loadPreload();
    const api = exposed[0]![1] as PreloadApi;
    expect(listenerCount()).toBe(0);
    const first = vi.fn();
    const second = vi.fn();
    const stopFirst = api.on('cluster.changed', first);
    const stopSecond = api.on('cluster.changed', second);
    expect(listenerCount()).toBe(1);
    stopFirst();
    stopFirst();
    emit('cluster.changed', { local: 'running' });
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
    stopSecond();
    expect(listenerCount()).toBe(0);
  });

  it('refuses to subscribe to an event the contract does not have', () => {
    const { exposed } = loadPreload();
    const api = exposed[0]![1] as PreloadApi;
    expect(() => api.on('vault:event' as never, () => undefined)).toThrow(/Unknown event/);
  });

  it("gives a dropped file's path on disk, or '' when it has none", () => {
    const file = { name: 'photo.jpg' } as unknown as File;
    const withPath = loadPreload();
    expect((withPath.exposed[0]![1] as PreloadApi).pathForFile(file)).toBe('/home/me/photo.jpg');
    expect(withPath.webUtils.getPathForFile).toHaveBeenCalledWith(file);
    const without = loadPreload({
      pathOf: () => {
        throw new TypeError('Error processing argument at index 0, conversion failure');
      },
    });
    expect((without.exposed[0]![1] as PreloadApi).pathForFile(file)).toBe('');
  });

  it('reports each path it gives to main on the grant channel, so main lets uploads read exactly those', () => {
    const { exposed, ipcRenderer } = loadPreload();
    (exposed[0]![1] as PreloadApi).pathForFile({ name: 'photo.jpg' } as unknown as File);
    expect(ipcRenderer.send).toHaveBeenCalledExactlyOnceWith('vault:grant-upload-path', '/home/me/photo.jpg');
    expect(ipcRenderer.sendSync).not.toHaveBeenCalled();
  });

  it('reports nothing for a File made in the page (no path) or one Electron cannot read', () => {
    const file = { name: 'note.txt' } as unknown as File;
    const inPage = loadPreload({ pathOf: () => '' });
    expect((inPage.exposed[0]![1] as PreloadApi).pathForFile(file)).toBe('');
    expect(inPage.ipcRenderer.send).not.toHaveBeenCalled();
    const unreadable = loadPreload({
      pathOf: () => {
        throw new TypeError('conversion failure');
      },
    });
    (unreadable.exposed[0]![1] as PreloadApi).pathForFile(file);
    expect(unreadable.ipcRenderer.send).not.toHaveBeenCalled();
  });

  it('reports the path before the page can name it in an upload call (IPC keeps one renderer\'s messages in order)', async () => {
    const { exposed, ipcRenderer } = loadPreload();
    const api = exposed[0]![1] as PreloadApi;
    const source = api.pathForFile({ name: 'photo.jpg' } as unknown as File);
    await api.transfers.uploadPaths({ items: [{ source, folder: '' }] });
    expect(ipcRenderer.send.mock.invocationCallOrder[0]!).toBeLessThan(ipcRenderer.invoke.mock.invocationCallOrder[0]!);
  });
});
