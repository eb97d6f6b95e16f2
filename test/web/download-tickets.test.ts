import { describe, expect, it } from 'vitest';
import { DownloadTickets, TICKET_TTL_MS } from '../../src-main/web/download-tickets.js';

describe('download tickets', () => {
  it('open their one download once, within a minute', () => {
    const clock = { now: 1_000 };
    const tickets = new DownloadTickets(() => clock.now);
    const once = tickets.issue({ path: 'a.txt', name: 'a.txt' });
    const late = tickets.issue({ path: 'b.txt', name: null });
    expect(once).not.toBe(late);
    expect(tickets.redeem(once)).toEqual({ path: 'a.txt', name: 'a.txt' });
    expect(tickets.redeem(once)).toBeUndefined();
    clock.now += TICKET_TTL_MS;
    expect(tickets.redeem(late)).toBeUndefined();
    expect(tickets.redeem('made-up')).toBeUndefined();
  });
});
