// Xero's `order` parameter as the sandbox reads it: comma-separated fields, each optionally ASC or DESC
// (`Date DESC,InvoiceID ASC`). Dates (`/Date(ms)/`) compare as instants, numbers as numbers, strings as text, and GUIDs
// as the SQL Server behind Xero orders a uniqueidentifier: the last group first, not as text.

export class OrderParseError extends Error {
  override name = 'OrderParseError';
}

const GUID = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i;

/** The bytes of a hex group, last first (the first three groups of a GUID are stored little-endian). */
const swapped = (hex: string) => (hex.match(/../g) ?? []).reverse().join('');

/** A GUID as text that sorts as SQL Server sorts uniqueidentifiers: bytes 10-15, 8-9, 6-7, 4-5, 0-3. */
export function sqlServerGuidKey(guid: string): string | undefined {
  const match = GUID.exec(guid);
  if (!match) return undefined;
  const [, a, b, c, d, e] = match;
  return [e, d, swapped(c), swapped(b), swapped(a)].join('').toLowerCase();
}

function sortValue(value: unknown): number | string | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const date = /^\/Date\((-?\d+)/.exec(value);
  return date ? Number(date[1]) : (sqlServerGuidKey(value) ?? value.toLowerCase());
}

function fieldOf(record: Record<string, unknown>, field: string): unknown {
  const entry = Object.entries(record).find(([key]) => key.toLowerCase() === field.toLowerCase());
  return entry?.[1];
}

/** Sorts `records` by `order` (stable); throws OrderParseError for anything but `Field [ASC|DESC]` terms. */
export function sortByOrder<T extends Record<string, unknown>>(records: T[], order: string): T[] {
  const terms = order.split(',').map((term) => {
    const match = /^\s*([A-Za-z][A-Za-z0-9]*)(?:\s+(ASC|DESC))?\s*$/i.exec(term);
    if (!match) throw new OrderParseError(`cannot order by "${term.trim().slice(0, 40)}"`);
    return { field: match[1], sign: match[2]?.toUpperCase() === 'DESC' ? -1 : 1 };
  });
  // Each record's sort values once, not once per comparison.
  const keyed = records.map((record, index) => ({ record, index, values: terms.map(({ field }) => sortValue(fieldOf(record, field))) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < terms.length; i += 1) {
      const x = a.values[i];
      const y = b.values[i];
      if (x === y) continue;
      // Records without the field come last, whatever the direction.
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      return (x < y ? -1 : 1) * terms[i].sign;
    }
    return a.index - b.index;
  });
  return keyed.map((entry) => entry.record);
}
