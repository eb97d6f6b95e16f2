import { fileURLToPath } from 'node:url';

/** How to run another bench module as a Node program: compiled .js, or .ts through tsx. */
export interface BenchScript {
  execArgv: string[];
  script: string;
}

/** The bench module `name` (without extension) next to this one. */
export function benchScript(name: string): BenchScript {
  const fromSource = import.meta.url.endsWith('.ts');
  const script = fileURLToPath(new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, import.meta.url));
  return { execArgv: fromSource ? ['--import', 'tsx'] : [], script };
}
