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
function openNativeAddon(path: string): { exports: Record<string, unknown> } | { reason: string } {
  try {
    const module = { exports: {} as Record<string, unknown> };
    process.dlopen(module, path, constants.dlopen.RTLD_NOW);
    return { exports: module.exports };
  } catch (error) {
    return { reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
}

/** A native addon's functions, or why they are not used (not built, lacking here, or refused by its self-test). */
export type AddonLoad<T> = { addon: T; path: string } | { addon: undefined; path: string; reason: string };

/**
 * Opens the addon at `path`, picks its functions (`pick` answers them, or why they are missing) and keeps them only
 * when `selfTest` finds nothing wrong (it answers why not, or undefined).
 */
export function loadAddon<T extends object>(path: string, pick: (exports: Record<string, unknown>) => T | string, selfTest: (addon: T) => string | undefined): AddonLoad<T> {
  const opened = openNativeAddon(path);
  if ('reason' in opened) return { addon: undefined, path, reason: opened.reason };
  const addon = pick(opened.exports);
  if (typeof addon === 'string') return { addon: undefined, path, reason: addon };
  const refused = selfTest(addon);
  return refused ? { addon: undefined, path, reason: refused } : { addon, path };
}

/**
 * Which code does an addon's job here, in words (the benchmark prints it): "the native addon (`inside`)" where it
 * loaded, else `fallback` and why the addon is not used.
 */
export function implementationInWords<T>(load: AddonLoad<T>, inside: (addon: T) => string, fallback: string): string {
  return 'reason' in load ? `${fallback} (the native addon is not loaded: ${load.reason})` : nativeAddonInWords(inside(load.addon));
}

/** "the native addon (`inside`)": `inside` names its folder and the code that runs in it. */
export function nativeAddonInWords(inside: string): string {
  return `the native addon (${inside})`;
}
