// The simulator's listing order (the list-by-ids path asked without ids, in the order `sort` names): by issue time (the
// creation time for a draft) or creation time, `-` for newest first. Korint publishes no order for invoices sharing
// that time: the simulator gives them in reverse id order, so nothing may rely on ties coming in id order.
import type { SeededKorintInvoice } from './seed-data.js';

/** The comparator of a `sort` value, or undefined for one Korint does not know. */
export function korintListOrder(sort: string): ((a: SeededKorintInvoice, b: SeededKorintInvoice) => number) | undefined {
  const match = /^(-?)(issuedAt|createdAt)$/.exec(sort);
  if (!match) return undefined;
  const sign = match[1] === '-' ? -1 : 1;
  const keys = new WeakMap<SeededKorintInvoice, number>();
  const keyOf = (invoice: SeededKorintInvoice): number => {
    let key = keys.get(invoice);
    if (key === undefined) {
      key = Date.parse(String((match[2] === 'issuedAt' ? invoice.issuedAt : undefined) ?? invoice.createdAt));
      keys.set(invoice, key);
    }
    return key;
  };
  return (a, b) => sign * (keyOf(a) - keyOf(b)) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}
