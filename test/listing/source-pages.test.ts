// One source's listing page by page (src/listing/source-pages.ts, the entry point for a poller): the same keyset
// positions as listInvoices, so reading on from a stored position gives every invoice once, newest change first; an
// order the source cannot answer and a failing source reject with their coded errors.
import { describe, expect, it } from 'vitest';
import { readSourcePage, readSourcePages } from '../../src/listing/source-pages.js';
import { sortKeyOf } from '../../src/listing/sort-key.js';
import { createFragmentModel, createXeroModel, type InvoiceSpec } from './support/listing-models.js';

const specs: InvoiceSpec[] = Array.from({ length: 90 }, (_, i) => ({ key: i % 4, sub: i % 3, state: i % 6, long: false }));

describe('readSourcePages', () => {
  it('reads one Xero source newest change first, from a stored position to the end, each invoice once', async () => {
    const model = createXeroModel('xero', specs, { pageSize: 25 });
    const request = { source: 'xero', listing: model.listing, filter: {}, order: 'UPDATED_AT_DESC' as const, first: 10, call: {} };
    const first = await readSourcePage(request);
    expect(first.invoices).toHaveLength(10);
    expect(first.next).not.toBeNull();
    // The position is plain JSON: a poller stores it and reads on later.
    const stored = JSON.parse(JSON.stringify(first.next));
    const rest: string[] = [];
    let pages = 0;
    for await (const page of readSourcePages({ ...request, after: stored })) {
      rest.push(...page.invoices.map((invoice) => invoice.remoteId));
      pages += 1;
      expect(page.calls).toBeLessThanOrEqual(2);
    }
    const all = [...first.invoices.map((invoice) => invoice.remoteId), ...rest];
    expect(new Set(all).size).toBe(90);
    expect(pages).toBe(8);
    const keys = [...first.invoices, ...model.invoices().filter((i) => rest.includes(i.remoteId))].map((i) => sortKeyOf(i, 'UPDATED_AT_DESC')!);
    expect(keys.slice(0, 10)).toEqual([...keys.slice(0, 10)].sort((a, b) => b - a));
  });

  it('rejects an order the source cannot answer (UNSUPPORTED) without a call, and a failing source with its error', async () => {
    const fragment = createFragmentModel('fragment', specs, { pageSize: 20, newestFirst: true, seed: 1 });
    const refused = readSourcePage({ source: 'fragment', listing: fragment.listing, filter: {}, order: 'ISSUED_AT_ASC', first: 5, call: {} });
    await expect(refused).rejects.toMatchObject({ extensions: { code: 'UNSUPPORTED', source: 'fragment' } });
    expect(fragment.requests).toBe(0);
    const failing = readSourcePage({
      source: 'fragment',
      listing: { ...fragment.listing, list: async () => Promise.reject(Object.assign(new Error('down'), { code: 'UPSTREAM_UNAVAILABLE' })) },
      filter: {},
      order: 'ISSUED_AT_DESC',
      first: 5,
      call: {},
    });
    await expect(failing).rejects.toThrow('down');
  });
});
