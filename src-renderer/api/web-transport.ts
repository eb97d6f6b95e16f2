import type { ApiTransport, CallName, CallOutcome, EventName } from '../../src-main/shared/contract.js';
import { toWireJson } from '../../src-main/shared/wire-json.js';
import type { HostConnection } from './host-connection.js';
import { outcomeOf, unreachableError } from './web-outcome.js';

/** The header that carries the page's token on every request. */
export const TOKEN_HEADER = 'X-DFS-Token';

/**
 * The browser host's transport: calls as `POST /api/call/<name>`, events from one `EventSource` on `/api/events`.
 * `onConnection` hears when the event stream breaks (the host stopped) and when it comes back.
 */
export function createWebTransport(token: string, onConnection: (state: HostConnection) => void): ApiTransport {
  let source: EventSource | null = null;
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  const open = (): EventSource => {
    if (source) return source;
    const es = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    let dropped = false;
    // The browser retries a broken stream by itself, and reports every failed try: tell the app once per outage.
    es.addEventListener('error', () => {
      if (!dropped) onConnection('lost');
      dropped = true;
    });
    es.addEventListener('open', () => {
      // Events sent while the stream was down are lost; the app fetches the state again.
      if (dropped) onConnection('back');
      dropped = false;
    });
    source = es;
    return es;
  };

  return {
    async invoke(name: CallName, request: unknown): Promise<CallOutcome<unknown>> {
      let response: Response;
      try {
        response = await fetch(`/api/call/${name}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
          body: toWireJson(request ?? {}),
        });
      } catch {
        return { ok: false, error: unreachableError() };
      }
      return outcomeOf(response);
    },

    subscribe(event: EventName, listener: (payload: unknown) => void): () => void {
      const es = open();
      let set = listeners.get(event);
      if (!set) {
        const fresh = new Set<(payload: unknown) => void>();
        listeners.set(event, fresh);
        es.addEventListener(event, (message: MessageEvent<string>) => {
          let payload: unknown;
          try {
            payload = JSON.parse(message.data);
          } catch {
            return;
          }
          for (const l of fresh) l(payload);
        });
        set = fresh;
      }
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}
