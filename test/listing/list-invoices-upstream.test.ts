// listInvoices' upstream economy over the sandboxes: a page of 20 costs at most one listing call per source, each call
// reaches the source's next unread invoice (never an upstream page behind it), and nested lookups on listed invoices
// (payments and their invoices) are answered from the listing without another call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FragmentSandboxHandle } from '../../adapters/fragment/sandbox/fragment-sandbox.js';
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

/** Where one listing request starts and ends in its source's order (index of the first and past the last item). */
function windowOf(kind: string, call: { query: string; body?: unknown }, fragmentOrder: string[]): { start: number; end: number } {
  if (kind !== 'fragment') {
    const query = new URLSearchParams(call.query);
    const page = Number(query.get('page'));
    const size = Number(query.get('pageSize'));
    return { start: (page - 1) * size, end: page * size };
  }
  const body = call.body as { filter: { created?: { before?: string } }; page_info: { after?: string; limit: number } };
  const store = t.sandbox<FragmentSandboxHandle>('fragment').store;
  let start = 0;
  if (body.page_info.after) start = fragmentOrder.indexOf(Buffer.from(body.page_info.after, 'base64url').toString('utf8')) + 1;
  else if (body.filter.created?.before) {
    const before = Date.parse(body.filter.created.before);
    start = fragmentOrder.findIndex((id) => Date.parse(store.getInvoice(id)!.created) < before);
  }
  return { start, end: start + body.page_info.limit };
}

describe('listInvoices upstream calls', () => {
  it('a page of 20 costs at most one call per source, and each call reaches the next unread invoice', async () => {
    const expected = expectedOrder(seeded, 'ISSUED_AT_DESC');
    const fragmentOrder = expected.filter((id) => id.startsWith('fragment:')).map((id) => id.slice('fragment:Invoice:'.length));
    const returned: Record<string, number> = { fragment: 0, korint: 0, xero: 0 };
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
        expect(calls.length, `${kind} calls on page ${pages + 1}`).toBeLessThanOrEqual(1);
        const total = seeded.filter((invoice) => invoice.source === kind).length;
        if (returned[kind] < total) expect(calls.length, `${kind} asked on page ${pages + 1}`).toBe(1);
        for (const call of calls) {
          const { start, end } = windowOf(kind, call, fragmentOrder);
          // The call starts at or just before the source's position (at most the last invoice given is read again)...
          expect(start, `${kind} page ${pages + 1} starts behind its position`).toBeGreaterThanOrEqual(returned[kind] - (kind === 'fragment' ? 1 : 99));
          expect(start).toBeLessThanOrEqual(returned[kind]);
          // ...and reaches past it.
          expect(end).toBeGreaterThan(returned[kind]);
        }
      }
      for (const id of page.ids) returned[id.split(':')[0]] += 1;
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
      listInvoices(first: 60) {
        nodes { id payments { id amount { amount currency } invoice { id number } } }
      }
    }`);
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data.listInvoices.nodes as Array<{ id: string; payments: Array<{ invoice: { id: string } | null }> }>;
    const withPayments = nodes.filter((node) => node.payments.length > 0);
    expect(new Set(withPayments.map((node) => node.id.split(':')[0])).size).toBeGreaterThanOrEqual(2);
    for (const node of withPayments) for (const payment of node.payments) expect(payment.invoice?.id).toBe(node.id);
    // Only the listing calls: no batch-get, no IDs lookup, no ids page.
    expect(t.sandbox('fragment').calls.count('batch-get')).toBe(0);
    for (const kind of ['korint', 'xero']) {
      const lookups = t.sandbox(kind).calls.list().filter((call) => /[?&](IDs|ids)=/.test(call.query));
      expect(lookups, kind).toHaveLength(0);
    }
    for (const kind of KINDS) expect(t.sandbox(kind).calls.count(ROUTE[kind]), kind).toBe(1);
  });
});
