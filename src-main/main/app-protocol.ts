/**
 * The renderer is served on `app://dfs-vault/`, a privileged custom scheme, instead of file:// (Electron's security
 * checklist, item 18): the page gets a real origin of its own, and a URL on it can name only the built renderer in
 * dist/renderer — never another local file. Resolving and answering requests is plain Node (tested without Electron);
 * electron-main registers the scheme before `ready` and hands `serveAppRequest` to `protocol.handle`.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import * as nodePath from 'node:path';
import { Readable } from 'node:stream';
import type { CustomScheme } from 'electron';
import { placeAgainst } from '../service/path-placement.js';
import { CONTENT_SECURITY_POLICY } from './security.js';

/** The scheme the renderer is served on. */
export const APP_SCHEME = 'app';
/** The one host it answers for; a standard scheme needs a host, and the page's origin is `app://dfs-vault`. */
export const APP_HOST = 'dfs-vault';
/** The page's origin. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The URL the window loads; IPC senders must show exactly this page. */
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * The scheme's privileges, registered before `ready` (Electron allows it once, and only then). `standard`: URLs have
 * a host, relative asset URLs resolve, and the page has the origin `app://dfs-vault` that CSP 'self' and same-origin
 * module scripts rely on; `secure`: a secure context, like https; `supportFetchAPI`: fetch() may request it. Not
 * `corsEnabled` (no other origin may read these files) and not `bypassCSP`.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } };

/** Content types by extension: module scripts are refused unless served as JavaScript. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type of a served file, from its extension; unknown ones are bytes (sent with nosniff). */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[nodePath.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Characters a served file's path segment may have: what Vite emits (names, hashes, dots), nothing a file system reads as a separator or device. */
const SAFE_SEGMENT = /^[\w@+~.-]+$/;

/**
 * The file under `root` an `app://dfs-vault/<path>` URL names, or null: another scheme or host, a port or user
 * info, a folder, `.`/`..` segments, separators or other unsafe characters once decoded (`..%2f`, `%5c`, `%00`),
 * or anything that would resolve outside `root`. Query and hash are ignored.
 */
export function resolveAppFile(url: string, root: string, path: nodePath.PlatformPath = nodePath): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST || parsed.username !== '' || parsed.password !== '') return null;
  const names: string[] = [];
  for (const segment of parsed.pathname.split('/').slice(1)) {
    let name: string;
    try {
      name = decodeURIComponent(segment);
    } catch {
      return null;
    }
    if (!SAFE_SEGMENT.test(name) || /^\.+$/.test(name)) return null;
    names.push(name);
  }
  if (names.length === 0) return null;
  const base = path.resolve(root);
  const file = path.resolve(base, ...names);
  // Belt and braces: the segment rules already keep the file inside the root.
  return placeAgainst(base, file, path) === 'inside' ? file : null;
}

/** The headers every served file carries: its type, no sniffing, and the app's CSP (webRequest's header hooks are not reliably run for custom schemes). */
function fileHeaders(file: string): Record<string, string> {
  return {
    'Content-Type': contentTypeOf(file),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'Cache-Control': 'no-cache',
  };
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });
}

/** Answers one request on the scheme: GET or HEAD of a file under `root`, streamed from disk; 404 for anything else it names. */
export async function serveAppRequest(request: { readonly url: string; readonly method: string }, root: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405, headers: { Allow: 'GET, HEAD' } });
  const file = resolveAppFile(request.url, root);
  if (file === null) return notFound();
  try {
    if (!(await stat(file)).isFile()) return notFound();
  } catch {
    return notFound();
  }
  const body = request.method === 'HEAD' ? null : (Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>);
  return new Response(body, { status: 200, headers: fileHeaders(file) });
}

/** The parts of a session's `protocol` used here. */
export interface ProtocolLike {
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

/** Serves dist/renderer on the app scheme for one session (the window's). */
export function registerAppProtocol(protocol: ProtocolLike, root: string, log: (line: string) => void = () => undefined): void {
  protocol.handle(APP_SCHEME, async (request) => {
    try {
      return await serveAppRequest(request, root);
    } catch (error) {
      log(`Cannot serve ${request.url.slice(0, 200)}: ${(error as Error).message}`);
      return new Response('Internal error', { status: 500 });
    }
  });
}
