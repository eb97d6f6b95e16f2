import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { FileTransfers, type TransferVault, reserveFreeName } from '../../src-main/service/file-transfers.js';
import { VaultError } from '../../src-main/shared/errors.js';
import type { VaultEntry } from '../../src-main/shared/models.js';
import type { ByteSource } from '../../src-main/vault/byte-source.js';
import { inTempDir } from '../helpers/temp-dir.js';

describe('free name for "keep both"', () => {
  it('reserves each name it hands out, so downloads saving at once never share one', () =>
    inTempDir(async (dir) => {
      const names = await Promise.all(Array.from({ length: 5 }, () => reserveFreeName(join(dir, 'report.pdf'))));
      expect(new Set(names).size).toBe(5);
      expect(names.sort()).toEqual(['report (2).pdf', 'report (3).pdf', 'report (4).pdf', 'report (5).pdf', 'report.pdf'].map((n) => join(dir, n)).sort());
      expect(await readdir(dir)).toHaveLength(5);
    }));

  it('keeps the destination when nothing is there yet', () =>
    inTempDir(async (dir) => {
      expect(await reserveFreeName(join(dir, 'report.pdf'))).toBe(join(dir, 'report.pdf'));
    }));

  it('numbers a taken name before its extension, from (2) up to the first one free', () =>
    inTempDir(async (dir) => {
      await writeFile(join(dir, 'report.pdf'), 'a');
      expect(await reserveFreeName(join(dir, 'report.pdf'))).toBe(join(dir, 'report (2).pdf'));
      await writeFile(join(dir, 'report (2).pdf'), 'b');
      await writeFile(join(dir, 'report (3).pdf'), 'c');
      expect(await reserveFreeName(join(dir, 'report.pdf'))).toBe(join(dir, 'report (4).pdf'));
    }));

  it('numbers at the end a name without an extension, or one that only starts with a dot', () =>
    inTempDir(async (dir) => {
      await writeFile(join(dir, 'README'), 'a');
      await writeFile(join(dir, '.profile'), 'b');
      expect(await reserveFreeName(join(dir, 'README'))).toBe(join(dir, 'README (2)'));
      expect(await reserveFreeName(join(dir, '.profile'))).toBe(join(dir, '.profile (2)'));
    }));

  it('counts a broken symbolic link as taken, so saving never writes through it', () =>
    inTempDir(async (dir) => {
      await symlink(join(dir, 'nowhere'), join(dir, 'link.txt'));
      expect(await reserveFreeName(join(dir, 'link.txt'))).toBe(join(dir, 'link (2).txt'));
    }));
});

/** A vault entry as a listing returns it. */
function entry(path: string, type: 'file' | 'folder', size = 0): VaultEntry {
  return { name: path.slice(path.lastIndexOf('/') + 1), path, type, size, modified: new Date(0).toISOString(), pieces: { good: 4, total: 4 }, health: 'healthy' };
}

/** A vault of fixed folder listings that counts them; a download "writes" nothing and reports the entry's size. */
class ListingVault implements TransferVault {
  readonly listed: string[] = [];

  constructor(private readonly folders: Record<string, VaultEntry[]>) {}

  async list(folder = ''): Promise<VaultEntry[]> {
    this.listed.push(folder);
    const entries = this.folders[folder];
    if (!entries) throw new VaultError('NOT_FOUND', `No folder named "${folder}".`);
    return entries;
  }

  async getFile(path: string, localPath: string): Promise<{ size: number; savedAs: string }> {
    return { size: Object.values(this.folders).flat().find((e) => e.path === path)?.size ?? 0, savedAs: localPath };
  }

  async putFile(): Promise<{ path: string; size: number }> {
    throw new Error('not used');
  }

  /** Reads the source to its end, as a real upload does before it commits. */
  async putStream(source: ByteSource, _size: number, _path: string, _options?: { signal?: AbortSignal }): Promise<void> {
    const buffer = Buffer.alloc(64);
    while ((await source.read(buffer)) > 0);
  }

  async getStream(): Promise<{ size: number }> {
    throw new Error('not used');
  }
}

/** A vault whose uploads take no bytes until they are cancelled: a pushed chunk stays waiting. */
class StalledUploadVault extends ListingVault {
  override async putStream(_source: ByteSource, _size: number, _path: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    await new Promise((_, reject) => options.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true }));
  }
}

/** FileTransfers over `vault`, recording every path reported changed. */
function transfersOver(vault: TransferVault): { files: FileTransfers; changed: string[] } {
  const changed: string[] = [];
  const files = new FileTransfers({ vault: () => vault, announce: () => undefined, changed: (paths) => changed.push(...paths) });
  return { files, changed };
}

describe('file transfers', () => {
  const vault = new ListingVault({
    '': [entry('notes.txt', 'file', 12), entry('photos', 'folder')],
    photos: [entry('photos/a.jpg', 'file', 100), entry('photos/b.jpg', 'file', 200)],
  });

  it('finds the entry of a file to download, with its size', async () => {
    const { files } = transfersOver(vault);
    expect(await files.fileEntry('/photos/b.jpg')).toMatchObject({ path: 'photos/b.jpg', type: 'file', size: 200 });
  });

  it('says NOT_FOUND for a file or a folder that is not there, and NOT_A_FILE for a folder', async () => {
    const { files } = transfersOver(vault);
    await expect(files.fileEntry('photos/c.jpg')).rejects.toEqual(new VaultError('NOT_FOUND', 'No file named "photos/c.jpg" in the vault.'));
    await expect(files.fileEntry('trips/x.jpg')).rejects.toEqual(new VaultError('NOT_FOUND', 'No file named "trips/x.jpg" in the vault.'));
    await expect(files.fileEntry('photos')).rejects.toEqual(new VaultError('NOT_A_FILE', '"photos" is a folder; download the files inside it.'));
  });

  it('lists each folder once for a download of many of its files, and sizes each transfer from that listing', () =>
    inTempDir(async (dir) => {
      vault.listed.length = 0;
      const { files } = transfersOver(vault);
      const items = ['photos/a.jpg', 'photos/b.jpg', 'notes.txt'].map((path) => ({ path, destination: join(dir, path) }));
      const { ids } = await files.download(items);
      expect(vault.listed).toEqual(['photos', '']);
      expect(files.list().map((t) => [t.id, t.path, t.size])).toEqual([
        [ids[0], 'photos/a.jpg', 100],
        [ids[1], 'photos/b.jpg', 200],
        [ids[2], 'notes.txt', 12],
      ]);
      // The transfers make their folders under `dir`: let them end before it is removed.
      await vi.waitFor(() => expect(files.list().map((t) => t.state)).toEqual(['done', 'done', 'done']));
    }));

  it('refuses a download into a chosen folder that would go through a link inside it, and makes nothing beyond the link', () =>
    inTempDir(async (dir) => {
      const chosen = join(dir, 'chosen');
      const elsewhere = join(dir, 'elsewhere');
      await mkdir(chosen);
      await mkdir(elsewhere);
      await symlink(elsewhere, join(chosen, 'photos'));
      const { files } = transfersOver(vault);
      const through = { path: 'photos/a.jpg', destination: join(chosen, 'photos', 'deep', 'a.jpg'), ifExists: 'keep-both' as const, within: chosen };
      const beside = { path: 'notes.txt', destination: join(chosen, 'notes.txt'), ifExists: 'keep-both' as const, within: chosen };
      await files.download([through, beside]);
      await vi.waitFor(() => expect(files.list().map((t) => t.state)).toEqual(['failed', 'done']));
      expect(files.list()[0]!.error).toMatchObject({ code: 'LOCAL_IO', message: `${join(chosen, 'photos')} is a link; DFS Vault saves only into the folder you chose, not through links in it. Choose another folder, or remove the link.` });
      expect(await readdir(elsewhere)).toEqual([]);
    }));

  it('gives back the name it reserved for "keep both" when the download fails', () =>
    inTempDir(async (dir) => {
      class FailingVault extends ListingVault {
        override async getFile(): Promise<{ size: number; savedAs: string }> {
          throw new VaultError('INCOMPLETE', 'File is incomplete.');
        }
      }
      const { files } = transfersOver(new FailingVault({ '': [entry('notes.txt', 'file', 12)] }));
      await files.download([{ path: 'notes.txt', destination: join(dir, 'notes.txt'), ifExists: 'keep-both' }]);
      await vi.waitFor(() => expect(files.list().map((t) => t.state)).toEqual(['failed']));
      expect(await readdir(dir)).toEqual([]);
    }));

  it('reports a pushed upload as changed files only once it is committed', async () => {
    const { files, changed } = transfersOver(vault);
    const { id } = await files.beginUpload({ path: 'pushed/a.bin', size: 3 });
    await files.write({ id, bytes: new Uint8Array([1, 2, 3]) });
    expect(changed).toEqual([]);
    await files.end({ id });
    expect(changed).toEqual(['pushed/a.bin']);
    expect(files.list()).toMatchObject([{ id, state: 'done', done: 3 }]);
  });

  it('cancels every transfer at sign-out, failing a pushed upload\'s waiting sender and forgetting the upload', async () => {
    const { files } = transfersOver(new StalledUploadVault({}));
    const { id } = await files.beginUpload({ path: 'pushed/b.bin', size: 1000 });
    await vi.waitFor(() => expect(files.list()).toMatchObject([{ id, state: 'running' }]));
    const waiting = files.write({ id, bytes: new Uint8Array(10) });
    files.cancelAll();
    await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(files.end({ id })).rejects.toEqual(new VaultError('NOT_FOUND', 'That upload has ended or never began.'));
    await vi.waitFor(() => expect(files.list()).toMatchObject([{ id, state: 'cancelled' }]));
  });
});
