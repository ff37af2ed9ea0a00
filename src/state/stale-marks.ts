// Per request: the items served from the entity cache because their provider failed, with their age. The answer lists
// them in `extensions.stale`, so a client knows which data may be out of date and by how much.

export interface StaleItem {
  /** The item's global id. */
  id: string;
  /** How old the copy served is, in milliseconds. */
  ageMs: number;
}

export interface StaleMarks {
  mark(item: StaleItem): void;
  list(): StaleItem[];
}

/** Creates an empty list for one request; an item looked up twice is listed once. */
export function createStaleMarks(): StaleMarks {
  const items = new Map<string, StaleItem>();
  return {
    mark: (item) => void items.set(item.id, item),
    list: () => [...items.values()],
  };
}
