import * as nodePath from 'node:path';

/**
 * Where `path` lies against the folder `root` (both resolved, in the flavour of `paths`): the folder itself, somewhere
 * below it, or outside it. Whole components count, so `/home/a/Down` never holds `/home/a/Downloads/x`.
 */
export function placeAgainst(root: string, path: string, paths: nodePath.PlatformPath = nodePath): 'root' | 'inside' | 'outside' {
  const steps = paths.relative(root, path);
  if (steps === '') return 'root';
  return steps === '..' || steps.startsWith(`..${paths.sep}`) || paths.isAbsolute(steps) ? 'outside' : 'inside';
}
