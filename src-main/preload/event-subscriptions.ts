import { EVENT_NAMES, type EventName } from '../shared/contract.js';
import { EVENT_CHANNEL } from '../main/ipc-channels.js';

/** The parts of `ipcRenderer` the subscriptions use. */
export interface EventChannelLike {
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * Event subscriptions over the one event channel: a single IPC listener while anyone listens, fanned out by event
 * name; the IPC event object itself (with its `sender`) never reaches the page.
 */
export function eventSubscriptions(ipc: EventChannelLike): (event: EventName, listener: (payload: unknown) => void) => () => void {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const dispatch = (_event: unknown, name: unknown, payload: unknown): void => {
    if (typeof name !== 'string') return;
    for (const listener of [...(listeners.get(name) ?? [])]) listener(payload);
  };
  const count = (): number => [...listeners.values()].reduce((sum, set) => sum + set.size, 0);
  return (event, listener) => {
    if (!EVENT_NAMES.includes(event)) throw new TypeError(`Unknown event ${JSON.stringify(String(event)).slice(0, 80)}.`);
    if (typeof listener !== 'function') throw new TypeError('An event listener must be a function.');
    if (count() === 0) ipc.on(EVENT_CHANNEL, dispatch);
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    // A wrapper per subscription: the same function subscribed twice is two subscriptions, each ended by its own call.
    const entry = (payload: unknown): void => listener(payload);
    set.add(entry);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      set.delete(entry);
      if (count() === 0) ipc.removeListener(EVENT_CHANNEL, dispatch);
    };
  };
}
