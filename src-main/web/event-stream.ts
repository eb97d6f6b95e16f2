import type { ServerResponse } from 'node:http';
import { EVENT_NAMES } from '../shared/contract.js';
import type { VaultService } from '../service/vault-service.js';
import { securityHeaders } from './static-files.js';

/** Seconds between keep-alive comments, so proxies and the browser keep an idle stream open. */
const HEARTBEAT_MS = 15_000;

/** Streams every service event to one browser as Server-Sent Events (`event: <name>`, `data: <json>`) until it goes away. */
export function openEventStream(service: VaultService, response: ServerResponse): () => void {
  response.writeHead(200, { ...securityHeaders(), 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
  response.write(': connected\n\n');
  const offs = EVENT_NAMES.map((name) =>
    service.on(name, (payload: unknown) => {
      // Events are small; a browser that stops reading is dropped rather than buffered without bound.
      if (response.writableLength > 8 * 1024 * 1024) return close();
      response.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
    }),
  );
  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const off of offs) off();
    response.end();
  };
  response.on('close', close);
  return close;
}
