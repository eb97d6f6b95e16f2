import { createHash } from 'node:crypto';
import { addressKey } from './pending-logins.js';

/** Options for LoginThrottle; every duration is in milliseconds of the injected clock. */
export interface LoginThrottleOptions {
  maxFailures?: number;
  windowMs?: number;
  lockoutMs?: number;
  maxLockoutMs?: number;
  maxKeys?: number;
  now?: () => number;
}

interface Entry {
  // Times of recent failures, oldest first; never longer than maxFailures.
  failures: number[];
  lockedUntil: number;
  // How many lockouts this key has earned since its last success; drives the doubling.
  lockouts: number;
}

/**
 * The throttle key of a login attempt: the user with the host it comes from (`remote` is "address:port"),
 * an IPv6 host counted by its /64 as PendingLogins counts it, so a fresh address per guess gains nothing.
 * Hashed, so 10 000 keys stay small whatever usernames are sent.
 */
export function loginThrottleKey(username: string, remote: string): string {
  const host = addressKey(remote.replace(/:[^:]*$/, ''));
  return createHash('sha256').update(username).update('\0').update(host).digest('base64');
}

/** Locks a key (user, address…) out after repeated failed logins; pure, with an injectable clock. */
export class LoginThrottle {
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #lockoutMs: number;
  readonly #maxLockoutMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;
  // Insertion order doubles as least-recently-touched order: touching a key re-inserts it.
  readonly #entries = new Map<string, Entry>();

  /** Defaults: 5 failures within 60 s lock the key for 30 s, doubling per further lockout up to 15 min; at most 10 000 keys. */
  constructor(options: LoginThrottleOptions = {}) {
    this.#maxFailures = positive(options.maxFailures ?? 5, 'maxFailures');
    this.#windowMs = positive(options.windowMs ?? 60_000, 'windowMs');
    this.#lockoutMs = positive(options.lockoutMs ?? 30_000, 'lockoutMs');
    this.#maxLockoutMs = Math.max(this.#lockoutMs, positive(options.maxLockoutMs ?? 15 * 60_000, 'maxLockoutMs'));
    this.#maxKeys = positive(options.maxKeys ?? 10_000, 'maxKeys');
    this.#now = options.now ?? Date.now;
  }

  /** Number of keys currently remembered (bounded by maxKeys). */
  get size(): number {
    return this.#entries.size;
  }

  /** Whether a login attempt for `key` may proceed now, and if not, how long until it may. */
  check(key: string): { allowed: true } | { allowed: false; retryAfterMs: number } {
    const now = this.#now();
    const entry = this.#entries.get(key);
    if (!entry) return { allowed: true };
    if (entry.lockedUntil > now) return { allowed: false, retryAfterMs: entry.lockedUntil - now };
    if (this.#isForgettable(entry, now)) this.#entries.delete(key);
    return { allowed: true };
  }

  /** Counts a failed login for `key`, locking it once maxFailures fall within the window. */
  recordFailure(key: string): void {
    const now = this.#now();
    let entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
    } else {
      this.#makeRoom(now);
      entry = { failures: [], lockedUntil: 0, lockouts: 0 };
    }
    this.#entries.set(key, entry);

    // Attempts already under way when the lock fell should not extend it.
    if (entry.lockedUntil > now) return;
    const windowStart = now - this.#windowMs;
    entry.failures = entry.failures.filter((t) => t > windowStart);
    entry.failures.push(now);
    if (entry.failures.length >= this.#maxFailures) {
      entry.lockouts += 1;
      // 2 ** n overflows to Infinity for large n, which Math.min caps.
      const lockout = Math.min(this.#lockoutMs * 2 ** (entry.lockouts - 1), this.#maxLockoutMs);
      entry.lockedUntil = now + lockout;
      entry.failures = [];
    }
  }

  /** Forgets everything about `key` after a successful login. */
  recordSuccess(key: string): void {
    this.#entries.delete(key);
  }

  #isForgettable(entry: Entry, now: number): boolean {
    if (entry.lockedUntil > now) return false;
    const lastFailure = entry.failures[entry.failures.length - 1];
    if (lastFailure !== undefined && lastFailure > now - this.#windowMs) return false;
    // The lockout level is remembered for a while, so waiting out one lock does not reset the doubling.
    return entry.lockouts === 0 || now - entry.lockedUntil >= this.#maxLockoutMs;
  }

  #makeRoom(now: number): void {
    if (this.#entries.size < this.#maxKeys) return;
    for (const [key, entry] of this.#entries) {
      if (this.#isForgettable(entry, now)) this.#entries.delete(key);
    }
    // Still full of live keys: drop the least recently touched ones rather than grow, with 10 %
    // slack so that a flood of new keys does not pay for a full sweep on every insert.
    const target = this.#maxKeys - Math.max(1, Math.floor(this.#maxKeys / 10));
    if (this.#entries.size < this.#maxKeys) return;
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= target) break;
      this.#entries.delete(key);
    }
  }
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`LoginThrottle ${name} must be a positive number; got ${value}.`);
  return value;
}
