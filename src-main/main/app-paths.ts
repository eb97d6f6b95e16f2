import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where the built app's parts are. */
export interface AppPaths {
  /** The sandboxed preload bundle (dist/preload/preload.cjs). */
  preload: string;
  /** The renderer's page (dist/renderer/index.html, built by Vite with base './'). */
  index: string;
  /** `index` as the file:// URL the window shows; IPC senders must show exactly this page. */
  indexUrl: string;
}

/**
 * The app's parts, found from the main module's URL: compiled (dist/src-main/main/*.js, inside or outside app.asar)
 * they are beside it in dist/; run from the TypeScript sources (tests) they are in the checkout's dist/.
 */
export function appPaths(mainModuleUrl: string): AppPaths {
  const dist = new URL(mainModuleUrl.endsWith('.ts') ? '../../dist/' : '../../', mainModuleUrl);
  const preload = fileURLToPath(new URL('preload/preload.cjs', dist));
  const index = fileURLToPath(new URL('renderer/index.html', dist));
  return { preload, index, indexUrl: pathToFileURL(index).href };
}
