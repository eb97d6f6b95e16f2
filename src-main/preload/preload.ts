/**
 * The sandboxed preload: exposes `window.dfsVault` (see PreloadApi) and nothing else — never ipcRenderer, never a raw
 * channel. Calls go only to contract names; the main process checks the sender and validates every payload anyway.
 * The path of a dropped or picked file is reported to main as it is read, and main lets uploads read only such paths.
 * Bundled by bundle.mjs into one CommonJS file whose only require() is 'electron'.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { type ApiTransport, type CallName, type CallOutcome, type EventName, buildOutcomeVerbs, isCallName } from '../shared/contract.js';
import { GRANT_UPLOAD_PATH_CHANNEL, callChannel } from '../main/ipc-channels.js';
import { eventSubscriptions } from './event-subscriptions.js';
import type { PreloadApi } from './preload-api.js';

const subscribe = eventSubscriptions(ipcRenderer);

/** Sends one contract call to main; main answers with outcomes, so only a failure of IPC itself is caught here. */
const transport: ApiTransport = {
  invoke(name: CallName, request: unknown): Promise<CallOutcome<unknown>> {
    if (!isCallName(name)) {
      return Promise.resolve({ ok: false, error: { code: 'INVALID_REQUEST', message: `Unknown call ${JSON.stringify(String(name)).slice(0, 80)}.` } });
    }
    // The main side answers with outcomes; a rejection here means IPC itself failed (the handler was gone, say).
    return (ipcRenderer.invoke(callChannel(name), request) as Promise<CallOutcome<unknown>>).catch((error: unknown) => ({
      ok: false as const,
      error: { code: 'INTERNAL' as const, message: messageOf(error) },
    }));
  },
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void {
    return subscribe(event, listener);
  },
};

// Domain verbs (dfsVault.files.list(...), dfsVault.session.connect(...)) built from the contract, never raw channels.
const api: PreloadApi = {
  ...buildOutcomeVerbs(transport),
  pathForFile(file: File): string {
    let path: string;
    try {
      path = webUtils.getPathForFile(file);
    } catch {
      return '';
    }
    // Only a File the user dropped or picked has a path, so a page cannot grant itself one. Sent before the path is
    // returned: it reaches main ahead of any later call from this page that names the path.
    if (path) ipcRenderer.send(GRANT_UPLOAD_PATH_CHANNEL, path);
    return path;
  },
};

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

contextBridge.exposeInMainWorld('dfsVault', api);
