#!/usr/bin/env node
// Bundles the sandboxed preload into one CommonJS file: a sandboxed preload can require('electron') and nothing else,
// so every other import (the contract, its validators) must be inlined. Usage: node src-main/preload/bundle.mjs [--outfile FILE]
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

/** esbuild options for the preload; platform "browser" makes any Node built-in import fail the build instead of shipping. */
export function preloadBuildOptions(outfile) {
  return {
    entryPoints: [fileURLToPath(new URL('./preload.ts', import.meta.url))],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'browser',
    // Electron 45's Chromium is newer; an older target only means less syntax left as written.
    target: 'chrome130',
    external: ['electron'],
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  };
}

/** Builds the preload bundle to `outfile` (default dist/preload/preload.cjs). */
export async function bundlePreload(outfile = fileURLToPath(new URL('../../dist/preload/preload.cjs', import.meta.url))) {
  await build(preloadBuildOptions(outfile));
  return outfile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const at = process.argv.indexOf('--outfile');
  const outfile = await bundlePreload(at > 0 ? process.argv[at + 1] : undefined);
  console.log(`Preload bundled to ${outfile}`);
}
