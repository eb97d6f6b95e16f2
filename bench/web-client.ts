// The bench's side of the browser host: what a browser (or the desktop app's fallback) sends, over fetch.
import { createHash } from 'node:crypto';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { fromWireJson } from '../src-main/shared/wire-json.js';

/** The chunk size of `uploads.write` (MAX_UPLOAD_CHUNK_BYTES, what the renderer's streamUpload sends). */
export const CHUNK_BYTES = 1024 * 1024;

/** Where the host listens and the token it wants. */
export interface HostAddress {
  base: string;
  token: string;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

async function outcomeOf(response: Response, what: string): Promise<unknown> {
  const text = await response.text();
  let outcome: Outcome;
  try {
    outcome = fromWireJson(text) as Outcome;
  } catch {
    throw new Error(`${what}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
  }
  if (!outcome.ok) throw new Error(`${what}: ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.value;
}

/** Calls a contract function with a body that is already wire JSON. */
async function call(host: HostAddress, name: string, body: string): Promise<unknown> {
  const response = await fetch(`${host.base}/api/call/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-DFS-Token': host.token },
    body,
  });
  return outcomeOf(response, name);
}

/** PUT /api/upload with the file streamed from disk as the body and its length declared, as a browser sends a File. */
export async function putOverHttp(host: HostAddress, file: string, vaultPath: string): Promise<void> {
  const { size, mtimeMs } = await stat(file);
  const body = fileBody(await open(file, 'r'));
  const query = `path=${encodeURIComponent(vaultPath)}&size=${size}&modified=${Math.floor(mtimeMs)}`;
  const response = await fetch(`${host.base}/api/upload?${query}`, {
    method: 'PUT',
    headers: { 'X-DFS-Token': host.token, 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) },
    body,
    duplex: 'half',
  } as RequestInit & { duplex: 'half' });
  await outcomeOf(response, 'PUT /api/upload');
}

/**
 * A pull-based body that reads the file one chunk at a time as fetch asks for it. (Readable.toWeb of a file stream
 * reads ahead without bound on Node 20, which put the whole file in this process's memory.)
 */
function fileBody(handle: FileHandle): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
        const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
        if (bytesRead === 0) {
          await handle.close();
          controller.close();
        } else controller.enqueue(chunk.subarray(0, bytesRead));
      },
      cancel: () => handle.close(),
    },
    { highWaterMark: 2 },
  );
}

/** GET /api/download streamed into `sink`; fails unless the body has the length the host announced. */
export async function getOverHttp(host: HostAddress, vaultPath: string, sink: (chunk: Uint8Array) => Promise<void>): Promise<number> {
  const response = await fetch(`${host.base}/api/download?path=${encodeURIComponent(vaultPath)}`, { headers: { 'X-DFS-Token': host.token } });
  if (response.status !== 200 || !response.body) throw new Error(`GET /api/download: HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
  const announced = Number(response.headers.get('content-length'));
  let received = 0;
  for await (const chunk of Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>) as AsyncIterable<Uint8Array>) {
    received += chunk.length;
    await sink(chunk);
  }
  if (received !== announced) throw new Error(`GET /api/download: ${received} bytes received, ${announced} announced.`);
  return received;
}

/** GET /api/download written to `output` (not fsynced, as a browser saves it); returns the byte count. */
export async function downloadOverHttp(host: HostAddress, vaultPath: string, output: string): Promise<number> {
  const handle = await open(output, 'w', 0o600);
  try {
    let position = 0;
    return await getOverHttp(host, vaultPath, async (chunk) => {
      for (let at = 0; at < chunk.length; ) {
        const { bytesWritten } = await handle.write(chunk, at, chunk.length - at, position);
        at += bytesWritten;
        position += bytesWritten;
      }
    });
  } finally {
    await handle.close();
  }
}

/** SHA-256 (hex) and size of a vault file read through GET /api/download, without writing it anywhere. */
export async function hashOverHttp(host: HostAddress, vaultPath: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  const size = await getOverHttp(host, vaultPath, async (chunk) => void hash.update(chunk));
  return { sha256: hash.digest('hex'), size };
}

/**
 * The desktop app's fallback for a File without a path: uploads.begin, then the first `bytes` of `file` as
 * uploads.write calls of 1 MiB, one in flight at a time, then uploads.end (which resolves once committed).
 * Over HTTP each chunk travels as wire JSON ({"$bytes": base64}). Returns the SHA-256 of the bytes sent.
 */
export async function chunkedUpload(host: HostAddress, file: string, bytes: number, vaultPath: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(file, 'r');
  try {
    const begun = (await call(host, 'uploads.begin', JSON.stringify({ path: vaultPath, size: bytes, modified: Date.now() }))) as { id: string };
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    for (let position = 0; position < bytes; ) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(CHUNK_BYTES, bytes - position), position);
      if (bytesRead === 0) throw new Error(`${file} ended at ${position} bytes; expected ${bytes}.`);
      const part = chunk.subarray(0, bytesRead);
      hash.update(part);
      // The same text toWireJson({id, bytes}) makes, with Node's fast base64 so the sender's encoding does not slow the run.
      await call(host, 'uploads.write', `{"id":${JSON.stringify(begun.id)},"bytes":{"$bytes":"${part.toString('base64')}"}}`);
      position += bytesRead;
    }
    await call(host, 'uploads.end', JSON.stringify({ id: begun.id }));
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/** Listens to GET /api/events as the browser UI does while transfers run, counting events until `stop()`. */
export async function listenToEvents(host: HostAddress): Promise<{ stop(): Promise<{ events: number; bytes: number }> }> {
  const aborter = new AbortController();
  const response = await fetch(`${host.base}/api/events?token=${encodeURIComponent(host.token)}`, { signal: aborter.signal });
  if (response.status !== 200 || !response.body) throw new Error(`GET /api/events: HTTP ${response.status}`);
  const counts = { events: 0, bytes: 0 };
  const reading = (async () => {
    const decoder = new TextDecoder();
    let partial = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      counts.bytes += chunk.length;
      const lines = (partial + decoder.decode(chunk, { stream: true })).split('\n');
      partial = lines.pop() ?? '';
      counts.events += lines.filter((line) => line.startsWith('event: ')).length;
    }
  })().catch(() => undefined);
  return {
    async stop() {
      aborter.abort();
      await reading;
      return counts;
    },
  };
}
