import type { ApiTransport } from '../../src-main/shared/contract.js';

/** The page-side extra every preload shape carries: the path on disk of a dropped or picked File. */
export interface PathForFile {
  /** The File's path on disk, or '' when it has none (made in the page, say). */
  pathForFile(file: File): string;
}

/**
 * What Electron's preload exposes as `window.dfsVault`: the contract's transport (calls answered with a CallOutcome,
 * events by name), so the page builds its VaultApi with `buildVaultApi` and a failure keeps its `code`.
 */
export type PreloadApi = ApiTransport & PathForFile;

/** The transport behind `window.dfsVault`; undefined outside the desktop app (or with a preload of another shape). */
export function findPreload(scope: object): { transport: ApiTransport; files: PathForFile } | undefined {
  const bridge = (scope as { dfsVault?: unknown }).dfsVault;
  if (typeof bridge !== 'object' || bridge === null) return undefined;
  const candidate = bridge as Partial<PreloadApi>;
  const files: PathForFile = { pathForFile: (file) => (typeof candidate.pathForFile === 'function' ? candidate.pathForFile(file) : '') };
  if (typeof candidate.invoke !== 'function' || typeof candidate.subscribe !== 'function') return undefined;
  const transport = candidate as PreloadApi;
  // Functions on a context-bridge object are called through it; keep `this` out of the picture.
  return { transport: { invoke: (name, request) => transport.invoke(name, request), subscribe: (event, listener) => transport.subscribe(event, listener) }, files };
}
