import { type ApiTransport, type OutcomeVerbs, outcomeVerbsTransport } from '../../src-main/shared/contract.js';

/** The page-side extra every preload shape carries: the path on disk of a dropped or picked File. */
export interface PathForFile {
  /** The File's path on disk, or '' when it has none (made in the page, say). */
  pathForFile(file: File): string;
}

/**
 * What Electron's preload exposes as `window.dfsVault`: the contract's domain verbs answering with CallOutcomes, and
 * `on`; the page turns them back into a transport, so `buildVaultApi` rethrows failures with their `code`.
 */
export type PreloadApi = OutcomeVerbs & PathForFile;

/** The transport behind `window.dfsVault`; undefined outside the desktop app (or with a preload of another shape). */
export function findPreload(scope: object): { transport: ApiTransport; files: PathForFile } | undefined {
  const bridge = (scope as { dfsVault?: unknown }).dfsVault;
  if (typeof bridge !== 'object' || bridge === null) return undefined;
  const candidate = bridge as Partial<PreloadApi>;
  const files: PathForFile = { pathForFile: (file) => (typeof candidate.pathForFile === 'function' ? candidate.pathForFile(file) : '') };
  if (typeof candidate.on !== 'function' || typeof candidate.app?.info !== 'function') return undefined;
  return { transport: outcomeVerbsTransport(candidate as PreloadApi), files };
}
