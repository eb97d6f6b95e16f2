import { type NodeProgram, defaultNodeProgram } from '../../servers/cluster/node-process.js';

/** The facts about the running Electron app that decide how a storage node is started. */
export interface ElectronRuntime {
  /** `process.execPath`: the Electron binary, which runs as plain Node with ELECTRON_RUN_AS_NODE=1. */
  execPath: string;
  env: NodeJS.ProcessEnv;
  /** `app.isPackaged`: the app's files are inside app.asar. */
  isPackaged: boolean;
}

/** Rewrites a path inside `app.asar` to the same path in `app.asar.unpacked`, where electron-builder puts unpacked files. */
export function unpackedPath(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

/**
 * How the desktop app runs a storage node: Electron's own binary as Node (no separate Node install needed), the node
 * launcher taken from app.asar.unpacked when packaged, because a child process cannot load a script from the archive.
 */
export function electronNodeProgram(runtime: ElectronRuntime, base: typeof defaultNodeProgram = defaultNodeProgram): NodeProgram {
  const program = base(runtime.execPath, { ...runtime.env, ELECTRON_RUN_AS_NODE: '1' });
  return runtime.isPackaged ? { ...program, script: unpackedPath(program.script) } : program;
}
