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

/** One host under one name: an IPv4 peer reached over a dual-stack socket ("::ffff:10.0.0.1") is "10.0.0.1". */
function addressKey(address: string): string {
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}
