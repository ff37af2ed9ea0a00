// The gateway as a remote subschema of @graphql-tools/stitch: a customers schema lists invoice ids, type merging fetches
// the rest from us in one request, and we answer it with one batch per provider.
import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { stitchSchemas } from '@graphql-tools/stitch';
import { createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { invoiceGatewaySubschema } from '../../src/stitching.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { batches, countingFetch, customerRecords, uniqueIdsOf } from './support.js';

const customers = customerRecords(true);

/** The in-test customers service: a Customer knows only the ids of its invoices. */
const customersSchema = makeExecutableSchema({
  typeDefs: /* GraphQL */ `
    type Invoice {
      id: ID!
    }
    type Customer {
      id: ID!
      name: String!
      invoices: [Invoice!]!
    }
    type Query {
      customers(first: Int!): [Customer!]!
    }
  `,
  resolvers: {
    Query: { customers: (_root: unknown, { first }: { first: number }) => customers.slice(0, first) },
    Customer: { invoices: (customer: (typeof customers)[number]) => customer.invoiceIds.map((id) => ({ id })) },
  },
});

let gw: TestGateway;
let counter: ReturnType<typeof countingFetch>;
let stitched: ReturnType<typeof stitchSchemas>;

beforeAll(async () => {
  gw = await startTestGateway(['fragment', 'korint']);
  counter = countingFetch(gw.gateway);
  const executor = buildHTTPExecutor({ endpoint: 'http://invoice-gateway.test/graphql', fetch: counter.fetch });
  stitched = stitchSchemas({ subschemas: [{ schema: customersSchema }, invoiceGatewaySubschema(executor)] });
});
afterAll(() => gw?.close());
beforeEach(() => {
  counter.reset();
  gw.sandbox('fragment').calls.reset();
  gw.sandbox('korint').calls.reset();
});

/**
 * Runs a query on a stitched gateway served by its own Yoga (graphql-js is then the one copy node_modules uses: under
 * vitest, test files get graphql's ESM build and packages its CommonJS one).
 */
async function runOn(schema: ReturnType<typeof stitchSchemas>, query: string): Promise<{ data?: any; errors?: unknown[] }> {
  const yoga = createYoga({ schema, logging: false, maskedErrors: false });
  const response = await yoga.fetch('http://stitched.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: any; errors?: unknown[] };
}
const run = (query: string) => runOn(stitched, query);

describe('stitching the gateway with type merging', () => {
  it('answers 100 customers with their invoices in one request to the gateway and one batch per provider', async () => {
    const result = await run(`{
      customers(first: 100) { id name invoices { id status amountDue { amount currency } } }
    }`);
    expect(result.errors).toBeUndefined();
    const data = result.data as { customers: Array<{ id: string; invoices: Array<Record<string, any>> }> };
    expect(data.customers).toHaveLength(100);
    data.customers.forEach((customer, index) => {
      expect(customer.invoices.map((invoice) => invoice.id)).toEqual(customers[index].invoiceIds);
      for (const invoice of customer.invoices) {
        expect(invoice.status).toMatch(/^[A-Z_]+$/);
        if (invoice.amountDue) expect(invoice.amountDue.amount).toMatch(/^-?\d+(\.\d+)?$/);
      }
    });

    expect(counter.requests).toBe(1);
    expect(counter.bodies[0]).toContain('invoices(ids:');
    const fragmentIds = uniqueIdsOf(customers, 'fragment');
    expect(fragmentIds).toHaveLength(200);
    expect(gw.sandbox('fragment').calls.count('batch-get')).toBe(batches(fragmentIds.length, 200));
    expect(gw.sandbox('fragment').calls.count('get')).toBe(0);
    expect(gw.sandbox('korint').calls.count('invoices')).toBe(1);
  });

  it('answers the same fields as asking the gateway directly', async () => {
    const ids = customers[9].invoiceIds;
    const stitchedAnswer = await run(`{ customers(first: 10) { invoices { id status providerStatus total { amount currency minorUnits } } } }`);
    const direct = await gw.query(`query($ids: [ID!]!) { invoices(ids: $ids) { id status providerStatus total { amount currency minorUnits } } }`, {
      ids,
    });
    expect(direct.errors).toBeUndefined();
    expect((stitchedAnswer.data as any).customers[9].invoices).toEqual(direct.data.invoices);
  });

  it('merges payments through payments(ids:) as well', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `fragment:Invoice:inv_${String(i + 1).padStart(4, '0')}`);
    const direct = await gw.query(`query($ids: [ID!]!) { invoices(ids: $ids) { id payments { id amount { amount } } } }`, { ids });
    const expected = direct.data.invoices.flatMap((invoice: any) =>
      invoice.payments.map((payment: any) => ({ ...payment, invoice: { id: invoice.id } })),
    );
    expect(expected.length).toBeGreaterThan(2);
    const paymentIds: string[] = expected.map((p: { id: string }) => p.id);
    const ledger = makeExecutableSchema({
      typeDefs: `type Payment { id: ID! } type Query { ledgerPayments: [Payment!]! }`,
      resolvers: { Query: { ledgerPayments: () => paymentIds.map((id) => ({ id })) } },
    });
    const executor = buildHTTPExecutor({ endpoint: 'http://invoice-gateway.test/graphql', fetch: counter.fetch });
    const schema = stitchSchemas({ subschemas: [{ schema: ledger }, invoiceGatewaySubschema(executor)] });
    counter.reset();
    const result = await runOn(schema, `{ ledgerPayments { id amount { amount } invoice { id } } }`);
    expect(result.errors).toBeUndefined();
    expect((result.data as any).ledgerPayments).toEqual(expected);
    // The payments and their invoices come from us in one merged lookup.
    expect(counter.requests).toBe(1);
  });
});
