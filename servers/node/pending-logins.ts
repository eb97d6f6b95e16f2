/**
 * Counts, per remote address, the connections that have not logged in yet, and refuses those over a cap:
 * idle sockets from one host then cannot use up the node's connections and lock everybody else out.
 * Logged-in sessions are not counted; they passed SCRAM and are throttled by other means.
 */
export class PendingLogins {
  readonly #counts = new Map<string, number>();

  constructor(readonly perAddress: number) {
    if (!Number.isSafeInteger(perAddress) || perAddress < 1) throw new RangeError(`The cap on pending logins per address must be a whole number above 0; got ${perAddress}.`);
  }

  /** Takes a slot for `address`: its release (calling it again does nothing), or undefined when the address has none left. */
  claim(address: string): (() => void) | undefined {
    const key = addressKey(address);
    const count = this.#counts.get(key) ?? 0;
    if (count >= this.perAddress) return undefined;
    this.#counts.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#counts.get(key) ?? 1) - 1;
      if (left > 0) this.#counts.set(key, left);
      else this.#counts.delete(key);
    };
  }
}

/**
 * One host under one name: an IPv4 peer reached over a dual-stack socket ("::ffff:10.0.0.1") is
 * "10.0.0.1", and an IPv6 peer counts by its /64, the block one host is routinely given: one
 * machine could otherwise take a fresh address for every connection.
 */
export function addressKey(address: string): string {
  const ipv4 = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  if (!ipv4.includes(':')) return ipv4;
  const groups = ipv6Groups(ipv4.replace(/%.*$/, ''));
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : ipv4;
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part counts as two), or undefined if it is not one. */
function ipv6Groups(address: string): string[] | undefined {
  const [head = '', tail, extra] = address.toLowerCase().split('::');
  if (extra !== undefined) return undefined;
  const parts = (text: string): string[] => (text === '' ? [] : text.split(':').flatMap((part) => (part.includes('.') ? ['0', '0'] : [part])));
  const front = parts(head);
  const back = tail === undefined ? [] : parts(tail);
  const missing = 8 - front.length - back.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return undefined;
  const groups = [...front, ...Array<string>(missing).fill('0'), ...back];
  return groups.every((g) => /^[0-9a-f]{1,4}$/.test(g)) ? groups.map((g) => g.replace(/^0+(?=.)/, '')) : undefined;
}
