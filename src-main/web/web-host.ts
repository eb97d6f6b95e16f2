import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CallHandlers, type CallOutcome } from '../shared/contract.js';
import { VaultError, serializeError } from '../shared/errors.js';
import { fromWireJson, toWireJson } from '../shared/wire-json.js';
import { browserHostFiles, createCallHandlers, dispatchCall } from '../service/call-handlers.js';
import type { VaultService } from '../service/vault-service.js';
import { type ByteSource, streamSource } from '../vault/byte-source.js';
import { type DownloadTicket, DownloadTickets } from './download-tickets.js';
import { openEventStream } from './event-stream.js';
import { isAllowedHost, isAllowedOrigin, tokenMatches } from './request-guard.js';
import { securityHeaders, serveStatic } from './static-files.js';

/** A request that sends no bytes for this long is dropped (the event stream is a response, so it is not affected). */
const REQUEST_IDLE_MS = 120_000;

/** Largest call body: a 1 MiB upload chunk in base64 plus room for the JSON around it. */
const MAX_CALL_BODY_BYTES = 2 * 1024 * 1024;

/** How to run the browser host. */
export interface WebHostOptions {
  service: VaultService;
  /** The built UI (dist/renderer). */
  rendererDir: string;
  /** 0 = any free port. */
  port?: number;
  /** Loopback only, unless told otherwise. */
  host?: string;
  /** A fixed token (tests); by default 32 random bytes. */
  token?: string;
}

/** A running browser host. */
export interface WebHost {
  /** The address to open, token included. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** The call table it serves (the same one Electron's IPC serves). */
  readonly handlers: CallHandlers;
  close(): Promise<void>;
}

/** Serves the UI and the contract over HTTP on 127.0.0.1: token required, Host and Origin checked, bodies streamed. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const handlers = createCallHandlers(options.service, { host: 'web', dialogs: false, ...browserHostFiles() });
  const closers = new Set<() => void>();
  const tickets = new DownloadTickets();
  let port = options.port ?? 0;
  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => fail(response, error));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!isAllowedHost(request.headers.host, port)) return sendError(response, 421, new VaultError('INVALID_REQUEST', 'This server answers only as 127.0.0.1 or localhost.'));
    if (!isAllowedOrigin(request.headers.origin, port)) return sendError(response, 403, new VaultError('INVALID_REQUEST', 'Requests from other sites are refused.'));
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    if (!url.pathname.startsWith('/api/')) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return sendError(response, 405, new VaultError('INVALID_REQUEST', 'Only GET is allowed here.'));
      if (await serveStatic(options.rendererDir, url.pathname, response)) return;
      return sendError(response, 404, new VaultError('NOT_FOUND', 'No such page.'));
    }
    // A download link carries a single-use ticket instead of the token (see DownloadTickets).
    if (request.method === 'GET' && url.pathname === '/api/download' && url.searchParams.has('ticket')) {
      const ticket = tickets.redeem(url.searchParams.get('ticket')!);
      if (!ticket) return sendError(response, 410, new VaultError('INVALID_REQUEST', 'This download link was used already or has expired; download the file again from the page.'));
      return download(ticket, response);
    }
    // The token travels in a header; only the GET a page cannot add headers to (EventSource) may carry it in the URL.
    const queryAllowed = request.method === 'GET' && url.pathname === '/api/events';
    const presented = request.headers['x-dfs-token'] ?? (queryAllowed ? url.searchParams.get('token') : null);
    if (!tokenMatches(Array.isArray(presented) ? presented[0] : presented, token)) {
      return sendError(response, 401, new VaultError('INVALID_REQUEST', 'Missing or wrong token: open the address that `dfs-vault web` printed.'));
    }
    const route = `${request.method} ${url.pathname}`;
    if (route === 'GET /api/events') {
      const close = openEventStream(options.service, response);
      closers.add(close);
      response.on('close', () => closers.delete(close));
      return;
    }
    if (request.method === 'POST' && url.pathname.startsWith('/api/call/')) {
      let name: string;
      try {
        name = decodeURIComponent(url.pathname.slice('/api/call/'.length));
      } catch {
        return sendError(response, 400, new VaultError('INVALID_REQUEST', 'The call name is not valid in a URL.'));
      }
      return call(name, request, response);
    }
    if (route === 'PUT /api/upload') return upload(url, request, response);
    if (route === 'GET /api/download') return download(downloadAsked(url), response);
    if (route === 'POST /api/download-ticket') return sendOutcome(response, 200, { ok: true, value: { ticket: tickets.issue(downloadAsked(url)) } });
    return sendError(response, 404, new VaultError('NOT_FOUND', `No API route ${route}.`));
  }

  async function call(name: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendError(response, 415, new VaultError('INVALID_REQUEST', 'Calls take a JSON body (Content-Type: application/json).'));
    }
    const body = await readBody(request, MAX_CALL_BODY_BYTES);
    let payload: unknown;
    try {
      payload = body.length === 0 ? {} : fromWireJson(body.toString('utf8'), (base64) => Buffer.from(base64, 'base64'));
    } catch {
      return sendError(response, 400, new VaultError('INVALID_REQUEST', 'The request body is not valid JSON.'));
    }
    sendOutcome(response, 200, await dispatchCall(handlers, name, payload));
  }

  async function upload(url: URL, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = url.searchParams.get('path') ?? '';
    const size = Number(url.searchParams.get('size'));
    const modifiedText = url.searchParams.get('modified');
    const modified = modifiedText === null ? undefined : Number(modifiedText);
    const length = request.headers['content-length'];
    if (!Number.isSafeInteger(size) || size < 0) return sendError(response, 400, new VaultError('INVALID_REQUEST', 'Give the upload size in bytes as ?size=N.'));
    if (modified !== undefined && !Number.isFinite(modified)) return sendError(response, 400, new VaultError('INVALID_REQUEST', '?modified must be a time in milliseconds.'));
    if (length !== undefined && Number(length) !== size) return sendError(response, 400, new VaultError('INVALID_REQUEST', `The body has ${length} bytes but ?size says ${size}.`));
    const source = idleGuarded(streamSource(request), request);
    try {
      const { id } = await options.service.uploadStream({ path, size, modified, source });
      sendOutcome(response, 200, { ok: true, value: { id } });
    } catch (error) {
      // A browser reads no answer before it has sent the whole body: answering and closing now would reach it as a
      // reset, which it reports as a network error and may retry (a second PUT). So the rest of the body is read
      // and dropped first; a cancelled upload's page aborts its request, which ends this at once.
      await drain(source);
      response.setHeader('Connection', 'close');
      sendOutcome(response, 200, { ok: false, error: serializeError(error) });
    }
  }

  async function download({ path, name }: DownloadTicket, response: ServerResponse): Promise<void> {
    const entry = await options.service.fileEntry(path);
    // The headers wait for the first bytes: a download that fails before any (a file that is incomplete now) is then
    // answered with its error. Sent first and cut, a 200 made the browser try again, and the panel showed two failures.
    const startResponse = (): void => {
      if (response.headersSent) return;
      response.writeHead(200, {
        ...securityHeaders(),
        'Content-Type': 'application/octet-stream',
        'Content-Length': entry.size,
        // The browser saves under this name, whatever the link asked for: a file of a downloaded folder is named by the
        // page after its place in it ("album_nested_b.txt"), since a browser download cannot make folders.
        'Content-Disposition': contentDisposition(savedName(name, entry.name)),
        'Cache-Control': 'no-store',
      });
    };
    const gone = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) gone.abort();
    });
    const sink = async (parts: Buffer[]): Promise<void> => {
      startResponse();
      for (const part of parts) {
        if (!response.write(part)) await once(response, 'drain', { signal: gone.signal });
      }
    };
    try {
      await options.service.downloadStream(path, sink, gone.signal);
      startResponse();
      response.end();
    } catch (error) {
      // Once headers are out, cutting the connection makes the browser mark the download failed (it has fewer bytes
      // than Content-Length).
      if (response.headersSent || gone.signal.aborted) response.destroy();
      else fail(response, error);
    }
  }

  // Uploads of large files take as long as they take: no limit on a whole request, but headers must arrive within
  // a minute (slow-header attacks) and a request that sends nothing for two minutes is dropped.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.maxConnections = 128;
  // Upload bodies are read only once their transfer's turn comes, so their idle limit is applied per read instead.
  server.on('request', (request: IncomingMessage) => {
    if (request.method !== 'PUT') request.setTimeout(REQUEST_IDLE_MS, () => request.destroy());
  });
  server.listen(port, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
  const shownHost = options.host && options.host !== '127.0.0.1' ? options.host : '127.0.0.1';
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    handlers,
    async close() {
      for (const close of closers) close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** The file and saved name a download request asks for (`?path=…&name=…`). */
function downloadAsked(url: URL): DownloadTicket {
  return { path: url.searchParams.get('path') ?? '', name: url.searchParams.get('name') };
}

/** The name a download is saved under: the one the page asked for, made safe as one file name, else the file's own. */
function savedName(requested: string | null, own: string): string {
  // No folder separators (the name must not point anywhere but the downloads folder) and no control characters.
  const safe = (requested ?? '').replace(/[\/\\\x00-\x1f\x7f]/g, '_').trim();
  return safe === '' || safe === '.' || safe === '..' ? own : safe;
}

/** `attachment` with the name both as plain ASCII (older clients) and exactly, UTF-8 encoded (RFC 6266). */
function contentDisposition(name: string): string {
  return `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Fails a read of the request body that waits more than REQUEST_IDLE_MS (a browser that stopped sending). */
function idleGuarded(source: ByteSource, request: IncomingMessage): ByteSource {
  return {
    async read(target) {
      const timer = setTimeout(() => request.destroy(new VaultError('CANCELLED', `The browser sent nothing for ${REQUEST_IDLE_MS / 1000} s; the upload was cancelled and nothing was stored.`)), REQUEST_IDLE_MS);
      try {
        return await source.read(target);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Reads a body to its end and drops it; stops quietly when the request is aborted or times out. */
async function drain(source: ByteSource): Promise<void> {
  const scratch = Buffer.allocUnsafe(64 * 1024);
  try {
    while ((await source.read(scratch)) > 0);
  } catch {
    // The browser went away: nothing left to read.
  }
}

async function readBody(request: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (declared > max) throw new VaultError('INVALID_REQUEST', `The request body is larger than ${max} bytes.`);
  // With a declared length, one buffer of that size takes the body (no list of parts to join afterwards).
  const body = Number.isSafeInteger(declared) && declared >= 0 ? Buffer.allocUnsafe(declared) : undefined;
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    if (total + chunk.length > max || (body && total + chunk.length > body.length)) throw new VaultError('INVALID_REQUEST', `The request body is larger than ${body ? 'declared' : `${max} bytes`}.`);
    if (body) chunk.copy(body, total);
    else parts.push(chunk);
    total += chunk.length;
  }
  return body ? body.subarray(0, total) : Buffer.concat(parts);
}

function sendOutcome(response: ServerResponse, status: number, outcome: CallOutcome<unknown>): void {
  const body = toWireJson(outcome);
  response.writeHead(status, { ...securityHeaders(), 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

function sendError(response: ServerResponse, status: number, error: VaultError): void {
  // A refused upload's body is not read; closing the connection keeps it from being sent on.
  response.setHeader('Connection', 'close');
  sendOutcome(response, status, { ok: false, error: serializeError(error) });
}

function fail(response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const status = error instanceof VaultError ? (error.code === 'NOT_FOUND' ? 404 : error.code === 'INVALID_REQUEST' ? 400 : 500) : 500;
  sendOutcome(response, status, { ok: false, error: serializeError(error) });
}
