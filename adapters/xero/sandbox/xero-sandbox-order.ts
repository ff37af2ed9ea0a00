// Xero's `order` parameter as the sandbox reads it: comma-separated fields, each optionally ASC or DESC
// (`Date DESC,InvoiceID ASC`). Dates (`/Date(ms)/`) compare as instants, numbers as numbers, strings as text.

export class OrderParseError extends Error {
  override name = 'OrderParseError';
}

type Comparator = (a: Record<string, unknown>, b: Record<string, unknown>) => number;

function sortValue(value: unknown): number | string | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const date = /^\/Date\((-?\d+)/.exec(value);
  return date ? Number(date[1]) : value.toLowerCase();
}

function fieldOf(record: Record<string, unknown>, field: string): unknown {
  const entry = Object.entries(record).find(([key]) => key.toLowerCase() === field.toLowerCase());
  return entry?.[1];
}

/** A comparator for `order`; throws OrderParseError for anything but `Field [ASC|DESC]` terms. */
export function parseOrder(order: string): Comparator {
  const terms = order.split(',').map((term) => {
    const match = /^\s*([A-Za-z][A-Za-z0-9]*)(?:\s+(ASC|DESC))?\s*$/i.exec(term);
    if (!match) throw new OrderParseError(`cannot order by "${term.trim().slice(0, 40)}"`);
    return { field: match[1], sign: match[2]?.toUpperCase() === 'DESC' ? -1 : 1 };
  });
  return (a, b) => {
    for (const { field, sign } of terms) {
      const x = sortValue(fieldOf(a, field));
      const y = sortValue(fieldOf(b, field));
      if (x === y) continue;
      // Records without the field come last, whatever the direction.
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      return (x < y ? -1 : 1) * sign;
    }
    return 0;
  };
}
