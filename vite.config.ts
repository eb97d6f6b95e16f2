import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The page's CSP forbids inline scripts, which the dev server's React refresh preamble needs; the meta tag is kept
 * for builds (what Electron and `dfs-vault web` serve) and dropped while serving for development only.
 */
function dropCspInDev(): Plugin {
  return {
    name: 'dfs-vault:drop-csp-in-dev',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, ''),
  };
}

export default defineConfig({
  root: 'src-renderer',
  // Relative asset URLs: the built page loads under Electron's app://dfs-vault/ as well as from the browser host.
  base: './',
  plugins: [react(), dropCspInDev()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // The polyfill is an inline script, which the CSP (script-src 'self') refuses.
    modulePreload: { polyfill: false },
    target: 'chrome120',
    sourcemap: true,
  },
});
