import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRODUCT_NAME, appDataDir } from '../../src-main/service/app-data-dir.js';

// Paths are joined with the host's separator, so expectations are built with the same join.
describe('app data dir', () => {
  const home = '/home/alice';

  it('is ~/.config/DFS Vault on Linux without XDG_CONFIG_HOME', () => {
    expect(appDataDir({}, 'linux', home)).toBe(join(home, '.config', 'DFS Vault'));
  });

  it('follows XDG_CONFIG_HOME on Linux', () => {
    expect(appDataDir({ XDG_CONFIG_HOME: '/data/config' }, 'linux', home)).toBe(join('/data/config', 'DFS Vault'));
  });

  it('ignores an empty XDG_CONFIG_HOME', () => {
    expect(appDataDir({ XDG_CONFIG_HOME: '' }, 'linux', home)).toBe(join(home, '.config', 'DFS Vault'));
  });

  it('is ~/Library/Application Support/DFS Vault on macOS, whatever XDG says', () => {
    expect(appDataDir({ XDG_CONFIG_HOME: '/data/config' }, 'darwin', '/Users/alice')).toBe(join('/Users/alice', 'Library', 'Application Support', 'DFS Vault'));
  });

  it('is %APPDATA%\\DFS Vault on Windows', () => {
    expect(appDataDir({ APPDATA: 'C:\\Users\\alice\\AppData\\Roaming' }, 'win32', 'C:\\Users\\alice')).toBe(join('C:\\Users\\alice\\AppData\\Roaming', 'DFS Vault'));
  });

  it('falls back to AppData\\Roaming under the home folder on Windows without APPDATA', () => {
    expect(appDataDir({}, 'win32', 'C:\\Users\\alice')).toBe(join('C:\\Users\\alice', 'AppData', 'Roaming', 'DFS Vault'));
  });

  it('is named after the product', () => {
    expect(PRODUCT_NAME).toBe('DFS Vault');
  });
});
