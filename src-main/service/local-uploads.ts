import { lstat, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { VaultError } from '../shared/errors.js';

/** One local file to upload and where it goes in the vault. */
export interface PlannedUpload {
  source: string;
  path: string;
  size: number;
}

/** Most files one drop may expand to; more is almost surely a mistake (a home folder dropped). */
export const MAX_FILES_PER_DROP = 100_000;

/**
 * Expands dropped paths into files: a file goes into `folder` under its own name, a folder is walked recursively and
 * keeps its layout under `folder/<its name>`. Symbolic links are skipped, so a walk cannot loop or leave the tree.
 */
export async function planUploads(items: ReadonlyArray<{ source: string; folder: string }>): Promise<PlannedUpload[]> {
  const planned: PlannedUpload[] = [];
  for (const item of items) {
    const target = joinVault(item.folder, basename(item.source));
    await walk(item.source, target, planned, true);
  }
  return planned;
}

async function walk(source: string, path: string, planned: PlannedUpload[], top: boolean): Promise<void> {
  let info;
  try {
    // A dropped link is followed (the user chose it, and a linked folder is walked like the folder); links inside are not.
    info = top ? await stat(source) : await lstat(source);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new VaultError('LOCAL_IO', `Cannot read ${source}: ${code === 'ENOENT' ? 'no such file or folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message}.`, { cause: error });
  }
  if (info.isSymbolicLink()) return;
  if (info.isDirectory()) {
    const names = (await readdir(source).catch((error: unknown) => {
      throw new VaultError('LOCAL_IO', `Cannot read the folder ${source}: ${(error as Error).message}.`, { cause: error });
    })).sort();
    for (const name of names) await walk(join(source, name), joinVault(path, name), planned, false);
    return;
  }
  if (!info.isFile()) return;
  if (planned.length >= MAX_FILES_PER_DROP) throw new VaultError('INVALID_REQUEST', `More than ${MAX_FILES_PER_DROP} files in one upload; upload fewer folders at a time.`);
  planned.push({ source, path, size: info.size });
}

function joinVault(folder: string, name: string): string {
  return folder === '' ? name : `${folder.replace(/\/+$/, '')}/${name}`;
}
