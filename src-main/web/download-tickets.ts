import { randomBytes } from 'node:crypto';
import { ExpiringEntries } from '../service/expiring-entries.js';

/** How long a ticket waits for its download to start. */
export const TICKET_TTL_MS = 60_000;
/** The most tickets held; the oldest go first (a page asking forever must not grow the host's memory). */
const MAX_TICKETS = 1_000;

/** What a ticket downloads: a vault file, saved under a name the page chose. */
export interface DownloadTicket {
  path: string;
  name: string | null;
}

/**
 * Single-use download tickets. A download link is the one request a page cannot add a header to; with a ticket in
 * it instead of the host's token, what lands in the browser's history opens one download, once, within a minute,
 * and never the API.
 */
export class DownloadTickets {
  private readonly tickets: ExpiringEntries<DownloadTicket>;

  constructor(now: () => number = () => performance.now()) {
    this.tickets = new ExpiringEntries(TICKET_TTL_MS, MAX_TICKETS, now);
  }

  /** A new ticket for `download`. */
  issue(download: DownloadTicket): string {
    const ticket = randomBytes(24).toString('base64url');
    this.tickets.add(ticket, { path: download.path, name: download.name });
    return ticket;
  }

  /** What `ticket` downloads, using it up; undefined when it is unknown, used or expired. */
  redeem(ticket: string): DownloadTicket | undefined {
    return this.tickets.take(ticket);
  }
}
