import { realpath as fsRealpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BaseWindow, OpenDialogOptions, OpenDialogReturnValue, SaveDialogOptions, SaveDialogReturnValue } from 'electron';
import type { DownloadGrant, HostAdapter } from '../service/call-handlers.js';
import { placeAgainst } from '../service/path-placement.js';
import type { DownloadTarget } from '../shared/app-models.js';
import { VaultError } from '../shared/errors.js';
import type { FileGrants } from './file-grants.js';

/** The parts of Electron's `dialog` used here: both forms, with and without a parent window. */
export interface DialogLike {
  showSaveDialog(window: BaseWindow, options: SaveDialogOptions): Promise<SaveDialogReturnValue>;
  showSaveDialog(options: SaveDialogOptions): Promise<SaveDialogReturnValue>;
  showOpenDialog(window: BaseWindow, options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  showOpenDialog(options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
}

/** What the Electron host adapter needs. */
export interface ElectronDialogsOptions {
  dialog: DialogLike;
  /** The user's Downloads folder (`app.getPath('downloads')`), where save dialogs start. */
  downloadsDir: () => string;
  /** The window dialogs attach to (modal sheets on macOS), while it exists. */
  parent: () => BaseWindow | undefined;
  /** Where chosen destinations are recorded, and dropped or picked files were (by the grant channel). */
  grants: FileGrants;
  /** Resolves links (`fs.promises.realpath` by default; tests give a map). */
  realpath?: (path: string) => Promise<string>;
}

/** Why an upload by path was refused: the page named a file the user never gave it. */
export const UPLOAD_NOT_GRANTED = 'That file was not given to DFS Vault; drop it on the window or use Upload.';
/** Why an upload by path was refused: it lies inside what was dropped by name only, through a link that leads elsewhere. */
export const UPLOAD_THROUGH_LINK = 'That file is reached through a link that leads out of what you dropped; DFS Vault does not follow links. Drop the file itself.';
/** Why a sign-in was refused: the page named a dfc.conf the user never picked (nor signed in with before). */
export const CONFIG_NOT_GRANTED = 'Choose the dfc.conf with Browse… first: the app reads only a config file picked there or signed in with before.';
/** Why a download was refused: the page named a destination the user never chose. */
export const DOWNLOAD_NOT_GRANTED = 'Choose where to save in the save dialog first.';

/** The file-name part of a vault path, safe as a suggested name: `docs/report.pdf` → `report.pdf`. */
export function suggestedFileName(vaultPath: string): string {
  const name = vaultPath.split('/').filter(Boolean).at(-1) ?? '';
  // Characters Windows refuses in file names; the dialog would reject the suggestion otherwise.
  const safe = name.replace(/[<>:"\\|?*\u0000-\u001f]/g, '_').trim();
  return safe === '' || safe === '.' || safe === '..' ? 'download' : safe;
}

/**
 * The desktop host: native save and open dialogs, and the checks that keep the page to the files the user gave it
 * (dropped or picked) and the destinations the user chose in those dialogs.
 */
export function electronHostAdapter(options: ElectronDialogsOptions): HostAdapter {
  const { dialog, downloadsDir, parent, grants, realpath = fsRealpath } = options;
  // Config files picked in the open dialog, for this run (the service itself allows the ones it stored). Each one is
  // a user's pick, so the set stays small; it lives apart from the upload and download grants: it lets only a read.
  const pickedConfigs = new Set<string>();
  const save = (dialogOptions: SaveDialogOptions): Promise<SaveDialogReturnValue> => {
    const window = parent();
    return window ? dialog.showSaveDialog(window, dialogOptions) : dialog.showSaveDialog(dialogOptions);
  };
  const open = (dialogOptions: OpenDialogOptions): Promise<OpenDialogReturnValue> => {
    const window = parent();
    return window ? dialog.showOpenDialog(window, dialogOptions) : dialog.showOpenDialog(dialogOptions);
  };
  return {
    host: 'electron',
    dialogs: true,
    async chooseDownloadTarget(names: string[]): Promise<DownloadTarget> {
      if (names.length === 1) {
        const result = await save({ title: 'Save from DFS Vault', defaultPath: join(downloadsDir(), suggestedFileName(names[0]!)), properties: ['createDirectory', 'showOverwriteConfirmation'] });
        if (result.canceled || !result.filePath) return { kind: 'cancelled' };
        grants.grantDownloadFile(result.filePath);
        return { kind: 'file', path: result.filePath };
      }
      const result = await open({
        title: `Choose a folder for ${names.length} files`,
        buttonLabel: 'Save Here',
        defaultPath: downloadsDir(),
        properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
      });
      const folder = result.filePaths[0];
      if (result.canceled || !folder) return { kind: 'cancelled' };
      grants.grantDownloadFolder(folder, names);
      return { kind: 'folder', path: folder };
    },
    async chooseConfigFile(): Promise<{ path?: string }> {
      const result = await open({
        title: 'Open a DFS client config',
        properties: ['openFile'],
        filters: [
          { name: 'DFS client config', extensions: ['conf'] },
          { name: 'All files', extensions: ['*'] },
        ],
      });
      const path = result.filePaths[0];
      if (result.canceled || !path) return {};
      pickedConfigs.add(resolve(path));
      return { path };
    },
    authorizeConfigPath(path: string): void {
      if (!pickedConfigs.has(resolve(path))) throw new VaultError('INVALID_REQUEST', CONFIG_NOT_GRANTED);
    },
    configErrors: 'without-contents',
    async authorizeUploadSource(path: string): Promise<void> {
      const root = grants.uploadRootOf(path);
      if (root === undefined) throw new VaultError('INVALID_REQUEST', UPLOAD_NOT_GRANTED);
      // The grant compares names; on disk a link inside a dropped folder can lead anywhere.
      const [realRoot, realPath] = await Promise.all([realpath(root), realpath(path)]).catch((error: unknown) => {
        throw new VaultError('NOT_FOUND', `${path} is no longer there; drop it again.`, { cause: error });
      });
      if (placeAgainst(realRoot, realPath) === 'outside') throw new VaultError('INVALID_REQUEST', UPLOAD_THROUGH_LINK);
    },
    authorizeDownloadDestination(path: string): DownloadGrant {
      const grant = grants.takeDownload(path);
      if (!grant) throw new VaultError('INVALID_REQUEST', DOWNLOAD_NOT_GRANTED);
      return grant;
    },
  };
}
