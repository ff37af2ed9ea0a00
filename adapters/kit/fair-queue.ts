// A queue of waiters served in turn by party (round robin), first come first served within a party: when one caller
// has 25 calls waiting for a provider's slot and another arrives with one, the newcomer waits for one of the 25, not
// for all of them. The rate limiters queue their waiters here, by the party the gateway names (the client).

export interface FairQueue<T> {
  readonly size: number;
  /** Queues `item` behind the other items of `party`. */
  push(party: string, item: T): void;
  /** The item whose turn it is, left in place. */
  peek(): T | undefined;
  /** Takes the item whose turn it is; its party goes to the back of the turn. */
  shift(): T | undefined;
  /** Takes `item` out wherever it waits; false when it was not queued. */
  remove(item: T): boolean;
  /** Takes every item, in turn order. */
  drain(): T[];
}

/** Creates an empty queue. */
export function createFairQueue<T>(): FairQueue<T> {
  // A Map iterates in insertion order: the first party is the one whose turn it is.
  const parties = new Map<string, T[]>();
  const partyOf = new Map<T, string>();
  let size = 0;
  const take = (party: string, items: T[], index: number): T => {
    const [item] = items.splice(index, 1);
    partyOf.delete(item);
    size -= 1;
    if (items.length === 0) parties.delete(party);
    return item;
  };
  const shift = (): T | undefined => {
    for (const [party, items] of parties) {
      const item = take(party, items, 0);
      if (items.length > 0) {
        parties.delete(party);
        parties.set(party, items);
      }
      return item;
    }
    return undefined;
  };
  return {
    get size() {
      return size;
    },
    push(party, item) {
      const items = parties.get(party);
      if (items) items.push(item);
      else parties.set(party, [item]);
      partyOf.set(item, party);
      size += 1;
    },
    peek() {
      for (const items of parties.values()) return items[0];
      return undefined;
    },
    shift,
    remove(item) {
      const party = partyOf.get(item);
      const items = party === undefined ? undefined : parties.get(party);
      const index = items?.indexOf(item) ?? -1;
      if (party === undefined || !items || index < 0) return false;
      take(party, items, index);
      return true;
    },
    drain() {
      const all: T[] = [];
      while (size > 0) all.push(shift()!);
      return all;
    },
  };
}
