import { join } from 'node:path';
import type { BaseWindow, OpenDialogOptions, OpenDialogReturnValue, SaveDialogOptions, SaveDialogReturnValue } from 'electron';
import type { HostAdapter } from '../service/call-handlers.js';
import type { DownloadTarget } from '../shared/app-models.js';

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
}

/** The file-name part of a vault path, safe as a suggested name: `docs/report.pdf` → `report.pdf`. */
export function suggestedFileName(vaultPath: string): string {
  const name = vaultPath.split('/').filter(Boolean).at(-1) ?? '';
  // Characters Windows refuses in file names; the dialog would reject the suggestion otherwise.
  const safe = name.replace(/[<>:"\\|?*\u0000-\u001f]/g, '_').trim();
  return safe === '' || safe === '.' || safe === '..' ? 'download' : safe;
}

/** The desktop host: native save and open dialogs. */
export function electronHostAdapter(options: ElectronDialogsOptions): HostAdapter {
  const { dialog, downloadsDir, parent } = options;
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
        return result.canceled || !result.filePath ? { kind: 'cancelled' } : { kind: 'file', path: result.filePath };
      }
      const result = await open({
        title: `Choose a folder for ${names.length} files`,
        buttonLabel: 'Save Here',
        defaultPath: downloadsDir(),
        properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
      });
      const folder = result.filePaths[0];
      return result.canceled || !folder ? { kind: 'cancelled' } : { kind: 'folder', path: folder };
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
      return result.canceled || !path ? {} : { path };
    },
  };
}
