import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VaultError } from '../shared/errors.js';

/** The built UI: dist/renderer, found from compiled code (dist/src-main/web) or from sources (src-main/web). */
export function rendererDir(): string {
  const fromDist = import.meta.url.includes('/dist/');
  return fileURLToPath(new URL(fromDist ? '../../renderer/' : '../../dist/renderer/', import.meta.url));
}

/** Fails with what to run when the UI has not been built. */
export function requireBuiltRenderer(dir = rendererDir()): string {
  if (!existsSync(join(dir, 'index.html'))) throw new VaultError('INVALID_CONFIG', `The user interface is not built (no ${join(dir, 'index.html')}); run "npm run build" first.`);
  return dir;
}
