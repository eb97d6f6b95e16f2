import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planUploads } from '../../src-main/service/local-uploads.js';
import { VaultError } from '../../src-main/shared/errors.js';

describe('local uploads', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dfs-vault-uploads-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Writes `content` to `relative` under the temp dir, making folders on the way. */
  async function file(relative: string, content = 'x'): Promise<string> {
    const path = join(dir, relative);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, content);
    return path;
  }

  it('puts a file into the folder under its own name, with its size', async () => {
    const source = await file('report.pdf', 'twelve bytes');
    expect(await planUploads([{ source, folder: 'docs' }])).toEqual([{ source, path: 'docs/report.pdf', size: 12 }]);
  });

  it('puts a file at the top for folder "" and under every level for "a/b"', async () => {
    const source = await file('a.txt');
    expect((await planUploads([{ source, folder: '' }])).map((p) => p.path)).toEqual(['a.txt']);
    expect((await planUploads([{ source, folder: 'a/b' }])).map((p) => p.path)).toEqual(['a/b/a.txt']);
    expect((await planUploads([{ source, folder: 'a/b/' }])).map((p) => p.path)).toEqual(['a/b/a.txt']);
  });

  it('keeps a folder’s layout, nested folders included, under the folder’s own name', async () => {
    await file('photos/x.jpg', 'x');
    await file('photos/2026/y.jpg', 'yy');
    await file('photos/2026/deep/z.jpg', 'zzz');
    const planned = await planUploads([{ source: join(dir, 'photos'), folder: 'trips' }]);
    expect(planned).toEqual([
      { source: join(dir, 'photos/2026/deep/z.jpg'), path: 'trips/photos/2026/deep/z.jpg', size: 3 },
      { source: join(dir, 'photos/2026/y.jpg'), path: 'trips/photos/2026/y.jpg', size: 2 },
      { source: join(dir, 'photos/x.jpg'), path: 'trips/photos/x.jpg', size: 1 },
    ]);
  });

  it('plans nothing for empty folders', async () => {
    await mkdir(join(dir, 'empty/inner'), { recursive: true });
    expect(await planUploads([{ source: join(dir, 'empty'), folder: '' }])).toEqual([]);
  });

  it('skips symbolic links inside a folder, so a walk cannot loop or leave the tree', async () => {
    const outside = await file('outside.txt', 'secret');
    await file('tree/kept.txt');
    await symlink(outside, join(dir, 'tree/link-to-file'));
    await symlink(join(dir, 'tree'), join(dir, 'tree/loop'));
    await symlink(join(dir, 'nowhere'), join(dir, 'tree/dangling'));
    const planned = await planUploads([{ source: join(dir, 'tree'), folder: '' }]);
    expect(planned.map((p) => p.path)).toEqual(['tree/kept.txt']);
  });

  it('follows a dropped symbolic link to a file, planning the file’s size under the link’s name', async () => {
    const target = await file('real.txt', 'four');
    await symlink(target, join(dir, 'alias.txt'));
    const planned = await planUploads([{ source: join(dir, 'alias.txt'), folder: 'docs' }]);
    expect(planned).toEqual([{ source: join(dir, 'alias.txt'), path: 'docs/alias.txt', size: 4 }]);
  });

  it('walks a dropped symbolic link to a folder like the folder itself', async () => {
    await file('real/sub/f.txt', 'ab');
    await symlink(join(dir, 'real'), join(dir, 'linked'));
    const planned = await planUploads([{ source: join(dir, 'linked'), folder: '' }]);
    expect(planned).toEqual([{ source: join(dir, 'linked/sub/f.txt'), path: 'linked/sub/f.txt', size: 2 }]);
  });

  it('plans several dropped items in the order given', async () => {
    const b = await file('b.txt');
    const a = await file('a.txt');
    expect((await planUploads([{ source: b, folder: 'x' }, { source: a, folder: 'y' }])).map((p) => p.path)).toEqual(['x/b.txt', 'y/a.txt']);
  });

  it('refuses a missing path with LOCAL_IO naming the path', async () => {
    const missing = join(dir, 'gone.txt');
    const error = await planUploads([{ source: missing, folder: '' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({ code: 'LOCAL_IO' });
    expect((error as Error).message).toBe(`Cannot read ${missing}: no such file or folder.`);
  });

  it('refuses a dangling dropped symbolic link with LOCAL_IO naming it', async () => {
    const link = join(dir, 'dangling');
    await symlink(join(dir, 'nowhere'), link);
    await expect(planUploads([{ source: link, folder: '' }])).rejects.toMatchObject({ code: 'LOCAL_IO', message: expect.stringContaining(link) });
  });
});
