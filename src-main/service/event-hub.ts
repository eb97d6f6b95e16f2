import type { EventName, EventOf } from '../shared/contract.js';

type Listener = (payload: never) => void;

/** The service's typed event fan-out: hosts subscribe and forward events to their UI. */
export class EventHub {
  private readonly listeners = new Map<EventName, Set<Listener>>();

  /** Subscribes; the returned function unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  /** Sends an event to every listener; a throwing listener does not stop the others. */
  emit<E extends EventName>(event: E, payload: EventOf<E>): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        (listener as (payload: EventOf<E>) => void)(payload);
      } catch {
        // A broken subscriber (a closed window, say) must not break the service.
      }
    }
  }

  /** Number of listeners of an event (the service polls nodes only while someone listens). */
  count(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }
}
