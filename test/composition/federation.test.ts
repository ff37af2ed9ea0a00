// The gateway as a Federation v2 subgraph, composed with a customers subgraph by @apollo/composition and run by a
// federation gateway runtime (@graphql-tools/federation): the entity fetch of every invoice is one request to us, and
// one batch per provider upstream.
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { getStitchedSchemaFromSupergraphSdl } from '@graphql-tools/federation';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { batches, countingFetch, customerRecords, uniqueIdsOf, type CustomerRecord } from './support.js';

const customers = customerRecords(true);

const CUSTOMERS_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Customer @key(fields: "id") {
    id: ID!
    name: String!
    invoices: [Invoice!]!
  }

  "An invoice of the invoice gateway; this subgraph only knows its id."
  type Invoice @key(fields: "id", resolvable: false) {
    id: ID!
  }

  type Query {
    customers(first: Int!): [Customer!]!
  }
`;

const customersYoga = createYoga({
  logging: false,
  schema: buildSubgraphSchema({
    typeDefs: parse(CUSTOMERS_SDL),
    resolvers: {
      Query: { customers: (_root: unknown, { first }: { first: number }) => customers.slice(0, first) },
      Customer: { invoices: (customer: CustomerRecord) => customer.invoiceIds.map((id) => ({ id })) },
    } as never,
  }),
});

let gw: TestGateway;
let counter: ReturnType<typeof countingFetch>;
let supergraph: ReturnType<typeof createYoga>;

async function run(query: string): Promise<{ data?: any; errors?: Array<{ message: string; extensions?: any }> }> {
  const response = await supergraph.fetch('http://supergraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: any };
}

beforeAll(async () => {
  gw = await startTestGateway(['fragment', 'korint']);
  counter = countingFetch(gw.gateway);
  // The subgraph SDL as a router's tooling reads it: from `_service { sdl }`.
  const service = await gw.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
  const composition = composeServices([
    { name: 'invoices', url: 'http://invoices.test/graphql', typeDefs: parse(service.data!._service.sdl) },
    { name: 'customers', url: 'http://customers.test/graphql', typeDefs: parse(CUSTOMERS_SDL) },
  ]);
  if (composition.errors) throw new Error(composition.errors.map((e) => e.message).join('\n'));
  const schema = getStitchedSchemaFromSupergraphSdl({
    supergraphSdl: composition.supergraphSdl,
    batch: true,
    httpExecutorOpts: ({ endpoint }) => ({
      fetch: (endpoint?.includes('invoices.test') ? counter.fetch : customersYoga.fetch) as typeof fetch,
    }),
  });
  supergraph = createYoga({ schema, logging: false, maskedErrors: false });
});
afterAll(() => gw?.close());
beforeEach(() => {
  counter.reset();
  gw.sandbox('fragment').calls.reset();
  gw.sandbox('korint').calls.reset();
});

describe('the gateway composed as a Federation v2 subgraph', () => {
  it('serves a subgraph SDL with @key on the entity types', async () => {
    const service = await gw.query('{ _service { sdl } }');
    const sdl: string = service.data._service.sdl;
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.3"');
    for (const type of ['Invoice', 'Payment', 'BatchPayment']) {
      expect(sdl).toMatch(new RegExp(`type ${type} implements Node\\s+@key\\(fields: "id"\\)`));
    }
    // The Relay page info is shareable, so a subgraph with its own PageInfo @shareable composes with us.
    expect(sdl).toMatch(/type PageInfo\s+@shareable/);
  });

  it('resolves 100 customers with their invoices in one entity fetch and one batch per provider', async () => {
    const result = await run(`{ customers(first: 100) { id name invoices { id status amountDue { amount currency } } } }`);
    expect(result.errors).toBeUndefined();
    const answered = result.data.customers as Array<{ id: string; invoices: Array<Record<string, any>> }>;
    expect(answered).toHaveLength(100);
    answered.forEach((customer, index) => {
      expect(customer.id).toBe(customers[index].id);
      expect(customer.invoices.map((invoice) => invoice.id)).toEqual(customers[index].invoiceIds);
      for (const invoice of customer.invoices) expect(invoice.status).toMatch(/^[A-Z_]+$/);
    });

    // The same data as the gateway answers directly.
    const ids = customers.flatMap((customer) => customer.invoiceIds);
    const direct = await gw.query(`query($ids: [ID!]!) { invoices(ids: $ids) { id status amountDue { amount currency } } }`, {
      ids,
    });
    expect(answered.flatMap((customer) => customer.invoices)).toEqual(direct.data.invoices);

    gw.sandbox('fragment').calls.reset();
    gw.sandbox('korint').calls.reset();
    counter.reset();
    await run(`{ customers(first: 100) { invoices { status amountDue { amount } } } }`);
    expect(counter.requests).toBe(1);
    expect(counter.bodies[0]).toContain('_entities');
    expect(gw.sandbox('fragment').calls.count('batch-get')).toBe(batches(uniqueIdsOf(customers, 'fragment').length, 200));
    expect(gw.sandbox('fragment').calls.count('get')).toBe(0);
    expect(gw.sandbox('korint').calls.count('invoices')).toBe(1);
  });

  it('reaches the gateway only for fields the customers subgraph cannot answer', async () => {
    const result = await run(`{ customers(first: 100) { id invoices { id } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.customers[99].invoices.map((invoice: { id: string }) => invoice.id)).toEqual(customers[99].invoiceIds);
    expect(counter.requests).toBe(0);
  });
});
