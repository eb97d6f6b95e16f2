import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * Where `npm run build` puts native addon `target` of folder native/`folder` (native/build.mjs), from
 * this module in the source tree (.ts, as node-process.ts tells) or in dist/.
 */
export function nativeAddonPath(folder: string, target: string, from: string = import.meta.url): string {
  const fromSource = from.endsWith('.ts');
  return fileURLToPath(new URL(`${fromSource ? '../../' : '../../../'}native/${folder}/build/Release/${target}.node`, from));
}

/**
 * Loads the addon at `path` and answers its exports, or why it could not be loaded (the first line of the
 * error: not built, not an addon). RTLD_NOW resolves every symbol it needs at once, so a runtime that lacks
 * one fails here, where the vault falls back to Node's own code, rather than at the first call.
 */
export function openNativeAddon(path: string): { exports: Record<string, unknown> } | { reason: string } {
  try {
    const module = { exports: {} as Record<string, unknown> };
    process.dlopen(module, path, constants.dlopen.RTLD_NOW);
    return { exports: module.exports };
  } catch (error) {
    return { reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
}
