import { execFile } from 'node:child_process';

/** Flushes every file system (`sync`), so write-back and discards of earlier steps do not land inside the next measurement. */
export function settleDisk(): Promise<void> {
  return new Promise((resolve) => execFile('sync', () => resolve()));
}
