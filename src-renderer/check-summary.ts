import { type FileHealth, checkedPathText } from '../src-main/shared/models.js';

/** "file"/"files", "folder"/"folders", or "item"/"items" when a check covered both (folders are checked by their records). */
function noun(results: readonly Pick<FileHealth, 'kind'>[], count: number): string {
  const word = results.every((r) => r.kind === 'folder') ? 'folder' : results.every((r) => r.kind !== 'folder') ? 'file' : 'item';
  return count === 1 ? word : `${word}s`;
}

/** The one line above a check's results: how many were checked and how many need a repair. */
export function checkSummary(results: readonly Pick<FileHealth, 'kind' | 'health'>[]): string {
  if (results.length === 0) return 'Nothing was checked.';
  const unwell = results.filter((r) => r.health !== 'healthy').length;
  if (unwell === 0) {
    if (results.length > 1) return `All ${results.length} ${noun(results, results.length)} are healthy.`;
    return `The ${noun(results, 1)} is healthy: every piece is present and sound.`;
  }
  return `${unwell} of ${results.length} ${noun(results, results.length)} ${unwell === 1 ? 'needs' : 'need'} attention. Repair rebuilds missing and damaged pieces.`;
}

/** How a result's path and size read: a folder with its trailing slash and no size, a file with its size. */
export function resultLabel(result: Pick<FileHealth, 'kind' | 'path'>): { name: string; folder: boolean } {
  return { name: checkedPathText(result), folder: result.kind === 'folder' };
}
