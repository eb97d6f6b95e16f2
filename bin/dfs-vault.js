#!/usr/bin/env node
// Launches the compiled CLI; `npm install` / `npm ci` build it (the "prepare" script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src-main/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('dfs-vault is not built yet: run "npm run build" in the checkout.\n');
  process.exit(1);
}
await import(entry.href);
