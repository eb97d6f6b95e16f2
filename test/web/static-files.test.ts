import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type Server, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src-main/web/request-guard.js';
import { securityHeaders, serveStatic } from '../../src-main/web/static-files.js';

const SECRET = 'outside-the-root: do not serve';
const INDEX = '<!doctype html><title>DFS Vault</title>';

/** A raw GET that sends `path` exactly as written (fetch would resolve dot segments before sending). */
function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static files', () => {
  let dir: string;
  let root: string;
  let server: Server;
  let base: string;
  let port: number;
  /** What serveStatic returns for each request, newest last (it resolves after the body is sent). */
  let returned: Array<Promise<boolean>>;
  const results = (): Promise<boolean[]> => Promise.all(returned);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dfs-vault-static-'));
    root = join(dir, 'renderer');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), INDEX);
    await writeFile(join(root, 'assets', 'app-3f9a.js'), 'console.log(1);');
    await writeFile(join(root, 'assets', 'app-3f9a.css'), 'body{}');
    await writeFile(join(root, 'logo.svg'), '<svg/>');
    await writeFile(join(root, 'notes.weird'), 'x');
    await writeFile(join(dir, 'secret.txt'), SECRET);
    await mkdir(join(dir, 'renderer-other'));
    await writeFile(join(dir, 'renderer-other', 'secret.txt'), SECRET);

    server = createServer((req, res) => {
      // The raw path, undecoded and unnormalized, so serveStatic's own defences are what is tested.
      const path = (req.url ?? '/').split('?')[0]!;
      const served = serveStatic(root, path, res);
      returned.push(served);
      served.then(
        (found) => {
          if (!found) res.writeHead(404).end('not found');
        },
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });

  beforeEach(() => {
    returned = [];
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('serves index.html for /', async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(INDEX);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(INDEX)));
    expect(await results()).toEqual([true]);
  });

  it('sends the Content-Security-Policy and the other security headers with every file', async () => {
    for (const path of ['/', '/assets/app-3f9a.js', '/logo.svg']) {
      const response = await fetch(`${base}${path}`);
      await response.arrayBuffer();
      expect(response.headers.get('content-security-policy'), path).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      for (const [name, value] of Object.entries(securityHeaders())) expect(response.headers.get(name), `${path} ${name}`).toBe(value);
    }
  });

  it('names the content type by extension, octet-stream when unknown', async () => {
    const types: Record<string, string> = {
      '/index.html': 'text/html; charset=utf-8',
      '/assets/app-3f9a.js': 'text/javascript; charset=utf-8',
      '/assets/app-3f9a.css': 'text/css; charset=utf-8',
      '/logo.svg': 'image/svg+xml',
      '/notes.weird': 'application/octet-stream',
    };
    for (const [path, type] of Object.entries(types)) {
      const response = await fetch(`${base}${path}`);
      await response.arrayBuffer();
      expect(response.headers.get('content-type'), path).toBe(type);
    }
  });

  it('lets hashed assets be cached for good but never index.html', async () => {
    const asset = await fetch(`${base}/assets/app-3f9a.js`);
    await asset.arrayBuffer();
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const index = await fetch(`${base}/`);
    await index.arrayBuffer();
    expect(index.headers.get('cache-control')).toBe('no-store');
  });

  it('returns false for a missing file and for a folder, writing nothing', async () => {
    for (const path of ['/missing.js', '/assets', '/assets/']) {
      const response = await rawGet(port, path);
      expect(response, path).toEqual({ status: 404, body: 'not found' });
    }
    expect(await results()).toEqual([false, false, false]);
  });

  it('refuses ../ traversal, plain and percent-encoded', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%2fsecret.txt',
      '/../renderer-other/secret.txt',
      '/%2e%2e%2frenderer-other%2fsecret.txt',
      '/..%5csecret.txt',
      `/${encodeURIComponent(join(dir, 'secret.txt'))}`,
    ];
    for (const path of attempts) {
      const response = await rawGet(port, path);
      expect(response.body, path).not.toContain(SECRET);
      expect(response.status, path).toBe(404);
    }
    expect(await results()).toEqual(attempts.map(() => false));
  });

  it('refuses a path that does not start at the root', async () => {
    await expect(serveStatic(root, '../secret.txt', undefined as never)).resolves.toBe(false);
    await expect(serveStatic(root, '..%2fsecret.txt', undefined as never)).resolves.toBe(false);
  });

  it('refuses an encoded NUL', async () => {
    const response = await rawGet(port, '/index.html%00.js');
    expect(response.status).toBe(404);
    expect(await results()).toEqual([false]);
  });

  it('refuses a malformed percent-encoding', async () => {
    const response = await rawGet(port, '/%E0%A4%A');
    expect(response.status).toBe(404);
    expect(await results()).toEqual([false]);
  });

  it('serves the same files from a root given with a trailing separator', async () => {
    const responses: Array<Promise<boolean>> = [];
    const local = createServer((req, res) => {
      const served = serveStatic(`${root}/`, req.url ?? '/', res);
      responses.push(served);
      void served.then((found) => {
        if (!found) res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    try {
      const localPort = (local.address() as AddressInfo).port;
      expect((await rawGet(localPort, '/')).body).toBe(INDEX);
      expect((await rawGet(localPort, '/../secret.txt')).status).toBe(404);
      expect(await Promise.all(responses)).toEqual([true, false]);
    } finally {
      local.closeAllConnections();
      await new Promise((resolve) => local.close(resolve));
    }
  });
});
