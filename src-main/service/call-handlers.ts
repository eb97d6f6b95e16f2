import type { DownloadTarget } from '../shared/app-models.js';
import { type CallHandlers, type CallOutcome, isCallName, parseRequest } from '../shared/contract.js';
import { VaultError, serializeError } from '../shared/errors.js';
import type { ConfigPathPolicy } from './cluster-targets.js';
import type { VaultService } from './vault-service.js';

/** What differs between hosts: their name, native dialogs where they exist, and which local files the UI may touch. */
export interface HostAdapter extends ConfigPathPolicy {
  host: 'electron' | 'web';
  dialogs: boolean;
  chooseDownloadTarget(names: string[]): Promise<DownloadTarget>;
  chooseConfigFile(): Promise<{ path?: string }>;
  /**
   * Throws unless the user handed this local file or folder to the app (dropped or picked it). The UI's page is
   * not trusted with the file system: a script in it must not read any file it names.
   */
  authorizeUploadSource(path: string): Promise<void>;
  /**
   * Throws unless the user chose this destination (in a save or folder dialog), and uses that choice up; a page
   * must not write anywhere it names. Says which dialog granted it.
   */
  authorizeDownloadDestination(path: string): DownloadGrant;
}

/** What a download destination was granted as: the file chosen in a save dialog, or one named file in a folder chosen for several. */
export type DownloadGrant = { kind: 'chosen-file' } | { kind: 'in-folder'; folder: string };

/** The version shown in the UI; a test keeps it equal to package.json's. */
export const APP_VERSION = '0.1.0';

/** Every contract call, implemented once over the vault service; both hosts use this same table. */
export function createCallHandlers(service: VaultService, host: HostAdapter): CallHandlers {
  return {
    'app.info': async () => ({ host: host.host, dialogs: host.dialogs, version: APP_VERSION, platform: process.platform }),
    'session.state': () => service.state(),
    'session.resume': () => service.resume(),
    'session.connect': (request) => service.connect(request, host),
    'session.signOut': (request) => service.signOut(request),
    'account.changePassword': (request) => service.changePassword(request),
    'account.recoveryKey': (request) => service.recoveryKey(request),
    'account.recover': (request) => service.recover(request, host),
    'cluster.status': () => service.clusterView(),
    'cluster.startLocal': () => service.startLocal(),
    'cluster.stopLocal': () => service.stopLocal(),
    'cluster.startNode': ({ index }) => service.startNode(index),
    'cluster.stopNode': ({ index }) => service.stopNode(index),
    'files.list': ({ folder }) => service.list(folder),
    'files.mkdir': ({ path }) => service.mkdir(path),
    'files.remove': ({ paths }) => service.remove(paths),
    'files.check': ({ paths }) => service.check(paths),
    'files.repair': ({ paths }) => service.repair(paths),
    'transfers.list': async () => service.listTransfers(),
    'transfers.cancel': async ({ id }) => service.cancelTransfer(id),
    'transfers.clearFinished': async () => service.clearFinished(),
    'transfers.uploadPaths': async ({ items }) => {
      for (const item of items) await host.authorizeUploadSource(item.source);
      return service.uploadPaths(items);
    },
    'transfers.download': ({ items }) => {
      // Into a folder chosen for several files nothing is ever replaced, and nothing is written through a link in it,
      // whatever the page asks: the user saw no file names, only the folder.
      const granted = items.map((item) => ({ item, grant: host.authorizeDownloadDestination(item.destination) }));
      return service.download(granted.map(({ item, grant }) => (grant.kind === 'in-folder' ? { ...item, ifExists: 'keep-both' as const, within: grant.folder } : item)));
    },
    'uploads.begin': (request) => service.beginUpload(request),
    'uploads.write': (request) => service.writeUpload(request),
    'uploads.end': (request) => service.endUpload(request),
    'dialogs.chooseDownloadTarget': ({ names }) => host.chooseDownloadTarget(names),
    'dialogs.chooseConfigFile': () => host.chooseConfigFile(),
  };
}

/** Validates the call name and request at runtime, runs the handler, and returns its outcome; errors become `{code, message}`. */
export async function dispatchCall(handlers: CallHandlers, name: unknown, request: unknown): Promise<CallOutcome<unknown>> {
  try {
    if (!isCallName(name)) throw new VaultError('INVALID_REQUEST', `Unknown call ${JSON.stringify(String(name)).slice(0, 80)}.`);
    const parsed = parseRequest(name, request);
    const handler = handlers[name] as (request: unknown, context: void) => Promise<unknown>;
    return { ok: true, value: await handler(parsed, undefined) };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}

/**
 * What the browser host adds: no dialogs, and no access to local paths but one. The browser sends and saves file
 * bytes itself (streamed HTTP bodies), so a page holding the token can neither read nor write files by name. The one
 * exception is a dfc.conf, whose path the user types on the connect screen: it is read, but whatever goes wrong the
 * page is told only that the file could not be used (not whether it exists, its size, or anything in it).
 */
export function browserHostFiles(): Omit<HostAdapter, 'host' | 'dialogs'> {
  const unsupported = (what: string) => (): never => {
    throw new VaultError('UNSUPPORTED', what);
  };
  return {
    chooseDownloadTarget: async () => unsupported('Dialogs exist only in the desktop app; in the browser, the browser saves downloads itself.')(),
    chooseConfigFile: async () => unsupported('Dialogs exist only in the desktop app; in the browser, type the path of dfc.conf.')(),
    authorizeUploadSource: async () => unsupported('The browser host does not read files by path; drop them on the page or use Upload.')(),
    authorizeDownloadDestination: unsupported('The browser host does not write files by path; the browser saves downloads itself.'),
    authorizeConfigPath: () => undefined,
    configErrors: 'generic',
  };
}
