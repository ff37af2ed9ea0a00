// listInvoices' upstream economy over the sandboxes (same-second bursts, busy days and billing runs included): a page
// starts each source at the key of the last invoice it gave (re-reading at most that key's invoices, never the pages
// behind it), costs one call per source unless a group of invoices sharing a key must be completed, and nested lookups
// on listed invoices (payments and their invoices) are answered from the listing without another call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KorintSandboxHandle } from '../../adapters/korint/sandbox/korint-sandbox.js';
import { korintListOrder } from '../../adapters/korint/sandbox/korint-list-order.js';
import type { TestGateway } from '../support/gateway.js';
import { expectedOrder, listPage, readSeeded, startListingGateway, type Seeded } from './listing-support.js';

let t: TestGateway;
let seeded: Seeded[];

beforeAll(async () => {
  t = await startListingGateway();
  seeded = await readSeeded(t);
});
afterAll(() => t.close());

const KINDS = ['fragment', 'korint', 'xero'] as const;
const ROUTE: Record<string, string> = { fragment: 'search', korint: 'invoices', xero: 'invoices' };
/** Each listing's largest page (Fragment's searchPageSize, Korint's pageSize, Xero's listPageSize). */
const MAX_LIMIT: Record<string, number> = { fragment: 200, korint: 100, xero: 100 };

const keyOf = (invoice: Seeded) => Date.parse((invoice.issuedAt ?? invoice.createdAt)!);
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10).split('-').join(', ');

describe('listInvoices upstream calls', () => {
  it('pages of 20 start each source at its last key and make more calls only to complete a key shared by many', async () => {
    const expected = expectedOrder(seeded, 'ISSUED_AT_DESC');
    const byId = new Map(seeded.map((invoice) => [invoice.id, invoice]));
    // Each source's invoices in the order, and how many share each key.
    const groupSize = new Map<string, number>();
    for (const invoice of seeded) groupSize.set(`${invoice.source}:${keyOf(invoice)}`, (groupSize.get(`${invoice.source}:${keyOf(invoice)}`) ?? 0) + 1);
    expect(Math.max(...groupSize.values())).toBeGreaterThanOrEqual(100);
    // Korint's own order (ties in its sandbox's order, not by id), to find where a read from a key must start.
    const korint = t.sandbox<KorintSandboxHandle>('korint');
    const korintOrder = [...korint.invoices].sort(korintListOrder('-issuedAt')!).map((invoice) => `korint:Invoice:${invoice.id}`);

    const last: Record<string, Seeded | undefined> = {};
    const ids: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      for (const kind of KINDS) t.sandbox(kind).calls.reset();
      const page = await listPage(t, { first: 20, after });
      expect(page.answer.errors).toBeUndefined();
      expect(page.ids.length).toBe(Math.min(20, expected.length - ids.length));
      for (const kind of KINDS) {
        const calls = t.sandbox(kind).calls.list().filter((call) => call.name === ROUTE[kind]);
        const given = page.ids.filter((id) => id.startsWith(`${kind}:`)).map((id) => byId.get(id)!);
        const bound = last[kind];
        // The keys this page touched at this source: the last one given before it, and those it gave.
        const touched = [...(bound ? [bound] : []), ...given].map((invoice) => groupSize.get(`${kind}:${keyOf(invoice)}`)!);
        const largest = Math.max(1, ...touched);
        // A page-numbered provider (Korint) may need one page more where the key's invoices straddle its page bounds.
        const allowed = largest === 1 ? 1 : 2 + Math.ceil((largest + 22) / MAX_LIMIT[kind]);
        expect(calls.length, `${kind} calls on page ${pages + 1}`).toBeLessThanOrEqual(allowed);
        // Xero's pages carry their line items: at most 100 a call (listPageSize), as Xero's own default.
        if (kind === 'xero') for (const call of calls) expect(Number(new URLSearchParams(call.query).get('pageSize'))).toBeLessThanOrEqual(100);
        if (given.length > 0) expect(calls.length).toBeGreaterThan(0);
        if (!bound || calls.length === 0) continue;
        // The first call starts at the last key given: re-reading only that key's invoices.
        const [first] = calls;
        if (kind === 'fragment') {
          const body = first.body as { filter: { created?: { before?: string } }; page_info: { after?: string } };
          expect(body.filter.created?.before).toBe(isoSeconds(Math.floor(keyOf(bound) / 1000) * 1000 + 1000));
          expect(body.page_info.after).toBeUndefined();
        } else if (kind === 'xero') {
          const query = new URLSearchParams(first.query);
          expect(query.get('where')).toBe(`Date <= DateTime(${day(keyOf(bound))})`);
          expect(query.get('page')).toBe('1');
        } else {
          // Korint has no bound: the read starts at the invoice before the key's first, within one page of it.
          const query = new URLSearchParams(first.query);
          const start = (Number(query.get('page')) - 1) * Number(query.get('pageSize'));
          const fence = korintOrder.findIndex((id) => keyOf(byId.get(id)!) === keyOf(bound)) - 1;
          expect(start, `korint page ${pages + 1}`).toBeLessThanOrEqual(Math.max(0, fence));
          expect(start).toBeGreaterThan(fence - 100);
        }
      }
      for (const id of page.ids) last[id.split(':')[0]] = byId.get(id);
      ids.push(...page.ids);
      after = page.hasNextPage ? page.endCursor : null;
      pages += 1;
    } while (after);
    expect(ids).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 20));
  }, 240_000);

  it('nested payments and their invoices are answered by the listing, with no lookup call', async () => {
    for (const kind of KINDS) t.sandbox(kind).calls.reset();
    const answer = await t.query(`{
      listInvoices(first: 60, filter: { sources: ["fragment", "xero"], issuedTo: "2024-11-30" }) {
        nodes { id payments { id amount { amount currency } invoice { id number } } }
      }
    }`);
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data.listInvoices.nodes as Array<{ id: string; payments: Array<{ invoice: { id: string } | null }> }>;
    const withPayments = nodes.filter((node) => node.payments.length > 0);
    expect(new Set(withPayments.map((node) => node.id.split(':')[0])).size).toBe(2);
    for (const node of withPayments) for (const payment of node.payments) expect(payment.invoice?.id).toBe(node.id);
    // Only the listing calls: no batch-get, no IDs lookup.
    expect(t.sandbox('fragment').calls.count('batch-get')).toBe(0);
    expect(t.sandbox('xero').calls.list().filter((call) => /[?&]IDs=/.test(call.query))).toHaveLength(0);
    for (const kind of ['fragment', 'xero']) expect(t.sandbox(kind).calls.count(ROUTE[kind]), kind).toBe(1);
  });
});
