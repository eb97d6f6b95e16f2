import type { UploadItem } from '../api/file-transfers.js';
import { joinVaultPath } from '../store/vault-paths.js';

/** What a drop brought: files with their vault paths, and folders that turned out empty. */
export interface DroppedUploads {
  items: UploadItem[];
  emptyFolders: string[];
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

function readBatch(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

/** Every entry of a directory: `readEntries` hands them out in batches until it returns an empty one. */
async function readAll(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await readBatch(reader);
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

const isFile = (entry: FileSystemEntry): entry is FileSystemFileEntry => entry.isFile;
const isDirectory = (entry: FileSystemEntry): entry is FileSystemDirectoryEntry => entry.isDirectory;

async function walk(entry: FileSystemEntry, relative: string, folder: string, out: DroppedUploads): Promise<void> {
  if (isFile(entry)) {
    out.items.push({ file: await fileOf(entry), path: joinVaultPath(folder, relative) });
    return;
  }
  if (!isDirectory(entry)) return;
  const children = await readAll(entry);
  if (children.length === 0) out.emptyFolders.push(joinVaultPath(folder, relative));
  for (const child of children) await walk(child, `${relative}/${child.name}`, folder, out);
}

/**
 * The files of a drop, whole folders walked, aimed at `folder`. The entries must be taken while the drop event
 * runs (the DataTransfer empties afterwards), so call this synchronously from the handler.
 */
export function droppedUploads(data: DataTransfer, folder: string): Promise<DroppedUploads> {
  const roots: Array<FileSystemEntry | File> = [];
  for (const item of [...data.items]) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry();
    const file = entry ? null : item.getAsFile();
    if (entry) roots.push(entry);
    else if (file) roots.push(file);
  }
  return (async () => {
    const out: DroppedUploads = { items: [], emptyFolders: [] };
    for (const root of roots) {
      if (root instanceof File) out.items.push({ file: root, path: joinVaultPath(folder, root.name) });
      else await walk(root, root.name, folder, out);
    }
    return out;
  })();
}

/** True when a drag carries files (not text or a link from the page). */
export function dragHasFiles(event: DragEvent): boolean {
  return [...(event.dataTransfer?.types ?? [])].includes('Files');
}
