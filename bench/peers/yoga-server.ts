// The minimal peer for bench/peers: graphql-yoga + DataLoader straight over the mock's wire, run as its own process.
// What a small hand-written server does: one OAuth token, one batch-get per DataLoader batch (200 ids), the wire objects
// as parents, amounts formatted from minor units where a resolver reads them. No validation, limits or telemetry: the
// floor a gateway with those is compared with.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import currencyCodes from 'currency-codes';
import DataLoader from 'dataloader';
import { createSchema, createYoga } from 'graphql-yoga';
import { Pool } from 'undici';

const MOCK_URL = process.env.MOCK_URL ?? 'http://127.0.0.1:4010';
const pool = new Pool(MOCK_URL, { connections: 16 });
const digits = new Map(currencyCodes.data.map((c) => [c.code, c.digits]));

type Wire = Record<string, any>;

let token: Promise<string> | undefined;
const accessToken = () =>
  (token ??= pool
    .request({ method: 'POST', path: '/oauth2/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_id=bench-client&client_secret=bench-secret' })
    .then(async (res) => ((await res.body.json()) as { access_token: string }).access_token));

async function batchGet(ids: readonly string[]): Promise<Array<Wire | null>> {
  const res = await pool.request({
    method: 'POST',
    path: '/invoices/batch-get',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await accessToken()}` },
    body: JSON.stringify({ ids }),
  });
  if (res.statusCode !== 200) throw new Error(`batch-get answered ${res.statusCode}`);
  const answer = (await res.body.json()) as { data: { invoices: Wire[] } };
  const byId = new Map(answer.data.invoices.map((invoice) => [invoice.id as string, invoice]));
  return ids.map((id) => byId.get(id) ?? null);
}

function money(minor: string, currency: string) {
  return { minor, currency };
}

function amountText({ minor, currency }: { minor: string; currency: string }): string {
  const scale = digits.get(currency) ?? 2;
  if (scale === 0) return minor;
  const negative = minor.startsWith('-');
  const padded = (negative ? minor.slice(1) : minor).padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}

const remoteId = (id: string) => id.slice(id.lastIndexOf(':') + 1);

const typeDefs = /* GraphQL */ `
  type Query {
    invoice(id: ID!): Invoice
    invoices(ids: [ID!]!): [Invoice]!
  }
  type Money { amount: String! currency: String! }
  type Amounts { expected: Money! actual: Money! remaining: Money! }
  type Balance { currency: String! net: Amounts! payins: Amounts! payouts: Amounts! }
  type Invoice {
    id: ID!
    status: String!
    providerStatus: String!
    currency: String
    total: Money
    amountDue: Money
    balances: [Balance!]!
  }
`;

const amounts = (a: Wire, currency: string) => ({
  expected: money(a.expected, currency),
  actual: money(a.actual, currency),
  remaining: money(a.remaining, currency),
});
const single = (invoice: Wire) => (invoice.balances?.length === 1 ? invoice.balances[0] : null);

const yoga = createYoga<{ loader: DataLoader<string, Wire | null> }>({
  schema: createSchema({
    typeDefs,
    resolvers: {
      Query: {
        invoice: (_root, { id }, ctx) => ctx.loader.load(remoteId(id)),
        invoices: (_root, { ids }, ctx) => ctx.loader.loadMany((ids as string[]).map(remoteId)),
      },
      Invoice: {
        id: (invoice) => `fragment:Invoice:${invoice.id}`,
        providerStatus: (invoice) => invoice.status,
        status: (invoice) => {
          const nets = (invoice.balances ?? []).map((b: Wire) => b.net).filter((n: Wire) => n.expected !== '0');
          if (nets.length === 0) return 'OPEN';
          if (nets.every((n: Wire) => BigInt(n.remaining) === 0n)) return 'PAID';
          return nets.every((n: Wire) => n.remaining === n.expected) ? 'OPEN' : 'PARTIALLY_PAID';
        },
        currency: (invoice) => single(invoice)?.currency ?? null,
        total: (invoice) => {
          const b = single(invoice);
          return b ? money(b.net.expected, b.currency) : null;
        },
        amountDue: (invoice) => {
          const b = single(invoice);
          return b ? money(b.net.remaining, b.currency) : null;
        },
        balances: (invoice) => invoice.balances ?? [],
      },
      Balance: {
        net: (b) => amounts(b.net, b.currency),
        payins: (b) => amounts(b.payins, b.currency),
        payouts: (b) => amounts(b.payouts, b.currency),
      },
      Money: { amount: (m) => amountText(m) },
    },
  }),
  context: () => ({ loader: new DataLoader(batchGet, { maxBatchSize: 200 }) }),
  logging: false,
  graphiql: false,
});

const server = createServer(yoga);
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` }));
});
