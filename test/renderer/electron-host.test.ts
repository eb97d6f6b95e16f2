import { describe, expect, it } from 'vitest';
import { type ApiTransport, buildOutcomeVerbs, buildVaultApi } from '../../src-main/shared/contract.js';
import { INVALID_LOGIN_TEXT } from '../../src-main/shared/errors.js';
import { createElectronFileTransfers } from '../../src-renderer/api/electron-file-transfers.js';
import { findPreload } from '../../src-renderer/api/preload-api.js';
import { createFakeVault } from './helpers/fake-vault.js';

const login = { target: { kind: 'local' as const }, username: 'alice', password: 'secret', remember: false };

describe('desktop host', () => {
  it('finds no preload outside the desktop app', () => {
    expect(findPreload({})).toBeUndefined();
  });

  it('builds the API on the preload\'s domain verbs, keeping error codes', async () => {
    const transport: ApiTransport = {
      invoke: async () => ({ ok: false, error: { code: 'AUTH_FAILED', message: INVALID_LOGIN_TEXT } }),
      subscribe: () => () => undefined,
    };
    const found = findPreload({ dfsVault: { ...buildOutcomeVerbs(transport), pathForFile: () => '/home/a/x.txt' } });
    expect(found?.files.pathForFile(new File([], 'x.txt'))).toBe('/home/a/x.txt');
    const api = buildVaultApi(found?.transport ?? transport);
    await expect(api.session.connect(login)).rejects.toMatchObject({ code: 'AUTH_FAILED', message: INVALID_LOGIN_TEXT });
  });

  it('finds no API on a preload of another shape', () => {
    expect(findPreload({ dfsVault: { session: {}, pathForFile: () => '' } })).toBeUndefined();
    expect(findPreload({ dfsVault: { invoke: () => undefined, subscribe: () => undefined } })).toBeUndefined();
  });

  it('hands files with a path on disk to the host and streams the others', async () => {
    const fake = createFakeVault();
    await fake.api.session.connect(login);
    const onDisk = new File(['a'], 'photo.jpg');
    const inMemory = new File(['bytes'], 'note.txt');
    const transfers = createElectronFileTransfers({ pathForFile: (f) => (f === onDisk ? '/home/a/photo.jpg' : '') }, fake.api);
    const failures = await transfers.uploadFiles([
      { file: onDisk, path: 'trips/photo.jpg' },
      { file: inMemory, path: 'trips/note.txt' },
    ]);
    expect(failures).toEqual([]);
    expect(fake.calls.find((c) => c.name === 'transfers.uploadPaths')?.request).toEqual({ items: [{ source: '/home/a/photo.jpg', folder: 'trips' }] });
    expect(fake.objects.get('trips/note.txt')?.size).toBe(5);
  });

  it('downloads several files into the chosen folder, keeping folder structure and any file already there', async () => {
    const fake = createFakeVault({ 'a.txt': 1, 'docs/b.txt': 2 });
    await fake.api.session.connect(login);
    fake.override('dialogs.chooseDownloadTarget', async () => ({ kind: 'folder', path: '/home/a/Downloads' }));
    const entries = await fake.api.files.list({ folder: '' });
    await createElectronFileTransfers({ pathForFile: () => '' }, fake.api).downloadEntries(entries);
    const download = fake.calls.find((c) => c.name === 'transfers.download')?.request as { items: Array<{ path: string; destination: string }> };
    expect(download.items.sort((x, y) => x.path.localeCompare(y.path))).toEqual([
      { path: 'a.txt', destination: '/home/a/Downloads/a.txt', ifExists: 'keep-both' },
      { path: 'docs/b.txt', destination: '/home/a/Downloads/docs/b.txt', ifExists: 'keep-both' },
    ]);
  });

  it('saves one file where the save dialog says, and nothing when cancelled', async () => {
    const fake = createFakeVault({ 'a.txt': 1 });
    await fake.api.session.connect(login);
    const transfers = createElectronFileTransfers({ pathForFile: () => '' }, fake.api);
    const entries = await fake.api.files.list({ folder: '' });
    await transfers.downloadEntries(entries);
    expect(fake.calls.some((c) => c.name === 'transfers.download')).toBe(false);
    fake.override('dialogs.chooseDownloadTarget', async () => ({ kind: 'file', path: 'C:\\Users\\a\\report copy.txt' }));
    await transfers.downloadEntries(entries);
    expect(fake.calls.find((c) => c.name === 'transfers.download')?.request).toEqual({ items: [{ path: 'a.txt', destination: 'C:\\Users\\a\\report copy.txt' }] });
  });
});
