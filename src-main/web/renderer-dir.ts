import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VaultError } from '../shared/errors.js';

/** The built UI: dist/renderer, found from compiled code (dist/src-main/web) or from sources (src-main/web). */
export function rendererDir(): string {
  // From sources the module is .ts (as node-process.ts tells): a checkout inside a folder named dist is still a checkout.
  const fromSource = import.meta.url.endsWith('.ts');
  return fileURLToPath(new URL(fromSource ? '../../dist/renderer/' : '../../renderer/', import.meta.url));
}

/** Fails with what to run when the UI has not been built. */
export function requireBuiltRenderer(dir = rendererDir()): string {
  if (!existsSync(join(dir, 'index.html'))) throw new VaultError('INVALID_CONFIG', `The user interface is not built (no ${join(dir, 'index.html')}); run "npm run build" first.`);
  return dir;
}
