import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { nativeAesGcmPath } from '../../src-main/vault/crypto/native-aes-gcm.js';
import { nativeAddonPath } from '../../src-main/vault/native-addon.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface TargetSet {
  target?: string | (string | { target: string })[];
}
interface BuilderConfig {
  appId?: string;
  productName?: string;
  files?: string[];
  asarUnpack?: string[];
  electronFuses?: Record<string, boolean>;
  linux?: TargetSet & { category?: string; maintainer?: string };
  mac?: TargetSet & { category?: string };
  win?: TargetSet;
}

// electron-builder's own schema for its configuration (draft-07), from the app-builder-lib that electron-builder uses.
const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'));
const schema = fromBuilder('app-builder-lib/scheme.json') as Record<string, unknown>;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

let config: BuilderConfig;

beforeAll(async () => {
  config = parse(await readFile(new URL('../../electron-builder.yml', import.meta.url), 'utf8')) as BuilderConfig;
});

/** electron-builder's globs as used in this file: `**` spans folders, `*` stays within one, a leading `!` excludes. */
function globMatches(pattern: string, path: string): boolean {
  const source = pattern
    .split('**/')
    .map((part) => part.split('**').map((p) => p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')).join('.*'))
    .join('(?:.*/)?');
  return new RegExp(`^${source}$`).test(path);
}

/** Whether a pattern list (with `!` exclusions, last match wins) selects a path. */
function selects(patterns: string[] | undefined, path: string): boolean {
  let selected = false;
  for (const pattern of patterns ?? []) {
    if (pattern.startsWith('!')) {
      if (globMatches(pattern.slice(1), path)) selected = false;
    } else if (globMatches(pattern, path)) selected = true;
  }
  return selected;
}

function targetsOf(platform: TargetSet | undefined): string[] {
  const target = platform?.target;
  if (target === undefined) return [];
  return (Array.isArray(target) ? target : [target]).map((t) => (typeof t === 'string' ? t : t.target));
}

describe('electron-builder configuration', () => {
  it("is valid against electron-builder's schema", () => {
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('would be rejected by the schema if broken (the check can fail)', () => {
    expect(validate({ ...config, appID: 'typo' })).toBe(false);
    expect(validate({ ...config, asarUnpack: 42 })).toBe(false);
    expect(validate({ ...config, linux: { ...config.linux, categori: 'Utility' } })).toBe(false);
  });

  it('names the app', () => {
    expect(config.appId).toBe('dev.dfsvault.app');
    expect(config.productName).toBe('DFS Vault');
  });

  it('builds an AppImage and a .deb on Linux, a .dmg on macOS and an NSIS installer on Windows', () => {
    expect(targetsOf(config.linux).sort()).toEqual(['AppImage', 'deb']);
    expect(config.linux?.category).toBe('Utility');
    expect(config.linux?.maintainer).toBeTruthy();
    expect(targetsOf(config.mac)).toEqual(['dmg']);
    expect(config.mac?.category).toBe('public.app-category.productivity');
    expect(targetsOf(config.win)).toEqual(['nsis']);
  });

  it('ships what the app loads at run time, without source maps', () => {
    for (const path of [
      'package.json',
      'dist/src-main/main/electron-main.js',
      'dist/src-main/service/vault-service.js',
      'dist/preload/preload.cjs',
      'dist/renderer/index.html',
      'dist/renderer/assets/index-abc123.js',
      'dist/servers/node/main.js',
      'dist/servers/protocol/serializer.js',
    ]) {
      expect(selects(config.files, path), path).toBe(true);
    }
    expect(selects(config.files, 'dist/src-main/main/electron-main.js.map')).toBe(false);
    expect(selects(config.files, 'src-main/main/electron-main.ts')).toBe(false);
    expect(selects(config.files, 'test/main/window.test.ts')).toBe(false);
  });

  it('ships the node launcher, what it imports, and package.json ("type": "module") outside app.asar', () => {
    for (const path of ['dist/servers/node/main.js', 'dist/servers/node/node-server.js', 'dist/servers/protocol/frame-decoder.js', 'package.json']) {
      expect(selects(config.asarUnpack, path), path).toBe(true);
    }
    expect(selects(config.asarUnpack, 'dist/src-main/main/electron-main.js')).toBe(false);
    expect(selects(config.asarUnpack, 'dist/renderer/index.html')).toBe(false);
  });

  it('ships the CRC-32 and GF(2^8) addons and the AES-GCM build without OpenSSL, outside app.asar, where the vault looks for them in Electron', () => {
    const inElectron = { ...process.versions, electron: '45.4.1' };
    const fromDist = pathToFileURL(join(root, 'dist/src-main/vault/native-addon.js')).href;
    for (const file of [nativeAddonPath('crc32', 'dfs_vault_crc32', fromDist), nativeAddonPath('gf256', 'dfs_vault_gf256', fromDist), nativeAesGcmPath(inElectron)]) {
      // Relative to the app's root; the AES path is the one the loader picks in Electron, the same from dist/ as from here.
      const path = relative(root, file).split(sep).join('/');
      expect(selects(config.files, path), path).toBe(true);
      expect(selects(config.asarUnpack, path), path).toBe(true);
    }
    expect(selects(config.files, relative(root, nativeAesGcmPath(process.versions)).split(sep).join('/')), 'the AES-GCM build with OpenSSL').toBe(false);
    expect(selects(config.files, 'native/crc32/crc32.c')).toBe(false);
    expect(selects(config.files, 'native/crc32/build/Release/obj.target/dfs_vault_crc32/crc32.o')).toBe(false);
  });

  it('keeps ELECTRON_RUN_AS_NODE working (the nodes need it) and turns off Node debugging switches', () => {
    expect(config.electronFuses).toMatchObject({ runAsNode: true, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false });
  });

  it('gives file:// pages no extra privileges (the renderer is served on app://) and loads the app only from app.asar', () => {
    expect(config.electronFuses).toMatchObject({ grantFileProtocolExtraPrivileges: false, onlyLoadAppFromAsar: true, enableCookieEncryption: true });
  });
});

describe('glob helper used above', () => {
  it('matches like electron-builder for the shapes in the config', () => {
    expect(globMatches('dist/servers/**/*', 'dist/servers/node/main.js')).toBe(true);
    expect(globMatches('dist/servers/**/*', 'dist/serversx/main.js')).toBe(false);
    expect(globMatches('**/*.map', 'dist/a/b.js.map')).toBe(true);
    expect(globMatches('**/*.map', 'b.js.map')).toBe(true);
    expect(globMatches('package.json', 'dist/package.json')).toBe(false);
  });
});
