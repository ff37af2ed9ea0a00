// What one address holds at once (connections, requests in flight, subscriptions), bounded: a slot is taken when the
// thing starts and given back when it ends. The counters of an address are forgotten when it holds nothing.

export interface AddressCounter {
  readonly maximum: number;
  /** Takes a slot for `address`: answers the function that gives it back (once), or undefined when all are taken. */
  tryAcquire(address: string): (() => void) | undefined;
  /** How many slots `address` holds. */
  held(address: string): number;
}

/** A counter allowing `maximum` slots per address. */
export function createAddressCounter(maximum: number): AddressCounter {
  const counts = new Map<string, number>();
  return {
    maximum,
    tryAcquire(address) {
      const held = counts.get(address) ?? 0;
      if (held >= maximum) return undefined;
      counts.set(address, held + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (counts.get(address) ?? 1) - 1;
        if (left <= 0) counts.delete(address);
        else counts.set(address, left);
      };
    },
    held: (address) => counts.get(address) ?? 0,
  };
}
