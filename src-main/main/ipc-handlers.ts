/**
 * The main side of the bridge: one `ipcMain.handle('vault:<call>')` per contract call, each refusing any sender that
 * is not the top frame of our window showing our own page before the payload is even looked at, then validating the
 * payload at runtime (`dispatchCall`). The paths of dropped or picked files arrive on one one-way channel, checked
 * the same way. Events go the other way on one channel. Electron objects are taken as parameters (typed
 * structurally), so Node tests drive this module with fakes.
 */
import { type CallHandlers, type CallOutcome, CALL_NAMES, type CallName, EVENT_NAMES, type EventName, type EventOf } from '../shared/contract.js';
import { dispatchCall } from '../service/call-handlers.js';
import { EVENT_CHANNEL, GRANT_UPLOAD_PATH_CHANNEL, callChannel } from './ipc-channels.js';

/** The parts of a `WebFrameMain` the sender check reads. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
  readonly detached?: boolean;
}

/** The parts of an `IpcMainInvokeEvent` the handlers read. */
export interface InvokeEvent {
  readonly sender: { readonly id: number };
  readonly senderFrame: SenderFrame | null;
}

/** The parts of `ipcMain` the handlers use. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, request: unknown) => Promise<CallOutcome<unknown>>): void;
  removeHandler(channel: string): void;
}

/** The parts of `ipcMain` the one-way grant channel uses. */
export interface IpcMainEventsLike {
  on(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => void): unknown;
}

/** The parts of a `WebContents` events are sent to. */
export interface EventSink {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

/** Anything with the service's typed `on` (the VaultService). */
export interface ServiceEvents {
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}

/** What `registerIpcHandlers` needs. */
export interface IpcHandlerOptions {
  ipcMain: IpcMainLike;
  handlers: CallHandlers;
  /** The URL of our index.html (app://dfs-vault/index.html); only a top frame showing it may call. */
  appUrl: string;
  /** True for the webContents of our own window (compared by id). */
  isAppContents(sender: { readonly id: number }): boolean;
  log?: (line: string) => void;
}

/** The comparable part of a page URL: scheme, host and decoded path (query and hash are the page's own state). */
function pageIdentity(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${decodeURIComponent(parsed.pathname)}`;
  } catch {
    return undefined;
  }
}

/** True when `frame` exists, is attached, is a top frame (no parent) and shows the page at `expectedUrl`. */
export function isTrustedSender(frame: SenderFrame | null | undefined, expectedUrl: string): boolean {
  if (!frame || frame.detached || frame.parent !== null) return false;
  const actual = pageIdentity(frame.url);
  return actual !== undefined && actual === pageIdentity(expectedUrl);
}

/** True when an IPC message comes from our page in the top frame of our own window. */
function fromOurPage(event: InvokeEvent, appUrl: string, isAppContents: (sender: { readonly id: number }) => boolean): boolean {
  return isAppContents(event.sender) && isTrustedSender(event.senderFrame, appUrl);
}

/** Registers one handler per contract call; returns a function that removes them all. */
export function registerIpcHandlers(options: IpcHandlerOptions): () => void {
  const { ipcMain, handlers, appUrl, isAppContents, log = () => undefined } = options;
  const channels = CALL_NAMES.map((name) => {
    const channel = callChannel(name);
    ipcMain.handle(channel, async (event, request) => {
      if (!fromOurPage(event, appUrl, isAppContents)) {
        log(`Refused ${name} from an untrusted sender (${event.senderFrame?.url ?? 'no frame'}).`);
        return refused(name);
      }
      return dispatchCall(handlers, name, request);
    });
    return channel;
  });
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/** The longest path accepted on the grant channel (Windows' extended-length limit). */
export const MAX_GRANTED_PATH_LENGTH = 32_767;

/** What `registerUploadGrants` needs. */
export interface UploadGrantOptions {
  ipcMain: IpcMainEventsLike;
  appUrl: string;
  isAppContents(sender: { readonly id: number }): boolean;
  /** Records a path the user handed over (`FileGrants.grantUploadSource`). */
  grant(path: string): void;
  log?: (line: string) => void;
}

/**
 * Listens on the grant channel, where the preload reports the path `webUtils.getPathForFile` gave for a dropped or
 * picked File (it gives none for a File made in the page). Only our page may report, and only a string of bounded
 * length (the grants ignore anything that is not an absolute path); returns a function that stops listening.
 */
export function registerUploadGrants(options: UploadGrantOptions): () => void {
  const { ipcMain, appUrl, isAppContents, grant, log = () => undefined } = options;
  const listener = (event: InvokeEvent, path: unknown): void => {
    if (!fromOurPage(event, appUrl, isAppContents)) {
      log(`Ignored a file grant from an untrusted sender (${event.senderFrame?.url ?? 'no frame'}).`);
      return;
    }
    if (typeof path !== 'string' || path === '' || path.length > MAX_GRANTED_PATH_LENGTH || path.includes('\0')) {
      log('Ignored a malformed file grant.');
      return;
    }
    grant(path);
  };
  ipcMain.on(GRANT_UPLOAD_PATH_CHANNEL, listener);
  return () => void ipcMain.removeListener(GRANT_UPLOAD_PATH_CHANNEL, listener);
}

function refused(name: CallName): CallOutcome<never> {
  return { ok: false, error: { code: 'INVALID_REQUEST', message: `${name} was refused: it did not come from the DFS Vault window.` } };
}

/** Forwards every service event to `target` as `(EVENT_CHANNEL, name, payload)`; returns a function that stops. */
export function forwardEvents(service: ServiceEvents, target: EventSink): () => void {
  const stops = EVENT_NAMES.map((name) =>
    service.on(name, (payload) => {
      if (!target.isDestroyed()) target.send(EVENT_CHANNEL, name, payload);
    }),
  );
  return () => {
    for (const stop of stops) stop();
  };
}
