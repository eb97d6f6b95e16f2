import { describe, expect, it } from 'vitest';
import { appPaths } from '../../src-main/main/app-paths.js';

describe('app paths', () => {
  it('finds the preload bundle and the renderer folder from the compiled main module, inside app.asar too', () => {
    const paths = appPaths('file:///opt/DFS%20Vault/resources/app.asar/dist/src-main/main/electron-main.js');
    expect(paths.preload).toBe('/opt/DFS Vault/resources/app.asar/dist/preload/preload.cjs');
    expect(paths.renderer).toBe('/opt/DFS Vault/resources/app.asar/dist/renderer');
  });

  it("finds them in the checkout's dist/ when the main module runs from its TypeScript source", () => {
    const paths = appPaths('file:///home/me/dfs-vault/src-main/main/electron-main.ts');
    expect(paths.preload).toBe('/home/me/dfs-vault/dist/preload/preload.cjs');
    expect(paths.renderer).toBe('/home/me/dfs-vault/dist/renderer');
  });

  it('shows the page on the app scheme, never as a file:// URL', () => {
    expect(appPaths('file:///opt/app/dist/src-main/main/electron-main.js').indexUrl).toBe('app://dfs-vault/index.html');
  });
});
