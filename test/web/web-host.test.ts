import { request as httpRequest } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_NAMES, type CallOutcome } from '../../src-main/shared/contract.js';
import { INVALID_LOGIN_TEXT } from '../../src-main/shared/errors.js';
import { fromWireJson, toWireJson } from '../../src-main/shared/wire-json.js';
import { VaultService } from '../../src-main/service/vault-service.js';
import { type WebHost, startWebHost } from '../../src-main/web/web-host.js';
import { seededBuffer } from '../helpers/gf-reference.js';
import { RecordingCredentialStore } from '../helpers/recording-credential-store.js';

/** A raw HTTP request, so tests can send any Host and Origin headers. */
function rawRequest(port: number, path: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers, setHost: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * PUTs `body` in 64 KiB writes that wait for the socket, as a browser streams a file, and resolves with the answer
 * and how many bytes went out before it came; rejects when the connection is cut (a browser would send it again).
 */
function rawUpload(port: number, token: string, path: string, body: Buffer): Promise<{ status: number; body: string; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = httpRequest(
      { host: '127.0.0.1', port, method: 'PUT', path: `/api/upload?path=${encodeURIComponent(path)}&size=${body.length}`, headers: { 'X-DFS-Token': token, 'Content-Length': body.length } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, sent }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    void (async () => {
      for (let at = 0; at < body.length && !req.destroyed; at += 65_536) {
        const part = body.subarray(at, at + 65_536);
        sent += part.length;
        if (!req.write(part)) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    })();
  });
}

describe('browser host', () => {
  let dataDir: string;
  let rendererDir: string;
  let service: VaultService;
  let host: WebHost;
  let base: string;

  async function call(name: string, request: unknown = {}): Promise<CallOutcome<unknown>> {
    const response = await fetch(`${base}/api/call/${name}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-DFS-Token': host.token },
      body: toWireJson(request),
    });
    return fromWireJson(await response.text()) as CallOutcome<unknown>;
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dfs-web-'));
    rendererDir = await mkdtemp(join(tmpdir(), 'dfs-ui-'));
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>DFS Vault</title>');
    service = new VaultService({ dataDir, credentials: new RecordingCredentialStore() });
    host = await startWebHost({ service, rendererDir });
    base = `http://127.0.0.1:${host.port}`;
  });

  afterAll(async () => {
    await host?.close();
    await service?.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(rendererDir, { recursive: true, force: true });
  });

  it('prints a loopback address that carries a long random token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(40);
  });

  it('serves the page with a strict Content-Security-Policy', async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>DFS Vault</title>');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('refuses the API without the token, or with a wrong one', async () => {
    for (const headers of [{}, { 'X-DFS-Token': 'x'.repeat(host.token.length) }] as Array<Record<string, string>>) {
      const response = await fetch(`${base}/api/call/app.info`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    }
    expect((await fetch(`${base}/api/events?token=wrong`)).status).toBe(401);
  });

  it('refuses other host names (DNS rebinding) and other sites\' origins, even with the token', async () => {
    const token = { 'X-DFS-Token': host.token, 'Content-Type': 'application/json' };
    expect((await rawRequest(host.port, '/api/call/app.info', { ...token, Host: `evil.example:${host.port}` }, 'POST')).status).toBe(421);
    expect((await rawRequest(host.port, '/', { Host: `rebind.example:${host.port}` })).status).toBe(421);
    expect((await rawRequest(host.port, '/api/call/app.info', { ...token, Host: `127.0.0.1:${host.port}`, Origin: 'http://evil.example' }, 'POST')).status).toBe(403);
    const same = await rawRequest(host.port, '/api/call/app.info', { ...token, Host: `localhost:${host.port}`, Origin: `http://localhost:${host.port}` }, 'POST');
    expect(same.status).toBe(200);
    expect(JSON.parse(same.body)).toMatchObject({ ok: true, value: { host: 'web', dialogs: false } });
  });

  it('routes every contract call to its own validator, and refuses unknown calls and invalid payloads', async () => {
    expect(Object.keys(host.handlers).sort()).toEqual([...CALL_NAMES].sort());
    for (const name of CALL_NAMES) {
      // A field no call has: each call's own validator refuses it, naming the call.
      expect(await call(name, { notAField: true })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining(`Invalid ${name} request`) } });
    }
    expect(await call('files.nope')).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringMatching(/Unknown call/) } });
    expect(await call('files.list', { folder: 7 })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining('folder must be a string') } });
    const notJson = await fetch(`${base}/api/call/app.info`, { method: 'POST', headers: { 'X-DFS-Token': host.token, 'Content-Type': 'text/plain' }, body: '{}' });
    expect(notJson.status).toBe(415);
  });

  it('never reads or writes local files by path: the browser sends and saves the bytes itself', async () => {
    for (const [name, request] of [
      ['transfers.uploadPaths', { items: [{ source: '/etc/passwd', folder: '' }] }],
      ['transfers.download', { items: [{ path: 'x', destination: '/tmp/overwritten' }] }],
    ] as const) {
      expect(await call(name, request)).toEqual({ ok: false, error: { code: 'UNSUPPORTED', message: expect.stringMatching(/^The browser host does not (read|write) files by path/) } });
    }
  });

  it('takes the token from the URL only for the event stream and downloads, and answers a garbled call name with 400', async () => {
    const inQuery = await fetch(`${base}/api/call/app.info?token=${host.token}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(inQuery.status).toBe(401);
    const garbled = await fetch(`${base}/api/call/%E0%A4%A`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-DFS-Token': host.token }, body: '{}' });
    expect(garbled.status).toBe(400);
  });

  it('reports a wrong password with the classic message', async () => {
    expect(await call('session.connect', { target: { kind: 'local' }, username: 'dora', password: 'right', remember: false })).toMatchObject({ ok: true });
    await call('session.signOut', { forget: false });
    expect(await call('session.connect', { target: { kind: 'local' }, username: 'dora', password: 'wrong', remember: false })).toEqual({
      ok: false,
      error: { code: 'AUTH_FAILED', message: INVALID_LOGIN_TEXT },
    });
    expect(await call('session.connect', { target: { kind: 'local' }, username: 'dora', password: 'right', remember: false })).toMatchObject({ ok: true, value: { status: 'signed-in' } });
  });

  it('streams an upload body in and a download body out, byte for byte, with progress as events', async () => {
    const events = new AbortController();
    const received: Array<{ event: string; data: unknown }> = [];
    const stream = await fetch(`${base}/api/events?token=${host.token}`, { signal: events.signal });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reading = (async () => {
      const decoder = new TextDecoder();
      let text = '';
      for await (const chunk of stream.body!) {
        text += decoder.decode(chunk as Uint8Array, { stream: true });
        let end;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) received.push({ event, data: JSON.parse(data) });
        }
      }
    })().catch(() => undefined);

    const content = seededBuffer(5 * 1024 * 1024 + 3, 9);
    const upload = await fetch(`${base}/api/upload?path=${encodeURIComponent('photos/big photo.raw')}&size=${content.length}&modified=1700000000000`, {
      method: 'PUT',
      headers: { 'X-DFS-Token': host.token, 'Content-Type': 'application/octet-stream' },
      body: content,
    });
    expect(await upload.json()).toMatchObject({ ok: true, value: { id: expect.any(String) } });

    const download = await fetch(`${base}/api/download?path=${encodeURIComponent('photos/big photo.raw')}`, { headers: { 'X-DFS-Token': host.token } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-length')).toBe(String(content.length));
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="big photo.raw"; filename*=UTF-8''big%20photo.raw`);
    expect(Buffer.from(await download.arrayBuffer()).equals(content)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    events.abort();
    await reading;
    const transfers = received.filter((e) => e.event === 'transfer.changed').map((e) => e.data as { direction: string; state: string; done: number; size: number });
    expect(transfers.filter((t) => t.direction === 'upload').at(-1)).toMatchObject({ state: 'done', done: content.length });
    expect(transfers.filter((t) => t.direction === 'download').at(-1)).toMatchObject({ state: 'done', done: content.length });
    expect(transfers.every((t) => t.state === 'done' || t.done < t.size)).toBe(true);
    expect(received.some((e) => e.event === 'files.changed')).toBe(true);
  });

  it('names a download as the page asks (a file of a downloaded folder keeps its place), as one safe file name', async () => {
    for (const [name, saved] of [['photos_big photo.raw', 'photos_big photo.raw'], ['../photos/big photo.raw', '.._photos_big photo.raw'], ['..', 'big photo.raw']]) {
      const named = await fetch(`${base}/api/download?path=${encodeURIComponent('photos/big photo.raw')}&name=${encodeURIComponent(name!)}`, { headers: { 'X-DFS-Token': host.token } });
      expect(named.headers.get('content-disposition')).toBe(`attachment; filename="${saved}"; filename*=UTF-8''${encodeURIComponent(saved!)}`);
      await named.body?.cancel();
    }
  });

  it('downloads through a link with a single-use ticket, never the token: it works once, and the token is refused in a download URL', async () => {
    const issued = await fetch(`${base}/api/download-ticket?path=${encodeURIComponent('photos/big photo.raw')}&name=${encodeURIComponent('copy.raw')}`, { method: 'POST', headers: { 'X-DFS-Token': host.token } });
    const { value } = (await issued.json()) as { value: { ticket: string } };
    expect(value.ticket).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const link = `${base}/api/download?ticket=${value.ticket}`;
    const first = await fetch(link);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-disposition')).toBe(`attachment; filename="copy.raw"; filename*=UTF-8''copy.raw`);
    expect((await first.arrayBuffer()).byteLength).toBe(5 * 1024 * 1024 + 3);
    const again = await fetch(link);
    expect(again.status).toBe(410);
    expect(await again.json()).toMatchObject({ ok: false, error: { message: 'This download link was used already or has expired; download the file again from the page.' } });
    expect((await fetch(`${base}/api/download?path=${encodeURIComponent('photos/big photo.raw')}&token=${host.token}`)).status).toBe(401);
    expect((await fetch(`${base}/api/download-ticket?path=x`, { method: 'POST' })).status).toBe(401);
  });

  it('carries bytes in JSON calls too (uploads.write), for hosts that push chunks', async () => {
    const content = seededBuffer(300_000, 10);
    const begun = (await call('uploads.begin', { path: 'pushed.bin', size: content.length })) as CallOutcome<{ id: string }>;
    if (!begun.ok) throw new Error(begun.error.message);
    expect(await call('uploads.write', { id: begun.value.id, bytes: content.subarray(0, 200_000) })).toEqual({ ok: true });
    expect(await call('uploads.write', { id: begun.value.id, bytes: content.subarray(200_000) })).toEqual({ ok: true });
    expect(await call('uploads.end', { id: begun.value.id })).toEqual({ ok: true });
    const download = await fetch(`${base}/api/download?path=pushed.bin`, { headers: { 'X-DFS-Token': host.token } });
    expect(Buffer.from(await download.arrayBuffer()).equals(content)).toBe(true);
  });

  it('reads the whole body of an upload the vault refuses, so the browser gets the vault\'s own error instead of a reset', async () => {
    await service.stopNode(0);
    await service.stopNode(1);
    try {
      const content = seededBuffer(6 * 1024 * 1024, 11);
      const upload = await rawUpload(host.port, host.token, 'two-down.bin', content);
      expect(upload.status).toBe(200);
      expect(JSON.parse(upload.body)).toMatchObject({ ok: false, error: { code: 'QUORUM_FAILED', message: expect.stringContaining('a write needs 3') } });
      // The host read every byte the browser sent before it answered: nothing was left for a reset to cut off.
      expect(upload.sent).toBe(content.length);
    } finally {
      await service.startNode(0);
      await service.startNode(1);
    }
  });

  it('answers a download that cannot start with its error, not a 200 cut short that the browser would try again', async () => {
    const content = seededBuffer(40_000, 12);
    const upload = await fetch(`${base}/api/upload?path=scarce.bin&size=${content.length}`, { method: 'PUT', headers: { 'X-DFS-Token': host.token }, body: content });
    expect(await upload.json()).toMatchObject({ ok: true });
    for (const node of [0, 1, 2]) await service.stopNode(node);
    try {
      const download = await fetch(`${base}/api/download?path=scarce.bin`, { headers: { 'X-DFS-Token': host.token } });
      expect(download.status).toBe(500);
      expect(await download.json()).toMatchObject({ ok: false, error: { code: 'INCOMPLETE', message: 'File is incomplete.' } });
    } finally {
      for (const node of [0, 1, 2]) await service.startNode(node);
    }
  });

  it('refuses an upload whose body length disagrees with its size, and a download of nothing', async () => {
    const upload = await fetch(`${base}/api/upload?path=x.bin&size=10`, { method: 'PUT', headers: { 'X-DFS-Token': host.token }, body: Buffer.alloc(5) });
    expect(upload.status).toBe(400);
    expect(((await upload.json()) as { error: { message: string } }).error.message).toBe('The body has 5 bytes but ?size says 10.');
    const missing = await fetch(`${base}/api/download?path=nothing-here`, { headers: { 'X-DFS-Token': host.token } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await call('files.list', { folder: '' })) as CallOutcome<Array<{ name: string }>>).toMatchObject({ ok: true, value: expect.not.arrayContaining([expect.objectContaining({ name: 'x.bin' })]) });
  });
});
