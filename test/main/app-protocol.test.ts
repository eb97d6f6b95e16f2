import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  APP_INDEX_URL,
  APP_ORIGIN,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  contentTypeOf,
  registerAppProtocol,
  resolveAppFile,
  serveAppRequest,
} from '../../src-main/main/app-protocol.js';
import { CONTENT_SECURITY_POLICY } from '../../src-main/main/security.js';

const ROOT = '/opt/DFS Vault/resources/app.asar/dist/renderer';

describe('app scheme', () => {
  it('is app://dfs-vault, registered standard and secure with fetch support, without CORS or a CSP bypass', () => {
    expect(APP_ORIGIN).toBe('app://dfs-vault');
    expect(APP_INDEX_URL).toBe('app://dfs-vault/index.html');
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } });
  });
});

describe('resolveAppFile', () => {
  it('maps app://dfs-vault/<path> to the same path under the renderer folder', () => {
    expect(resolveAppFile('app://dfs-vault/index.html', ROOT, path.posix)).toBe(`${ROOT}/index.html`);
    expect(resolveAppFile('app://dfs-vault/assets/index-DUVwAznu.js', ROOT, path.posix)).toBe(`${ROOT}/assets/index-DUVwAznu.js`);
  });

  it('ignores the query and the hash (the page keeps its own state there)', () => {
    expect(resolveAppFile('app://dfs-vault/index.html?x=1#/folder/a', ROOT, path.posix)).toBe(`${ROOT}/index.html`);
  });

  it('decodes escaped names', () => {
    expect(resolveAppFile('app://dfs-vault/assets/font%40400.woff2', ROOT, path.posix)).toBe(`${ROOT}/assets/font@400.woff2`);
  });

  it('keeps dot-dot segments inside the renderer folder (the URL parser drops them at the root, as Chromium does)', () => {
    for (const url of ['app://dfs-vault/../../../etc/passwd', 'app://dfs-vault/%2e%2e/%2e%2e/etc/passwd', 'app://dfs-vault/assets/../../x.js']) {
      const file = resolveAppFile(url, ROOT, path.posix);
      expect(file === null || file.startsWith(`${ROOT}/`), `${url} → ${file}`).toBe(true);
    }
    expect(resolveAppFile('app://dfs-vault/assets/../index.html', ROOT, path.posix)).toBe(`${ROOT}/index.html`);
  });

  it.each([
    ['an escaped slash', 'app://dfs-vault/..%2f..%2fetc%2fpasswd'],
    ['an escaped backslash', 'app://dfs-vault/..%5c..%5cwindows%5cwin.ini'],
    ['a NUL', 'app://dfs-vault/index.html%00.png'],
    ['a drive letter', 'app://dfs-vault/C:%5cWindows%5cwin.ini'],
    ['an absolute path smuggled in a segment', 'app://dfs-vault/%2fetc%2fpasswd'],
    ['a malformed escape', 'app://dfs-vault/%E0%A4%A'],
    ['a dots-only name', 'app://dfs-vault/assets/...'],
    ['an empty segment', 'app://dfs-vault/assets//index.js'],
    ['the bare origin', 'app://dfs-vault/'],
    ['a folder', 'app://dfs-vault/assets/'],
  ])('refuses %s', (_what, url) => {
    expect(resolveAppFile(url, ROOT, path.posix)).toBeNull();
    expect(resolveAppFile(url, 'C:\\Program Files\\DFS Vault\\resources\\app.asar\\dist\\renderer', path.win32)).toBeNull();
  });

  it.each([
    ['another host', 'app://evil/index.html'],
    ['a look-alike host', 'app://dfs-vault.evil/index.html'],
    ['a port', 'app://dfs-vault:8080/index.html'],
    ['user info', 'app://user:pw@dfs-vault/index.html'],
    ['another scheme', 'file:///opt/DFS%20Vault/resources/app.asar/dist/renderer/index.html'],
    ['https', 'https://dfs-vault/index.html'],
    ['garbage', 'not a url'],
  ])('refuses %s', (_what, url) => {
    expect(resolveAppFile(url, ROOT, path.posix)).toBeNull();
  });

  it('keeps Windows paths under the renderer folder too', () => {
    const root = 'C:\\Program Files\\DFS Vault\\resources\\app.asar\\dist\\renderer';
    expect(resolveAppFile('app://dfs-vault/assets/index.js', root, path.win32)).toBe(`${root}\\assets\\index.js`);
  });
});

describe('contentTypeOf', () => {
  it('serves scripts as JavaScript (module scripts need it), pages as HTML and unknown files as bytes', () => {
    expect(contentTypeOf('/r/assets/index-abc.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('/r/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('/r/assets/index-abc.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('/r/assets/logo.SVG')).toBe('image/svg+xml');
    expect(contentTypeOf('/r/assets/font.woff2')).toBe('font/woff2');
    expect(contentTypeOf('/r/blob.bin')).toBe('application/octet-stream');
    expect(contentTypeOf('/r/README')).toBe('application/octet-stream');
  });
});

describe('serveAppRequest', () => {
  let dir: string;
  let root: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dfs-app-protocol-'));
    root = join(dir, 'renderer');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>DFS Vault</title>');
    await writeFile(join(root, 'assets', 'index-abc.js'), 'export const x = 1;');
    await writeFile(join(dir, 'secret.txt'), 'not for the page');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const get = (url: string, method = 'GET') => serveAppRequest({ url, method }, root);

  it('serves the page with its type, nosniff and the CSP header', async () => {
    const response = await get('app://dfs-vault/index.html');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<!doctype html><title>DFS Vault</title>');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('serves an asset as a JavaScript module script would need it', async () => {
    const response = await get('app://dfs-vault/assets/index-abc.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe('export const x = 1;');
  });

  it('answers HEAD without a body', async () => {
    const response = await get('app://dfs-vault/index.html', 'HEAD');
    expect(response.status).toBe(200);
    expect(response.body).toBeNull();
  });

  it('answers 404 for a missing file, a folder, another host and a way out of the renderer folder', async () => {
    for (const url of [
      'app://dfs-vault/missing.js',
      'app://dfs-vault/assets',
      'app://other/index.html',
      'app://dfs-vault/..%2fsecret.txt',
      'app://dfs-vault/%2e%2e/secret.txt',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text()).not.toContain('not for the page');
    }
  });

  it('refuses methods other than GET and HEAD', async () => {
    const response = await get('app://dfs-vault/index.html', 'POST');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('is what registerAppProtocol hands to protocol.handle for the app scheme', async () => {
    const handle = vi.fn<(scheme: string, handler: (request: Request) => Response | Promise<Response>) => void>();
    registerAppProtocol({ handle }, root);
    expect(handle).toHaveBeenCalledTimes(1);
    const [scheme, handler] = handle.mock.calls[0]!;
    expect(scheme).toBe('app');
    // Node's Request does not parse app:// specially; a stand-in with the two fields the handler reads is enough.
    const response = await handler({ url: 'app://dfs-vault/index.html', method: 'GET' } as Request);
    expect(response.status).toBe(200);
  });
});
