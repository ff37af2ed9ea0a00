// listInvoices over the three sandboxes: a full pagination returns every seeded invoice exactly once, in the documented
// order, for each order; pages cost at most one call per source (when the providers order and filter themselves) and
// never reach back to upstream pages behind them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../support/gateway.js';
import { expectedOrder, listAll, readSeeded, startListingGateway, type Order, type Seeded } from './listing-support.js';

let t: TestGateway;
let seeded: Seeded[];

beforeAll(async () => {
  // Fewer than the sandboxes' defaults, still several pages of 100 from every source.
  t = await startListingGateway({ invoiceCounts: { fragment: 300, korint: 200, xero: 250 } });
  seeded = await readSeeded(t);
});
afterAll(() => t.close());

describe('listInvoices pagination', () => {
  it('holds several hundred seeded invoices, several pages of 100 from every source', () => {
    const bySource = new Map<string, number>();
    for (const invoice of seeded) bySource.set(invoice.source, (bySource.get(invoice.source) ?? 0) + 1);
    // 750 seeded; the seeds' shapes (6 Fragment, 3 Korint, 7 Xero); and the groups that share a key: a Fragment burst of
    // 120 in one second, a Korint billing run of 80, two Xero busy days of 150 and 40.
    expect(seeded.length).toBe(750 + 16 + 120 + 80 + 190);
    for (const count of bySource.values()) expect(count).toBeGreaterThanOrEqual(200);
  });

  for (const order of ['ISSUED_AT_DESC', 'ISSUED_AT_ASC', 'UPDATED_AT_DESC'] as Order[]) {
    // Fragment's search answers newest first only: in the other orders it is refused before any call, the others served.
    const refused = order === 'ISSUED_AT_DESC' ? [] : ['fragment'];
    it(`first: 7 to the end returns every invoice once, in ${order} order, as one first: 100 pagination does`, async () => {
      const expected = expectedOrder(seeded.filter((invoice) => !refused.includes(invoice.source)), order);
      t.sandbox('fragment').calls.reset();
      const small = await listAll(t, { first: 7, orderBy: order }, undefined, refused);
      expect(small.length).toBe(expected.length);
      expect(new Set(small).size).toBe(small.length);
      expect(small).toEqual(expected);
      const large = await listAll(t, { first: 100, orderBy: order }, undefined, refused);
      expect(large).toEqual(expected);
      if (refused.length > 0) expect(t.sandbox('fragment').calls.count('search')).toBe(0);
    }, 240_000);
  }
});
