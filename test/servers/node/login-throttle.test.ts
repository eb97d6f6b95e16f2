import { describe, expect, it } from 'vitest';
import { LoginThrottle, loginThrottleKey } from '../../../servers/node/login-throttle.js';

function fakeClock(start = 1_000_000) {
  let time = start;
  return {
    now: () => time,
    advance: (ms: number) => {
      time += ms;
    },
  };
}

function fail(throttle: LoginThrottle, key: string, times: number): void {
  for (let i = 0; i < times; i++) throttle.recordFailure(key);
}

describe('LoginThrottle', () => {
  it('allows a key with no history', () => {
    expect(new LoginThrottle().check('alice')).toEqual({ allowed: true });
  });

  it('four failures within the window do not lock; the fifth locks the key for 30 seconds', () => {
    const clock = fakeClock();
    const throttle = new LoginThrottle({ now: clock.now });
    fail(throttle, 'alice', 4);
    expect(throttle.check('alice')).toEqual({ allowed: true });
    throttle.recordFailure('alice');
    expect(throttle.check('alice')).toEqual({ allowed: false, retryAfterMs: 30_000 });
    clock.advance(10_000);
    expect(throttle.check('alice')).toEqual({ allowed: false, retryAfterMs: 20_000 });
  });

  it('locks only the key that failed', () => {
    const throttle = new LoginThrottle({ now: fakeClock().now });
    fail(throttle, 'alice', 5);
    expect(throttle.check('alice').allowed).toBe(false);
    expect(throttle.check('bob')).toEqual({ allowed: true });
  });

  it('the lockout expires on time', () => {
    const clock = fakeClock();
    const throttle = new LoginThrottle({ now: clock.now });
    fail(throttle, 'alice', 5);
    clock.advance(29_999);
    expect(throttle.check('alice')).toEqual({ allowed: false, retryAfterMs: 1 });
    clock.advance(1);
    expect(throttle.check('alice')).toEqual({ allowed: true });
  });

  it('failures spread wider than the window never lock', () => {
    const clock = fakeClock();
    const throttle = new LoginThrottle({ now: clock.now });
    for (let i = 0; i < 20; i++) {
      throttle.recordFailure('alice');
      clock.advance(15_001); // at most four failures fall inside any 60 s window
      expect(throttle.check('alice')).toEqual({ allowed: true });
    }
  });

  it('each further lockout doubles, capped at 15 minutes', () => {
    const clock = fakeClock();
    const throttle = new LoginThrottle({ now: clock.now });
    const lockouts: number[] = [];
    for (let round = 0; round < 8; round++) {
      fail(throttle, 'alice', 5);
      const verdict = throttle.check('alice');
      expect(verdict.allowed).toBe(false);
      if (!verdict.allowed) {
        lockouts.push(verdict.retryAfterMs);
        clock.advance(verdict.retryAfterMs);
      }
    }
    expect(lockouts).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
  });

  it('failures reported while locked do not extend the lockout', () => {
    const clock = fakeClock();
    const throttle = new LoginThrottle({ now: clock.now });
    fail(throttle, 'alice', 5);
    clock.advance(1_000);
    fail(throttle, 'alice', 10);
    expect(throttle.check('alice')).toEqual({ allowed: false, retryAfterMs: 29_000 });
  });

  it('a success resets both the failure count and the doubling', () => {
    const clock = fakeClock();
    const throttle = new LoginThrottle({ now: clock.now });
    fail(throttle, 'alice', 4);
    throttle.recordSuccess('alice');
    fail(throttle, 'alice', 4);
    expect(throttle.check('alice')).toEqual({ allowed: true });

    fail(throttle, 'alice', 1);
    clock.advance(30_000);
    fail(throttle, 'alice', 5);
    expect(throttle.check('alice')).toEqual({ allowed: false, retryAfterMs: 60_000 });
    clock.advance(60_000);
    throttle.recordSuccess('alice');
    fail(throttle, 'alice', 5);
    expect(throttle.check('alice')).toEqual({ allowed: false, retryAfterMs: 30_000 });
  });

  it('the doubling is remembered for a while after a lockout ends, then forgotten', () => {
    const clock = fakeClock();
    const throttle = new LoginThrottle({ now: clock.now });
    fail(throttle, 'alice', 5);
    clock.advance(30_000 + 10 * 60_000);
    fail(throttle, 'alice', 5);
    expect(throttle.check('alice')).toEqual({ allowed: false, retryAfterMs: 60_000 });
    clock.advance(60_000 + 15 * 60_000);
    expect(throttle.check('alice')).toEqual({ allowed: true });
    fail(throttle, 'alice', 5);
    expect(throttle.check('alice')).toEqual({ allowed: false, retryAfterMs: 30_000 });
  });

  it('honours custom limits', () => {
    const clock = fakeClock();
    const throttle = new LoginThrottle({ maxFailures: 2, windowMs: 1_000, lockoutMs: 500, now: clock.now });
    fail(throttle, 'k', 2);
    expect(throttle.check('k')).toEqual({ allowed: false, retryAfterMs: 500 });
  });

  it('keeps memory bounded by forgetting stale keys first and the least recently used after that', () => {
    const clock = fakeClock();
    const throttle = new LoginThrottle({ maxKeys: 100, now: clock.now });
    for (let i = 0; i < 1_000; i++) throttle.recordFailure(`stale-${i}`);
    expect(throttle.size).toBeLessThanOrEqual(100);

    // Once the window has passed, old single failures are dropped in favour of new keys.
    clock.advance(60_001);
    fail(throttle, 'locked', 5);
    for (let i = 0; i < 50; i++) throttle.recordFailure(`fresh-${i}`);
    expect(throttle.size).toBeLessThanOrEqual(100);
    expect(throttle.check('locked').allowed).toBe(false);

    // A flood of live keys still cannot grow the map past its cap.
    for (let i = 0; i < 10_000; i++) throttle.recordFailure(`flood-${i}`);
    expect(throttle.size).toBeLessThanOrEqual(100);
  });

  it('a check after everything has expired forgets the key', () => {
    const clock = fakeClock();
    const throttle = new LoginThrottle({ now: clock.now });
    throttle.recordFailure('alice');
    expect(throttle.size).toBe(1);
    clock.advance(60_001);
    throttle.check('alice');
    expect(throttle.size).toBe(0);
  });

  it('refuses nonsensical options', () => {
    expect(() => new LoginThrottle({ maxFailures: 0 })).toThrow(RangeError);
    expect(() => new LoginThrottle({ windowMs: -1 })).toThrow(RangeError);
  });
});

describe('loginThrottleKey', () => {
  it('counts an IPv6 host by its /64 and an IPv4 one by its address, per user, whatever the port', () => {
    const key = loginThrottleKey;
    expect(key('alice', '2001:db8:1:2:aaaa::1:50000')).toBe(key('alice', '2001:db8:1:2:ffff:ffff:ffff:ffff:61000'));
    expect(key('alice', '2001:db8:1:2::1:50000')).not.toBe(key('alice', '2001:db8:1:3::1:50000'));
    expect(key('alice', '::ffff:10.0.0.1:50000')).toBe(key('alice', '10.0.0.1:61000'));
    expect(key('alice', '10.0.0.1:50000')).not.toBe(key('alice', '10.0.0.2:50000'));
    expect(key('alice', '10.0.0.1:50000')).not.toBe(key('bob', '10.0.0.1:50000'));
  });

  it('stays small whatever username is sent', () => {
    expect(loginThrottleKey('x'.repeat(4096), '10.0.0.1:50000').length).toBe(44);
  });
});
