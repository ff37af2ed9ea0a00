// listInvoices filters over the sandboxes: each filter gives exactly the matching seeded invoices (read through the
// lookups), and the filters a provider applies itself are in the requests its sandbox received.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestGateway } from '../support/gateway.js';
import { expectedOrder, isOutstanding, listAll, listPage, readSeeded, startListingGateway, type Seeded } from './listing-support.js';

let t: TestGateway;
let seeded: Seeded[];

beforeAll(async () => {
  t = await startListingGateway();
  seeded = await readSeeded(t);
});
afterAll(() => t.close());
beforeEach(() => {
  for (const kind of ['fragment', 'korint', 'xero']) t.sandbox(kind).calls.reset();
});

const DAY = 86_400_000;
const issuedMs = (invoice: Seeded) => Date.parse((invoice.issuedAt ?? invoice.createdAt)!);
const updatedMs = (invoice: Seeded) => (invoice.updatedAt ? Date.parse(invoice.updatedAt) : issuedMs(invoice));

/** The requests a sandbox received for its listing route. */
function listingCalls(kind: string) {
  const route = kind === 'fragment' ? 'search' : 'invoices';
  return t
    .sandbox(kind)
    .calls.list()
    .filter((call) => call.name === route && !(kind !== 'fragment' && /[?&](IDs|ids)=/.test(call.query)));
}

/** Xero's where: the filter's clauses, after the keyset bound a page from a cursor adds (`Date <= DateTime(...)`). */
function xeroWhere(call: { query: string }): string | null {
  const where = new URLSearchParams(call.query).get('where');
  return where?.replace(/^Date <= DateTime\(\d{4}, \d{2}, \d{2}\)( AND )?/, '') ?? null;
}

async function expectFilter(filter: Record<string, unknown>, matches: (invoice: Seeded) => boolean) {
  const ids = await listAll(t, { first: 100, filter });
  const expected = expectedOrder(seeded.filter(matches), 'ISSUED_AT_DESC');
  expect(expected.length).toBeGreaterThan(0);
  expect(expected.length).toBeLessThan(seeded.length);
  expect(ids).toEqual(expected);
}

describe('listInvoices filters', () => {
  it('statuses: exactly the invoices with those statuses; Xero gets Statuses, Fragment filter.status', async () => {
    await expectFilter({ statuses: ['PARTIALLY_PAID', 'OPEN'] }, (i) => ['PARTIALLY_PAID', 'OPEN'].includes(i.status));
    const xero = listingCalls('xero');
    expect(xero.length).toBeGreaterThan(0);
    for (const call of xero) expect(new URLSearchParams(call.query).get('Statuses')).toBe('AUTHORISED');
    for (const call of listingCalls('fragment')) expect((call.body as any).filter.status).toBe('active');
    // Fragment's `active` also holds paid invoices: the gateway drops them and reads on, so the page is still full.
    const page = await listPage(t, { first: 5, filter: { statuses: ['OPEN', 'PARTIALLY_PAID'], issuedTo: '2024-09-12' } });
    expect(page.ids).toHaveLength(5);
    expect(page.totalCount).toBeNull();
  });

  it('statuses no provider holds: VOID from Xero and Korint only, and Fragment is not asked', async () => {
    await expectFilter({ statuses: ['VOID'] }, (i) => i.status === 'VOID');
    expect(listingCalls('fragment')).toHaveLength(0);
    for (const call of listingCalls('xero')) expect(new URLSearchParams(call.query).get('Statuses')).toBe('VOIDED,DELETED');
  });

  it('issuedFrom / issuedTo: inclusive UTC days; Xero gets a where on Date, Fragment filter.created', async () => {
    const from = Date.parse('2024-06-01T00:00:00Z');
    const to = Date.parse('2024-09-30T00:00:00Z') + DAY;
    await expectFilter({ issuedFrom: '2024-06-01', issuedTo: '2024-09-30' }, (i) => issuedMs(i) >= from && issuedMs(i) < to);
    for (const call of listingCalls('xero')) {
      expect(xeroWhere(call)).toBe('Date >= DateTime(2024, 06, 01) AND Date <= DateTime(2024, 09, 30)');
    }
    const fragment = listingCalls('fragment');
    expect(fragment.length).toBeGreaterThan(0);
    expect((fragment[0].body as any).filter.created).toEqual({ after: '2024-05-31T23:59:59Z', before: '2024-10-01T00:00:00Z' });
  });

  it('updatedSince: Xero gets If-Modified-Since with an offset; the others are filtered by the gateway', async () => {
    const since = '2025-01-15T00:00:00.000Z';
    await expectFilter({ updatedSince: since }, (i) => updatedMs(i) >= Date.parse(since));
    for (const call of listingCalls('xero')) expect(call.headers['if-modified-since']).toBe('2025-01-15T00:00:00.000+00:00');
  });

  it('currency: Xero gets a where on CurrencyCode; Fragment invoices match by currency or balance', async () => {
    await expectFilter({ currency: 'usd' }, (i) => i.currency === 'USD' || (i.currency === null && i.balances.some((b) => b.currency === 'USD')));
    for (const call of listingCalls('xero')) expect(xeroWhere(call)).toBe('CurrencyCode=="USD"');
  });

  it('outstanding: true and false split the invoices; Xero gets AmountDue>0 for true', async () => {
    await expectFilter({ outstanding: true }, isOutstanding);
    for (const call of listingCalls('xero')) expect(xeroWhere(call)).toBe('AmountDue>0');
    await expectFilter({ outstanding: false }, (i) => !isOutstanding(i));
  });

  it('sources: only the sources named are asked, and totalCount is theirs when each reports one', async () => {
    await expectFilter({ sources: ['xero', 'korint'] }, (i) => i.source !== 'fragment');
    expect(listingCalls('fragment')).toHaveLength(0);
    const answer = await t.query('{ listInvoices(first: 5, filter: { sources: ["xero", "korint"] }) { totalCount } }');
    expect(answer.data.listInvoices.totalCount).toBe(seeded.filter((i) => i.source !== 'fragment').length);
    const all = await t.query('{ listInvoices(first: 5) { totalCount } }');
    // Fragment reports no count.
    expect(all.data.listInvoices.totalCount).toBeNull();
  });

  it('filters combine with AND', async () => {
    const from = Date.parse('2024-03-01T00:00:00Z');
    await expectFilter(
      { statuses: ['PAID'], currency: 'EUR', issuedFrom: '2024-03-01' },
      (i) => i.status === 'PAID' && (i.currency === 'EUR' || (i.currency === null && i.balances.some((b) => b.currency === 'EUR'))) && issuedMs(i) >= from,
    );
  });
});
