// Shared by the listInvoices suites: a gateway over the three sandboxes with Xero's per-minute limits raised (a full
// pagination makes hundreds of calls), every seeded invoice read through the lookups (the reference the listing is
// compared with), and an independent statement of the order and the filters.
import type { FragmentSandboxHandle } from '../../adapters/fragment/sandbox/fragment-sandbox.js';
import type { KorintSandboxHandle } from '../../adapters/korint/sandbox/korint-sandbox.js';
import type { XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import { startTestGateway, type GraphQLAnswer, type TestGateway } from '../support/gateway.js';

export type Order = 'ISSUED_AT_DESC' | 'ISSUED_AT_ASC' | 'UPDATED_AT_DESC';

/** An invoice as the lookups answer it: what the order and the filters read. */
export interface Seeded {
  id: string;
  source: string;
  status: string;
  currency: string | null;
  issuedAt: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  amountDue: { amount: string } | null;
  balances: Array<{ currency: string; net: { remaining: { amount: string } }; payins: { remaining: { amount: string } }; payouts: { remaining: { amount: string } } }>;
}

const FIELDS =
  'id source { name } status currency issuedAt createdAt updatedAt amountDue { amount } balances { currency net { remaining { amount } } payins { remaining { amount } } payouts { remaining { amount } } }';

/** The global ids of every seeded invoice of the three sandboxes. */
export function seededIds(t: TestGateway): string[] {
  const fragment = t.sandbox<FragmentSandboxHandle>('fragment').store.ids().map((id) => `fragment:Invoice:${id}`);
  const korint = t.sandbox<KorintSandboxHandle>('korint').invoices.map((invoice) => `korint:Invoice:${invoice.id}`);
  const xero = t.sandbox<XeroSandboxHandle>('xero').dataset().invoices.map((invoice) => `xero:Invoice:${invoice.id}`);
  return [...fragment, ...korint, ...xero];
}

/** Every seeded invoice, read through `invoices(ids)` (the lookups), not the listing. */
export async function readSeeded(t: TestGateway): Promise<Seeded[]> {
  const ids = seededIds(t);
  const all: Seeded[] = [];
  for (let i = 0; i < ids.length; i += 1000) {
    const answer = await t.query(`query($ids: [ID!]!) { invoices(ids: $ids) { ${FIELDS} } }`, { ids: ids.slice(i, i + 1000) });
    if (answer.errors) throw new Error(JSON.stringify(answer.errors));
    all.push(...answer.data.invoices.map((invoice: any) => ({ ...invoice, source: invoice.source.name })));
  }
  return all;
}

const ms = (text: string | null) => (text ? Date.parse(text) : null);
const issued = (invoice: Seeded) => ms(invoice.issuedAt ?? invoice.createdAt);
const updated = (invoice: Seeded) => ms(invoice.updatedAt) ?? issued(invoice);

/** The documented order: the time (missing last), then the global id ascending. */
export function expectedOrder(invoices: readonly Seeded[], order: Order): string[] {
  const key = order === 'UPDATED_AT_DESC' ? updated : issued;
  const sign = order === 'ISSUED_AT_ASC' ? 1 : -1;
  return [...invoices]
    .sort((a, b) => {
      const x = key(a);
      const y = key(b);
      if (x !== y) {
        if (x === null) return 1;
        if (y === null) return -1;
        return sign * (x - y);
      }
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    })
    .map((invoice) => invoice.id);
}

/** Outstanding as the schema documents it: something remains on either side, and neither a draft nor void. */
export function isOutstanding(invoice: Seeded): boolean {
  const remains =
    invoice.balances.length === 0
      ? invoice.amountDue !== null && Number(invoice.amountDue.amount) > 0
      : invoice.balances.some((b) => Number(b.payins.remaining.amount) > 0 || Number(b.payouts.remaining.amount) > 0);
  return remains && invoice.status !== 'DRAFT' && invoice.status !== 'VOID';
}

export interface PageAnswer {
  ids: string[];
  endCursor: string | null;
  hasNextPage: boolean;
  incompleteSources: string[];
  totalCount: number | null;
  answer: GraphQLAnswer;
}

/** One page of listInvoices. */
export async function listPage(t: TestGateway, variables: Record<string, unknown>): Promise<PageAnswer> {
  const answer = await t.query(
    `query($first: Int, $after: String, $filter: InvoiceFilter, $orderBy: InvoiceOrder) {
      listInvoices(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
        edges { cursor node { id } }
        pageInfo { hasNextPage endCursor }
        incompleteSources
        totalCount
      }
    }`,
    variables,
  );
  const connection = answer.data?.listInvoices;
  return {
    ids: connection ? connection.edges.map((edge: any) => edge.node.id) : [],
    endCursor: connection?.pageInfo.endCursor ?? null,
    hasNextPage: connection?.pageInfo.hasNextPage ?? false,
    incompleteSources: connection?.incompleteSources ?? [],
    totalCount: connection?.totalCount ?? null,
    answer,
  };
}

/**
 * Reads every page; `onPage` sees each answer (for call counts). `refused` names the sources expected to answer
 * UNSUPPORTED on every page (an order they cannot list in); any other error fails.
 */
export async function listAll(
  t: TestGateway,
  variables: Record<string, unknown>,
  onPage?: (page: PageAnswer, index: number) => void | Promise<void>,
  refused: readonly string[] = [],
): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let index = 0; index < 2_000; index += 1) {
    const page = await listPage(t, { ...variables, after });
    const errors = page.answer.errors ?? [];
    const expected = errors.length === refused.length && errors.every((e, i) => e.extensions?.code === 'UNSUPPORTED' && e.extensions?.source === refused[i]);
    if (!expected || page.incompleteSources.join() !== [...refused].sort().join()) throw new Error(JSON.stringify(page.answer.errors));
    ids.push(...page.ids);
    await onPage?.(page, index);
    if (!page.hasNextPage) return ids;
    after = page.endCursor;
  }
  throw new Error('the listing did not end');
}

/** A gateway over the three sandboxes whose Xero limits let a full pagination through at once. */
export async function startListingGateway(options: Parameters<typeof startTestGateway>[1] = {}): Promise<TestGateway> {
  const t = await startTestGateway(undefined, {
    ...options,
    settings: { xero: { perMinuteLimit: 100_000 }, ...options.settings },
  });
  t.sandbox<XeroSandboxHandle>('xero').limits.perMinute = 100_000;
  t.sandbox<XeroSandboxHandle>('xero').limits.perDay = 1_000_000;
  return t;
}
