import { mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

// The file-system steps the piece store builds its durability on.

/** Bytes compared at a time by sameContents. */
const COMPARE_BYTES = 1024 * 1024;

/** Whether `error` is a file-system error with this errno code (ENOENT, EEXIST…). */
export function isErrno(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}

/** Whether two files hold the same bytes: one file under two names, or equal copies. False if either is missing. */
export async function sameContents(a: string, b: string): Promise<boolean> {
  const [first, second] = await Promise.all([a, b].map((path) => stat(path, { bigint: true }).catch(() => undefined)));
  if (!first || !second || first.size !== second.size) return false;
  if (first.dev === second.dev && first.ino === second.ino) return true;
  const left = await open(a, 'r');
  try {
    const right = await open(b, 'r');
    try {
      const leftBytes = Buffer.alloc(COMPARE_BYTES);
      const rightBytes = Buffer.alloc(COMPARE_BYTES);
      for (let at = 0; ; at += COMPARE_BYTES) {
        const [l, r] = await Promise.all([left.read(leftBytes, 0, COMPARE_BYTES, at), right.read(rightBytes, 0, COMPARE_BYTES, at)]);
        if (l.bytesRead !== r.bytesRead || !leftBytes.subarray(0, l.bytesRead).equals(rightBytes.subarray(0, r.bytesRead))) return false;
        if (l.bytesRead === 0) return true;
      }
    } finally {
      await right.close();
    }
  } finally {
    await left.close();
  }
}

/** Makes a directory's entries (a file linked, renamed or removed in it) durable. */
export async function fsyncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Creates `dir` and whatever parents it lacks, then syncs the parent of each directory created: syncing the
 * directory a piece is committed in does not make that directory's own entry durable.
 */
export async function makeDirectoryDurably(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return;
  for (let created = dir; ; created = dirname(created)) {
    await fsyncDirectory(dirname(created));
    if (created === first || dirname(created) === created) return;
  }
}

/** Whether anything is at `path`. */
export async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}
