import { describe, expect, it } from 'vitest';
import { PendingLogins, addressKey } from '../../../servers/node/pending-logins.js';

describe('PendingLogins', () => {
  it('counts an IPv4 peer the same over IPv4 and over a dual-stack socket', () => {
    const pending = new PendingLogins(2);
    expect(pending.claim('10.0.0.1')).toBeDefined();
    expect(pending.claim('::ffff:10.0.0.1')).toBeDefined();
    expect(pending.claim('10.0.0.1')).toBeUndefined();
    expect(pending.claim('10.0.0.2')).toBeDefined();
  });

  it('counts IPv6 peers by their /64, so fresh addresses from one block share one cap', () => {
    const pending = new PendingLogins(2);
    expect(pending.claim('2001:db8:1:2::1')).toBeDefined();
    const second = pending.claim('2001:0db8:0001:0002:ffff:0:0:7');
    expect(second).toBeDefined();
    expect(pending.claim('2001:db8:1:2:abcd::9%eth0')).toBeUndefined();
    expect(pending.claim('2001:db8:1:3::1')).toBeDefined();
    second!();
    expect(pending.claim('2001:db8:1:2::2')).toBeDefined();
  });

  it('keys addresses as it counts them', () => {
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1:2:3:4')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
    expect(addressKey('not:an:::address')).toBe('not:an:::address');
  });
});
