import type { BaseWindow, OpenDialogOptions, SaveDialogOptions } from 'electron';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_NOT_GRANTED, DOWNLOAD_NOT_GRANTED, type DialogLike, UPLOAD_NOT_GRANTED, UPLOAD_THROUGH_LINK, electronHostAdapter, suggestedFileName } from '../../src-main/main/dialogs.js';
import { FileGrants } from '../../src-main/main/file-grants.js';
import { VaultError } from '../../src-main/shared/errors.js';
import { inTempDir } from '../helpers/temp-dir.js';

const DOWNLOADS = join('/home', 'me', 'Downloads');
const WINDOW = { id: 1 } as unknown as BaseWindow;

function fakeDialog(answers: { save?: { canceled: boolean; filePath?: string }; open?: { canceled: boolean; filePaths: string[] } }) {
  const calls: { kind: 'save' | 'open'; window: BaseWindow | undefined; options: SaveDialogOptions | OpenDialogOptions }[] = [];
  const dialog = {
    async showSaveDialog(a: BaseWindow | SaveDialogOptions, b?: SaveDialogOptions) {
      calls.push({ kind: 'save', window: b ? (a as BaseWindow) : undefined, options: (b ?? a) as SaveDialogOptions });
      return { canceled: false, filePath: '', ...answers.save };
    },
    async showOpenDialog(a: BaseWindow | OpenDialogOptions, b?: OpenDialogOptions) {
      calls.push({ kind: 'open', window: b ? (a as BaseWindow) : undefined, options: (b ?? a) as OpenDialogOptions });
      return { canceled: false, filePaths: [], ...answers.open };
    },
  } as DialogLike;
  return { dialog, calls };
}

function adapter(dialog: DialogLike, parent: () => BaseWindow | undefined = () => WINDOW, grants = new FileGrants()) {
  return electronHostAdapter({ dialog, downloadsDir: () => DOWNLOADS, parent, grants });
}

/** The error a hook throws, or undefined when it lets the path through. */
function refusal(check: () => void): VaultError | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return error as VaultError;
  }
}

describe('electron dialogs', () => {
  it('is the electron host, with dialogs', () => {
    const host = adapter(fakeDialog({}).dialog);
    expect(host.host).toBe('electron');
    expect(host.dialogs).toBe(true);
  });

  it('asks where to save one file, suggesting its name in the Downloads folder, attached to the window', async () => {
    const { dialog, calls } = fakeDialog({ save: { canceled: false, filePath: '/home/me/Downloads/report.pdf' } });
    const target = await adapter(dialog).chooseDownloadTarget(['docs/2024/report.pdf']);
    expect(target).toEqual({ kind: 'file', path: '/home/me/Downloads/report.pdf' });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.kind).toBe('save');
    expect(calls[0]!.window).toBe(WINDOW);
    expect(calls[0]!.options.defaultPath).toBe(join(DOWNLOADS, 'report.pdf'));
  });

  it('asks for a folder (which it may create) for several files', async () => {
    const { dialog, calls } = fakeDialog({ open: { canceled: false, filePaths: ['/home/me/Downloads/batch'] } });
    const target = await adapter(dialog).chooseDownloadTarget(['a.txt', 'b.txt', 'c/d.txt']);
    expect(target).toEqual({ kind: 'folder', path: '/home/me/Downloads/batch' });
    const options = calls[0]!.options as OpenDialogOptions;
    expect(calls[0]!.kind).toBe('open');
    expect(options.properties).toEqual(expect.arrayContaining(['openDirectory', 'createDirectory']));
    expect(options.properties).not.toContain('openFile');
    expect(options.defaultPath).toBe(DOWNLOADS);
  });

  it('reports a cancelled save or folder choice as cancelled', async () => {
    expect(await adapter(fakeDialog({ save: { canceled: true } }).dialog).chooseDownloadTarget(['a.txt'])).toEqual({ kind: 'cancelled' });
    expect(await adapter(fakeDialog({ open: { canceled: true, filePaths: [] } }).dialog).chooseDownloadTarget(['a', 'b'])).toEqual({ kind: 'cancelled' });
  });

  it('opens a dfc.conf with a .conf filter and an all-files fallback', async () => {
    const { dialog, calls } = fakeDialog({ open: { canceled: false, filePaths: ['/etc/dfc.conf'] } });
    expect(await adapter(dialog).chooseConfigFile()).toEqual({ path: '/etc/dfc.conf' });
    const options = calls[0]!.options as OpenDialogOptions;
    expect(options.properties).toEqual(['openFile']);
    expect(options.filters).toEqual([
      { name: 'DFS client config', extensions: ['conf'] },
      { name: 'All files', extensions: ['*'] },
    ]);
    expect(await adapter(fakeDialog({ open: { canceled: true, filePaths: [] } }).dialog).chooseConfigFile()).toEqual({});
  });

  it('still shows dialogs, unattached, when there is no window', async () => {
    const { dialog, calls } = fakeDialog({ open: { canceled: false, filePaths: ['/x.conf'] } });
    await adapter(dialog, () => undefined).chooseConfigFile();
    expect(calls[0]!.window).toBeUndefined();
  });
});

describe('electron host file checks', () => {
  it('lets an upload read a path the preload reported for a dropped or picked file, and what is inside a dropped folder', () =>
    inTempDir(async (dir) => {
      await mkdir(join(dir, 'photos', '2024'), { recursive: true });
      await writeFile(join(dir, 'photos', 'cat.jpg'), 'cat');
      await writeFile(join(dir, 'photos', '2024', 'dog.jpg'), 'dog');
      const grants = new FileGrants();
      const host = adapter(fakeDialog({}).dialog, undefined, grants);
      grants.grantUploadSource(join(dir, 'photos', 'cat.jpg'));
      await expect(host.authorizeUploadSource(join(dir, 'photos', 'cat.jpg'))).resolves.toBeUndefined();
      grants.grantUploadSource(join(dir, 'photos'));
      await expect(host.authorizeUploadSource(join(dir, 'photos', '2024', 'dog.jpg'))).resolves.toBeUndefined();
    }));

  it('refuses to read a file the user never gave it, with INVALID_REQUEST and what to do instead', async () => {
    const host = adapter(fakeDialog({}).dialog);
    const error = await host.authorizeUploadSource('/home/me/.ssh/id_rsa').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', message: UPLOAD_NOT_GRANTED });
    expect(UPLOAD_NOT_GRANTED).toBe('That file was not given to DFS Vault; drop it on the window or use Upload.');
  });

  it('refuses a file inside a dropped folder that a link there leads out of it to, though its name lies inside', () =>
    inTempDir(async (dir) => {
      await mkdir(join(dir, 'project'));
      await mkdir(join(dir, 'secret'));
      await writeFile(join(dir, 'secret', 'id_rsa'), 'key');
      await symlink(join(dir, 'secret'), join(dir, 'project', 'link'));
      await symlink(join(dir, 'secret', 'id_rsa'), join(dir, 'project', 'key-link'));
      const grants = new FileGrants();
      const host = adapter(fakeDialog({}).dialog, undefined, grants);
      grants.grantUploadSource(join(dir, 'project'));
      for (const path of [join(dir, 'project', 'link', 'id_rsa'), join(dir, 'project', 'key-link')]) {
        const error = await host.authorizeUploadSource(path).catch((e: unknown) => e);
        expect(error, path).toMatchObject({ code: 'INVALID_REQUEST', message: UPLOAD_THROUGH_LINK });
      }
      // A link the user dropped itself is what they chose.
      grants.grantUploadSource(join(dir, 'project', 'key-link'));
      await expect(host.authorizeUploadSource(join(dir, 'project', 'key-link'))).resolves.toBeUndefined();
    }));

  it('lets a download write exactly the file chosen in the save dialog, once, and nowhere else', async () => {
    const grants = new FileGrants();
    const host = adapter(fakeDialog({ save: { canceled: false, filePath: '/home/me/Downloads/report.pdf' } }).dialog, undefined, grants);
    expect(refusal(() => host.authorizeDownloadDestination('/home/me/Downloads/report.pdf'))).toMatchObject({ code: 'INVALID_REQUEST' });
    await host.chooseDownloadTarget(['docs/report.pdf']);
    const error = refusal(() => host.authorizeDownloadDestination('/home/me/.bashrc'));
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', message: DOWNLOAD_NOT_GRANTED });
    expect(DOWNLOAD_NOT_GRANTED).toBe('Choose where to save in the save dialog first.');
    expect(host.authorizeDownloadDestination('/home/me/Downloads/report.pdf')).toEqual({ kind: 'chosen-file' });
    expect(refusal(() => host.authorizeDownloadDestination('/home/me/Downloads/report.pdf'))).toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('lets a download write the files it named inside the folder chosen for them, and nothing else there, beside or above it', async () => {
    const host = adapter(fakeDialog({ open: { canceled: false, filePaths: ['/home/me/Downloads/batch'] } }).dialog);
    await host.chooseDownloadTarget(['a.txt', 'docs/b.txt']);
    const inFolder = { kind: 'in-folder', folder: '/home/me/Downloads/batch' };
    expect(host.authorizeDownloadDestination('/home/me/Downloads/batch/a.txt')).toEqual(inFolder);
    expect(host.authorizeDownloadDestination('/home/me/Downloads/batch/docs/b.txt')).toEqual(inFolder);
    expect(refusal(() => host.authorizeDownloadDestination('/home/me/Downloads/batch/setup.exe'))).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(refusal(() => host.authorizeDownloadDestination('/home/me/Downloads/batch/../../.bashrc'))).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(refusal(() => host.authorizeDownloadDestination('/home/me/Downloads/batch-2/a.txt'))).toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('grants nothing when a dialog is cancelled', async () => {
    const grants = new FileGrants();
    await adapter(fakeDialog({ save: { canceled: true, filePath: '/home/me/x.txt' } }).dialog, undefined, grants).chooseDownloadTarget(['x.txt']);
    await adapter(fakeDialog({ open: { canceled: true, filePaths: ['/home/me'] } }).dialog, undefined, grants).chooseDownloadTarget(['a', 'b']);
    expect(grants.size).toEqual({ uploads: 0, downloads: 0 });
  });

  it('lets the service read a dfc.conf only once it was picked in the open dialog, and not after a cancelled one', async () => {
    const host = adapter(fakeDialog({ open: { canceled: false, filePaths: ['/home/me/dfc.conf'] } }).dialog);
    expect(refusal(() => host.authorizeConfigPath('/home/me/dfc.conf'))).toEqual(new VaultError('INVALID_REQUEST', CONFIG_NOT_GRANTED));
    await host.chooseConfigFile();
    expect(refusal(() => host.authorizeConfigPath('/home/me/dfc.conf'))).toBeUndefined();
    expect(refusal(() => host.authorizeConfigPath('/home/me/./dfc.conf'))).toBeUndefined();
    expect(refusal(() => host.authorizeConfigPath('/home/me/.ssh/id_ed25519'))).toMatchObject({ code: 'INVALID_REQUEST' });
    const cancelled = adapter(fakeDialog({ open: { canceled: true, filePaths: ['/home/me/dfc.conf'] } }).dialog);
    await cancelled.chooseConfigFile();
    expect(refusal(() => cancelled.authorizeConfigPath('/home/me/dfc.conf'))).toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('does not let a config file picked in the open dialog be written or uploaded', async () => {
    const grants = new FileGrants();
    const host = adapter(fakeDialog({ open: { canceled: false, filePaths: ['/etc/dfc.conf'] } }).dialog, undefined, grants);
    await host.chooseConfigFile();
    expect(grants.size).toEqual({ uploads: 0, downloads: 0 });
  });
});

describe('suggested file name', () => {
  it('is the last part of the vault path, made acceptable to every file system', () => {
    expect(suggestedFileName('docs/report.pdf')).toBe('report.pdf');
    expect(suggestedFileName('a:b?.txt')).toBe('a_b_.txt');
    expect(suggestedFileName('folder/')).toBe('folder');
    expect(suggestedFileName('')).toBe('download');
    expect(suggestedFileName('..')).toBe('download');
  });
});
