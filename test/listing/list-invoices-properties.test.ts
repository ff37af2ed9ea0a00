// Properties of the merged listing (src/listing/) over in-memory providers that answer as the sandboxes do (Fragment's
// search with ties in a shuffled order, Xero's GET /Invoices with where/order/paging and GUIDs in SQL Server's order,
// Korint's pages with ties in reverse id order), behind the real adapters: random invoices with many equal keys, random
// page sizes, orders and filters, random creates, updates and removals between pages.
//   - it terminates within ceil(n / first) + (number of sources) pages (plus what a filter only the gateway applies
//     may cost: a page per 5 calls of a source's largest reads);
//   - no page is empty with hasNextPage, unless a source's answers are filtered by the gateway;
//   - without changes, every invoice exactly once, in the documented order (time, then global id);
//   - with changes, an invoice whose key never changed is never listed twice, and one that also stayed in the
//     listing throughout is listed exactly once;
//   - every cursor stays under 2 KB;
//   - an order a source cannot answer is refused for it (UNSUPPORTED) without a call, the others served.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InvoiceListFilter, InvoiceListOrder } from '../../adapters/kit/listing.js';
import type { Invoice } from '../../adapters/kit/model.js';
import { createCursorCodec } from '../../src/listing/cursor.js';
import { createInvoicePredicate } from '../../src/listing/gateway-filter.js';
import { readListingPage } from '../../src/listing/listing-page.js';
import { comparePlaces, sortKeyOf, tieIdOf } from '../../src/listing/sort-key.js';
import { toGlobalId } from '../../src/ids.js';
import {
  createFragmentModel,
  createKorintModel,
  createXeroModel,
  type ChangeSpec,
  type InvoiceSpec,
  type ProviderModel,
} from './support/listing-models.js';

const ORDERS: InvoiceListOrder[] = ['ISSUED_AT_DESC', 'ISSUED_AT_ASC', 'UPDATED_AT_DESC'];
const MAX_CALLS_PER_SOURCE = 5;

const invoiceSpec = fc.record({ key: fc.nat({ max: 5 }), sub: fc.nat({ max: 3 }), state: fc.nat({ max: 11 }), long: fc.boolean() });
const changeSpec: fc.Arbitrary<ChangeSpec> = fc.record({
  kind: fc.constantFrom('create', 'update', 'delete'),
  target: fc.nat({ max: 1_000 }),
  key: fc.nat({ max: 5 }),
  sub: fc.nat({ max: 3 }),
  state: fc.nat({ max: 11 }),
});
const sourceSpec: fc.Arbitrary<{ invoices: InvoiceSpec[]; pageSize: number }> = fc.record({
  invoices: fc.array(invoiceSpec, { maxLength: 70 }),
  pageSize: fc.integer({ min: 2, max: 100 }),
});

const filterFields = {
  statuses: fc.subarray(['DRAFT', 'OPEN', 'PARTIALLY_PAID', 'PAID', 'VOID'] as const, { minLength: 1 }).map((statuses) => [...statuses].sort()),
  issuedFrom: fc.constantFrom('2024-03-01', '2024-03-02', '2024-05-03', '2025-02-04'),
  issuedTo: fc.constantFrom('2024-03-01', '2024-03-02', '2024-05-04', '2025-02-05'),
  currency: fc.constantFrom('USD', 'EUR', 'NZD', 'AUD'),
  outstanding: fc.boolean(),
  updatedSince: fc.constantFrom('2024-03-01T12:00:00.000Z', '2024-05-03T12:00:02.000Z'),
};
/** One filter field, or any combination of them. */
const filterSpec: fc.Arbitrary<InvoiceListFilter> = fc.oneof(
  ...Object.entries(filterFields).map(([field, values]) => (values as fc.Arbitrary<unknown>).map((value) => ({ [field]: value }) as InvoiceListFilter)),
  fc.record(filterFields, { requiredKeys: [] }) as fc.Arbitrary<InvoiceListFilter>,
);

type SourceSpec = { invoices: InvoiceSpec[]; pageSize: number };

interface Scenario {
  order: InvoiceListOrder;
  fragmentNewestFirst: boolean;
  fragment: SourceSpec;
  /** A second Fragment source (two sources of one provider). */
  fragmentB: SourceSpec | null;
  xero: SourceSpec;
  korint: SourceSpec;
  filter: InvoiceListFilter;
  firsts: number[];
  /** Changes applied after each page (to the source of the same index), when the scenario has changes. */
  changes: Array<Array<{ source: number; change: ChangeSpec }>>;
  seed: number;
}

const scenario = (withChanges: boolean, withFilter: boolean): fc.Arbitrary<Scenario> =>
  fc.record({
    order: fc.constantFrom(...ORDERS),
    fragmentNewestFirst: fc.boolean(),
    fragment: sourceSpec,
    fragmentB: fc.option(sourceSpec, { nil: null }),
    xero: sourceSpec,
    korint: sourceSpec,
    filter: withFilter ? filterSpec : fc.constant({}),
    // Small pages often (boundaries inside groups of equal keys), large ones too.
    firsts: fc.array(fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 100 })), { minLength: 1, maxLength: 4 }),
    changes: withChanges ? fc.array(fc.array(fc.record({ source: fc.nat({ max: 3 }), change: changeSpec }), { maxLength: 4 }), { maxLength: 40 }) : fc.constant([]),
    seed: fc.integer(),
  });

function modelsOf(s: Scenario): ProviderModel[] {
  const models = [
    createFragmentModel('fragment', s.fragment.invoices, { pageSize: s.fragment.pageSize, newestFirst: s.fragmentNewestFirst, seed: s.seed }),
    createXeroModel('xero', s.xero.invoices, { pageSize: s.xero.pageSize }),
    createKorintModel('korint', s.korint.invoices, { pageSize: s.korint.pageSize }),
  ];
  if (s.fragmentB) models.push(createFragmentModel('fragment-b', s.fragmentB.invoices, { pageSize: s.fragmentB.pageSize, newestFirst: s.fragmentNewestFirst, seed: s.seed ^ 1 }));
  return models.sort((a, b) => (a.source < b.source ? -1 : 1));
}

/** Global id of a listed invoice. */
const idOf = (source: string, invoice: Invoice) => toGlobalId(source, 'Invoice', invoice.remoteId);

/** The documented order of what `models` hold now under `filter`: the time, then the global id (by tie id). */
function expectedIds(models: ProviderModel[], order: InvoiceListOrder, filter: InvoiceListFilter): string[] {
  const matches = createInvoicePredicate(filter);
  return models
    .flatMap((model) =>
      model
        .invoices()
        .filter(matches)
        .map((invoice) => ({ key: sortKeyOf(invoice, order), id: toGlobalId(model.source, 'Invoice', tieIdOf(invoice.remoteId)), gid: idOf(model.source, invoice) })),
    )
    .sort((a, b) => comparePlaces(a, b, order))
    .map((entry) => entry.gid);
}

interface Run {
  ids: string[];
  pages: number;
  /** Per page: edges, hasNextPage, the sources the gateway filtered. */
  shapes: Array<{ edges: number; hasNextPage: boolean; gatewayFiltered: string[] }>;
  refused: string[];
  longestCursor: number;
}

/** Reads every page; `between(pageIndex)` runs after each page that has a next. */
async function readAll(models: ProviderModel[], s: Scenario, limit: number, between?: (page: number) => void): Promise<Run> {
  const codec = createCursorCodec();
  const sources = models.map((model) => ({ name: model.source, listing: model.listing }));
  const run: Run = { ids: [], pages: 0, shapes: [], refused: [], longestCursor: 0 };
  let after: string | null = null;
  for (;;) {
    const first = s.firsts[run.pages % s.firsts.length];
    const page = await readListingPage({ sources, filter: s.filter, order: s.order, first, after, codec, call: {}, maxCallsPerSource: MAX_CALLS_PER_SOURCE });
    run.pages += 1;
    for (const failure of page.failures) {
      // Only a refusal is expected (an order the source cannot answer), made before any call.
      expect(failure.refused, `${failure.source}: ${String(failure.error)}`).toBe(true);
      expect(failure.error).toMatchObject({ extensions: { code: 'UNSUPPORTED', source: failure.source } });
      expect(page.calls[failure.source]).toBe(0);
    }
    run.refused = page.failures.map((failure) => failure.source);
    expect(page.edges.length).toBeLessThanOrEqual(first);
    run.shapes.push({ edges: page.edges.length, hasNextPage: page.hasNextPage, gatewayFiltered: page.gatewayFiltered });
    run.longestCursor = Math.max(run.longestCursor, page.endCursor.length, ...page.edges.map((edge) => edge.cursor().length));
    run.ids.push(...page.edges.map((edge) => idOf(edge.item.source, edge.item.invoice)));
    if (!page.hasNextPage) return run;
    if (run.pages >= limit) throw new Error(`the listing did not end within ${limit} pages`);
    between?.(run.pages - 1);
    after = page.endCursor;
  }
}

/** Pages a reading may take: full pages of the page sizes in turn, plus one per source, plus a filter's scans. */
function pageBound(s: Scenario, models: ProviderModel[], n: number, filteredMax: number): number {
  let pages = 0;
  for (let covered = 0; covered < n; pages += 1) covered += s.firsts[pages % s.firsts.length];
  let scans = 0;
  for (const model of models) {
    // A source the gateway filters may spend a page's budget finding nothing: 5 reads of at least min(100, its page).
    const perPage = MAX_CALLS_PER_SOURCE * Math.min(100, model.listing.maxLimit);
    scans += Math.ceil(filteredMax / perPage);
  }
  return pages + models.length + scans;
}

const refusedIn = (models: ProviderModel[], order: InvoiceListOrder) => models.filter((m) => !m.listing.orders.includes(order)).map((m) => m.source);

async function checkWithoutChanges(s: Scenario): Promise<void> {
  const models = modelsOf(s);
  const refused = refusedIn(models, s.order);
  const answerable = models.filter((model) => !refused.includes(model.source));
  const expected = expectedIds(answerable, s.order, s.filter);
  const total = Math.max(0, ...models.map((model) => model.invoices().length));
  const filtered = Object.keys(s.filter).length > 0;
  const bound = pageBound(s, models, expected.length, filtered ? total : 0);
  const run = await readAll(models, s, bound + 20);
  expect(run.refused.sort()).toEqual(refused.sort());
  // Every invoice exactly once, in the documented order.
  expect(run.ids).toEqual(expected);
  expect(run.pages).toBeLessThanOrEqual(bound);
  for (const shape of run.shapes) if (shape.hasNextPage && shape.edges === 0) expect(shape.gatewayFiltered.length).toBeGreaterThan(0);
  expect(run.longestCursor).toBeLessThan(2_048);
}

async function checkWithChanges(s: Scenario): Promise<void> {
  const models = modelsOf(s);
  const refused = refusedIn(models, s.order);
  const answerable = models.filter((model) => !refused.includes(model.source));
  const matches = createInvoicePredicate(s.filter);
  // Per invoice: the keys it had, and whether it was there and matched the filter at every step.
  const history = new Map<string, { keys: Set<number | null>; always: boolean }>();
  let step = 0;
  const observe = () => {
    const present = new Set<string>();
    for (const model of answerable) {
      for (const invoice of model.invoices()) {
        const id = idOf(model.source, invoice);
        present.add(id);
        const entry = history.get(id) ?? { keys: new Set(), always: step === 0 };
        entry.keys.add(sortKeyOf(invoice, s.order));
        if (!matches(invoice)) entry.always = false;
        history.set(id, entry);
      }
    }
    for (const [id, entry] of history) if (!present.has(id)) entry.always = false;
    step += 1;
  };
  observe();
  const most = Math.max(0, ...models.map((model) => model.invoices().length)) + 4 * s.changes.length;
  const bound = pageBound(s, models, most * models.length, Object.keys(s.filter).length > 0 ? most : 0);
  const run = await readAll(models, s, bound + 20, (page) => {
    for (const { source, change } of s.changes[page] ?? []) models[source % models.length].apply(change);
    observe();
  });
  const counts = new Map<string, number>();
  for (const id of run.ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const [id, entry] of history) {
    if (entry.keys.size !== 1) continue;
    // Its key never changed: never twice; and listed once when it was there and matching all along.
    expect(counts.get(id) ?? 0, `${id} listed`).toBeLessThanOrEqual(1);
    if (entry.always) expect(counts.get(id) ?? 0, `${id} listed`).toBe(1);
  }
  for (const shape of run.shapes) if (shape.hasNextPage && shape.edges === 0) expect(shape.gatewayFiltered.length).toBeGreaterThan(0);
  expect(run.longestCursor).toBeLessThan(2_048);
}

const none = { invoices: [], pageSize: 2 };
const spec = (key: number, count: number, state = 0): InvoiceSpec[] => Array.from({ length: count }, () => ({ key, sub: 0, state, long: false }));
const remove = (source: number, target: number, times: number) =>
  Array.from({ length: times }, () => ({ source, change: { kind: 'delete' as const, target, key: 0, sub: 0, state: 0 } }));

/**
 * Kept as regression cases: Korint (no key bound) after invoices ahead of its position were removed: its hint must be
 * checked against the key and stepped back, or the first invoices of the key's group are skipped.
 */
const CHANGE_EXAMPLES: Array<[Scenario]> = [
  [
    {
      order: 'ISSUED_AT_DESC',
      fragmentNewestFirst: true,
      fragment: none,
      fragmentB: null,
      xero: none,
      // Newest first: the five of key 1, then the ten of key 0; the models sort by name: fragment, korint, xero.
      korint: { invoices: [...spec(1, 5), ...spec(0, 10)], pageSize: 4 },
      filter: {},
      firsts: [7],
      changes: [remove(1, 0, 3)],
      seed: 1,
    },
  ],
  [
    {
      order: 'ISSUED_AT_ASC',
      fragmentNewestFirst: true,
      fragment: none,
      fragmentB: null,
      xero: none,
      korint: { invoices: [...spec(0, 6), ...spec(2, 12)], pageSize: 5 },
      filter: {},
      firsts: [8, 3],
      changes: [remove(1, 1, 4), remove(1, 0, 1)],
      seed: 2,
    },
  ],
];

describe('listing properties (in-memory providers answering as the sandboxes do)', () => {
  it('without changes: every invoice once, in order, within the page bound, never an empty page with more to come', async () => {
    await fc.assert(fc.asyncProperty(scenario(false, false), checkWithoutChanges), { numRuns: 120 });
  }, 120_000);

  it('with filters (some applied only by the gateway): the same, empty pages only where the gateway filters', async () => {
    await fc.assert(fc.asyncProperty(scenario(false, true), checkWithoutChanges), { numRuns: 120 });
  }, 120_000);

  it('with creates, updates and removals between pages: an invoice whose key did not change is neither repeated nor skipped', async () => {
    await fc.assert(fc.asyncProperty(scenario(true, false), checkWithChanges), { numRuns: 150, examples: CHANGE_EXAMPLES });
  }, 180_000);

  it('the same with filters, where updates move invoices in and out of the listing', async () => {
    await fc.assert(fc.asyncProperty(scenario(true, true), checkWithChanges), { numRuns: 150 });
  }, 180_000);
});
