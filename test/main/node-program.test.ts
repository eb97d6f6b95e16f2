import { describe, expect, it } from 'vitest';
import { electronNodeProgram, unpackedPath } from '../../src-main/main/node-program.js';
import type { NodeProgram } from '../../servers/cluster/node-process.js';

const packagedBase = (execPath = '/x', env: NodeJS.ProcessEnv = {}): NodeProgram => ({
  execPath,
  execArgv: [],
  script: '/opt/DFS Vault/resources/app.asar/dist/servers/node/main.js',
  env,
});

describe('electron node program', () => {
  it("runs nodes with Electron's own binary as Node (ELECTRON_RUN_AS_NODE=1), keeping the rest of the environment", () => {
    const program = electronNodeProgram({ execPath: '/opt/DFS Vault/dfs-vault', env: { HOME: '/home/a', PATH: '/bin' }, isPackaged: false });
    expect(program.execPath).toBe('/opt/DFS Vault/dfs-vault');
    expect(program.env).toEqual({ HOME: '/home/a', PATH: '/bin', ELECTRON_RUN_AS_NODE: '1' });
  });

  it('uses the node launcher next to the cluster code when not packaged', () => {
    const program = electronNodeProgram({ execPath: '/e', env: {}, isPackaged: false });
    expect(program.script).toMatch(/servers[\\/]node[\\/]main\.(js|ts)$/);
    expect(program.script).not.toContain('app.asar');
  });

  it('takes the launcher from app.asar.unpacked when packaged', () => {
    const program = electronNodeProgram({ execPath: '/e', env: {}, isPackaged: true }, packagedBase);
    expect(program.script).toBe('/opt/DFS Vault/resources/app.asar.unpacked/dist/servers/node/main.js');
    expect(program.env.ELECTRON_RUN_AS_NODE).toBe('1');
  });

  it('does not change the process environment it was given', () => {
    const env = { A: '1' };
    electronNodeProgram({ execPath: '/e', env, isPackaged: false });
    expect(env).toEqual({ A: '1' });
  });
});

describe('unpackedPath', () => {
  it('moves a path from app.asar to app.asar.unpacked, with either separator', () => {
    expect(unpackedPath('/a/resources/app.asar/dist/x.js')).toBe('/a/resources/app.asar.unpacked/dist/x.js');
    expect(unpackedPath('C:\\Program Files\\DFS Vault\\resources\\app.asar\\dist\\x.js')).toBe('C:\\Program Files\\DFS Vault\\resources\\app.asar.unpacked\\dist\\x.js');
  });

  it('leaves paths outside the archive, or already unpacked, as they are', () => {
    expect(unpackedPath('/a/resources/app.asar.unpacked/dist/x.js')).toBe('/a/resources/app.asar.unpacked/dist/x.js');
    expect(unpackedPath('/home/me/src/dfs-vault/dist/x.js')).toBe('/home/me/src/dfs-vault/dist/x.js');
    expect(unpackedPath('/a/my-app.asar/dist/x.js')).toBe('/a/my-app.asar/dist/x.js');
  });
});
