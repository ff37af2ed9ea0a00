// The soak's traffic: a weighted, seeded mix of the queries frontends send, plus the odd malformed id, missing object
// and new invoice, so every resolver path (batched loads, single lookups, the connection, the mutation) is exercised.
import { createSeededRandom } from '../../adapters/kit/sandbox-server.js';

/** Global ids the mix draws from; known good unless named otherwise. */
export interface IdPool {
  invoices: Record<'fragment' | 'korint' | 'xero', string[]>;
  payments: string[];
  batchPayments: string[];
}

export interface SoakRequest {
  /** The mix entry it came from; responses are tallied by it. */
  kind: string;
  body: string;
}

interface MixEntry {
  kind: string;
  weight: number;
  build(pick: Picker, pool: IdPool, serial: string): { query: string; variables?: Record<string, unknown> };
}

interface Picker {
  int(min: number, max: number): number;
  one<T>(items: readonly T[]): T;
  some<T>(items: readonly T[], count: number): T[];
}

const INVOICE_FIELDS = `id status providerStatus source { name } total { amount currency minorUnits } amountDue { amount currency }`;

const MALFORMED_IDS = ['not-an-id', 'nope:Invoice:x', 'fragment:Widget:inv_0001', 'fragment:Invoice:', 'xero::abc'];
const MISSING_IDS = ['fragment:Invoice:inv_9999', 'korint:Invoice:kor_inv_9999', 'xero:Invoice:00000000-0000-4000-8000-000000000000'];

const anyInvoices = (pick: Picker, pool: IdPool, count: number) =>
  pick.some([...pool.invoices.fragment, ...pool.invoices.korint, ...pool.invoices.xero], count);

/** Weights are percentages of the requests sent. */
export const QUERY_MIX: readonly MixEntry[] = [
  {
    kind: 'invoices',
    weight: 24,
    build: (pick, pool) => ({
      query: `query($ids: [ID!]!) { invoices(ids: $ids) { ${INVOICE_FIELDS} } }`,
      variables: { ids: anyInvoices(pick, pool, pick.int(2, 40)) },
    }),
  },
  {
    kind: 'invoices-korint-simulated',
    weight: 4,
    build: (pick, pool) => ({
      query: `query($ids: [ID!]!, $at: DateTime) { invoices(ids: $ids, simulatedAt: $at) { ${INVOICE_FIELDS} } }`,
      variables: { ids: pick.some(pool.invoices.korint, pick.int(1, 10)), at: '2025-06-30T12:00:00Z' },
    }),
  },
  {
    kind: 'invoice',
    weight: 8,
    build: (pick, pool) => ({
      query: `query($id: ID!) { invoice(id: $id) { ${INVOICE_FIELDS} lineItems { description amount { amount currency } } parties { name role } } }`,
      variables: { id: anyInvoices(pick, pool, 1)[0] },
    }),
  },
  {
    kind: 'balanceSummary',
    weight: 14,
    build: (pick, pool) => ({
      query: `query($ids: [ID!]!) { balanceSummary(invoiceIds: $ids) {
        totals { currency net { expected { amount } actual { amount } remaining { amount } } }
        invoiceCount missingInvoiceIds incompleteSources complete } }`,
      variables: { ids: anyInvoices(pick, pool, pick.int(5, 60)) },
    }),
  },
  {
    kind: 'batchPayments',
    weight: 10,
    build: (pick) => ({
      query: `query($first: Int) { batchPayments(first: $first) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { node { id reference type status total { amount currency }
          payments { id amount { amount currency } invoice { id status amountDue { amount } } } } } } }`,
      variables: { first: pick.int(3, 15) },
    }),
  },
  {
    kind: 'node',
    weight: 10,
    build: (pick, pool) => ({
      query: `query($id: ID!) { node(id: $id) { id
        ... on Invoice { status total { amount currency } }
        ... on Payment { amount { amount currency } invoice { id status } }
        ... on BatchPayment { batchTotal: total { amount currency } payments { id } } } }`,
      variables: { id: pick.one([anyInvoices(pick, pool, 1)[0], pick.one(pool.payments), pick.one(pool.batchPayments)]) },
    }),
  },
  {
    kind: 'nodes',
    weight: 8,
    build: (pick, pool) => ({
      query: `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Invoice { status } ... on Payment { amount { amount } } ... on BatchPayment { batchStatus: status } } }`,
      variables: { ids: [...anyInvoices(pick, pool, pick.int(1, 10)), ...pick.some(pool.payments, pick.int(1, 5)), ...pick.some(pool.batchPayments, 2)] },
    }),
  },
  {
    kind: 'payments',
    weight: 6,
    build: (pick, pool) => ({
      query: `query($ids: [ID!]!) { payments(ids: $ids) { id direction status amount { amount currency } invoice { id status } } }`,
      variables: { ids: pick.some(pool.payments, pick.int(1, 20)) },
    }),
  },
  {
    // A malformed id next to good ones: BAD_USER_INPUT at that item, the rest answered.
    kind: 'malformed-id',
    weight: 6,
    build: (pick, pool) => ({
      query: `query($ids: [ID!]!) { invoices(ids: $ids) { id status } }`,
      variables: { ids: [...anyInvoices(pick, pool, pick.int(1, 5)), pick.one(MALFORMED_IDS)] },
    }),
  },
  {
    // A single lookup of an id that does not exist: NOT_FOUND.
    kind: 'not-found',
    weight: 4,
    build: (pick) => ({
      query: `query($id: ID!) { invoice(id: $id) { id status } }`,
      variables: { id: pick.one(MISSING_IDS) },
    }),
  },
  {
    kind: 'createInvoice',
    weight: 3,
    build: (pick, _pool, serial) => {
      const currency = pick.one(['USD', 'EUR', 'JPY']);
      // A whole number of the currency's smallest unit: JPY has no decimals.
      const amount = currency === 'JPY' ? String(pick.int(100, 99_999)) : `${pick.int(1, 999)}.${String(pick.int(0, 99)).padStart(2, '0')}`;
      return {
        query: `mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { id status total { amount currency minorUnits } } }`,
        variables: {
          input: {
            invoiceId: `soak-${serial}`,
            lineItems: [{ amount, currency, description: 'Soak', productId: 'prod_soak', type: 'PAYIN', userId: 'user_soak' }],
          },
        },
      };
    },
  },
  {
    kind: 'sources',
    weight: 3,
    build: () => ({ query: `{ sources { name kind capabilities health { status circuit consecutiveFailures lastErrorCode } } }` }),
  },
];

/** Kinds whose answers carry errors by design, and the codes they may. */
export const EXPECTED_CLIENT_CODES: Record<string, string[]> = {
  'malformed-id': ['BAD_USER_INPUT'],
  'not-found': ['NOT_FOUND'],
};

/** A seeded stream of requests following QUERY_MIX. */
export function createQueryStream(pool: IdPool, seed = 20_240_601, label = 'run'): { next(): SoakRequest } {
  const random = createSeededRandom(seed);
  const pick: Picker = {
    int: (min, max) => min + Math.floor(random() * (max - min + 1)),
    one: (items) => items[Math.floor(random() * items.length)],
    some: (items, count) => Array.from({ length: count }, () => items[Math.floor(random() * items.length)]),
  };
  const total = QUERY_MIX.reduce((sum, entry) => sum + entry.weight, 0);
  let serial = 0;
  return {
    next() {
      let roll = random() * total;
      const entry = QUERY_MIX.find((e) => (roll -= e.weight) < 0) ?? QUERY_MIX[0];
      serial += 1;
      return { kind: entry.kind, body: JSON.stringify(entry.build(pick, pool, `${label}-${serial}`)) };
    },
  };
}

/** One request of every kind, for a preflight check. */
export function oneOfEach(pool: IdPool, seed = 7): SoakRequest[] {
  const stream = createQueryStream(pool, seed, 'preflight');
  const byKind = new Map<string, SoakRequest>();
  for (let i = 0; i < 10_000 && byKind.size < QUERY_MIX.length; i++) {
    const request = stream.next();
    if (!byKind.has(request.kind)) byKind.set(request.kind, request);
  }
  return [...byKind.values()];
}
