import { fileURLToPath } from 'node:url';
import { APP_INDEX_URL } from './app-protocol.js';

/** Where the built app's parts are. */
export interface AppPaths {
  /** The sandboxed preload bundle (dist/preload/preload.cjs). */
  preload: string;
  /** The built renderer (dist/renderer, by Vite with base './'): the only folder the app:// scheme serves. */
  renderer: string;
  /** The URL the window shows (app://dfs-vault/index.html); IPC senders must show exactly this page. */
  indexUrl: string;
}

/**
 * The app's parts, found from the main module's URL: compiled (dist/src-main/main/*.js, inside or outside app.asar)
 * they are beside it in dist/; run from the TypeScript sources (tests) they are in the checkout's dist/.
 */
export function appPaths(mainModuleUrl: string): AppPaths {
  const dist = new URL(mainModuleUrl.endsWith('.ts') ? '../../dist/' : '../../', mainModuleUrl);
  const preload = fileURLToPath(new URL('preload/preload.cjs', dist));
  const renderer = fileURLToPath(new URL('renderer', dist));
  return { preload, renderer, indexUrl: APP_INDEX_URL };
}
