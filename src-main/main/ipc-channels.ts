/**
 * The IPC channel names shared by the preload and the main process: one `vault:<call>` channel per contract call
 * (GitHub Desktop's channel map, derived from the contract instead of typed by hand), one channel for events and one
 * for the paths of files the user handed over.
 * Pure: bundled into the sandboxed preload, so it imports nothing but contract types.
 */
import type { CallName } from '../shared/contract.js';

/** The channel the main process answers a contract call on. */
export type CallChannel = `vault:${CallName}`;

/**
 * The channel the preload reports a dropped or picked file's path on (one-way, from `pathForFile`), so that main
 * lets `transfers.uploadPaths` read it. Messages from one renderer arrive in order: the report lands before the
 * upload call that names the path.
 */
export const GRANT_UPLOAD_PATH_CHANNEL = 'vault:grant-upload-path';

/** The one channel events travel on, as `(name, payload)`. */
export const EVENT_CHANNEL = 'vault:event';

/** The channel of a call: `files.list` → `vault:files.list`. */
export function callChannel(name: CallName): CallChannel {
  return `vault:${name}`;
}
