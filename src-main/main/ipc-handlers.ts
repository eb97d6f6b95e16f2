/**
 * The main side of the bridge: one `ipcMain.handle('vault:<call>')` per contract call, each refusing any sender that
 * is not the top frame of our window showing our own page before the payload is even looked at, then validating the
 * payload at runtime (`dispatchCall`). Events go the other way on one channel. Electron objects are taken as
 * parameters (typed structurally), so Node tests drive this module with fakes.
 */
import { type CallHandlers, type CallOutcome, CALL_NAMES, type CallName, EVENT_NAMES, type EventName, type EventOf } from '../shared/contract.js';
import { dispatchCall } from '../service/call-handlers.js';
import { EVENT_CHANNEL, callChannel } from './ipc-channels.js';

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
  /** The file:// URL of our index.html; only a top frame showing it may call. */
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

/** Registers one handler per contract call; returns a function that removes them all. */
export function registerIpcHandlers(options: IpcHandlerOptions): () => void {
  const { ipcMain, handlers, appUrl, isAppContents, log = () => undefined } = options;
  const channels = CALL_NAMES.map((name) => {
    const channel = callChannel(name);
    ipcMain.handle(channel, async (event, request) => {
      if (!isAppContents(event.sender) || !isTrustedSender(event.senderFrame, appUrl)) {
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
