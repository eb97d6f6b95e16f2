/**
 * A bounded map of keys, each with an expiry and a value, kept in the order they were added, so the oldest expire
 * and go first: the desktop app's file grants and the browser host's download tickets. Every duration is on the
 * injected clock, which only moves forward.
 */
export class ExpiringEntries<V = true> {
  private readonly entries = new Map<string, { expires: number; value: V }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number,
  ) {}

  /** Adds (or renews) `key`; past `maxEntries` the oldest go. */
  add(key: string, value: V): void {
    const now = this.now();
    this.prune(now);
    // Re-inserted, so a key added again moves to the young end and gets a fresh expiry.
    this.entries.delete(key);
    this.entries.set(key, { expires: now + this.ttlMs, value });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  has(key: string): boolean {
    return this.peek(key) !== undefined;
  }

  /** The value of a live entry, which is used up: the next `take` of the same key finds nothing. */
  take(key: string): V | undefined {
    const value = this.peek(key);
    this.entries.delete(key);
    return value;
  }

  /** The value of a live entry, left in place. */
  peek(key: string): V | undefined {
    const entry = this.entries.get(key);
    return entry !== undefined && entry.expires > this.now() ? entry.value : undefined;
  }

  get size(): number {
    return this.entries.size;
  }

  private prune(now: number): void {
    for (const [key, { expires }] of this.entries) {
      if (expires > now) break;
      this.entries.delete(key);
    }
  }
}
