// A real router in front of the gateway: Hive Gateway's runtime (@graphql-hive/gateway-runtime, what the
// `hive-gateway` CLI runs), over real loopback HTTP, with a supergraph composed from the gateway's `_service { sdl }`
// (read with a key granted `compose`, introspection off as over real providers) and a customers subgraph.
// - Forwarding the end user's credential (`propagateHeaders`, docs/federation.md): each user gets exactly their own
//   grants, FORBIDDEN where their key does not reach; without a credential the router's fetch is refused.
// - A router sending its own key instead gives every user that key's grants: why docs/federation.md says to forward.
// - A supergraph still naming a type the gateway dropped: the router merges the entity fetches of one request into one
//   document, and the invoices of known types are served beside the dropped type's errors.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayServers, listen } from '../../src/http-server.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { apiKeyClients } from '../support/security.js';

const ALICE = 'k_alice_0123456789abcdef0123456789abcd'; // reads Fragment only
const BOB = 'k_bob_fedcba9876543210fedcba9876543210'; // reads every source
const ROUTER = 'k_router_00112233445566778899aabbccddeeff'; // composes, and reads everything

const CUSTOMERS_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Customer @key(fields: "id") {
    id: ID!
    name: String!
    invoices: [Invoice]!
    creditNotes: [CreditNote]!
  }
  type Invoice @key(fields: "id", resolvable: false) { id: ID! }
  type CreditNote @key(fields: "id", resolvable: false) { id: ID! }
  type Query { customer(id: ID!): Customer }
`;

// A type the invoices subgraph once had: the supergraph below still names it, the gateway no longer has it.
const DROPPED_TYPE = /* GraphQL */ `
  type CreditNote @key(fields: "id") {
    id: ID!
    remaining: String
  }
`;

const CUSTOMER = {
  id: 'cus_1',
  name: 'Customer 1',
  invoiceIds: ['fragment:Invoice:inv_0001', 'korint:Invoice:kor_inv_0001'],
  creditNoteIds: ['fragment:CreditNote:cn_1'],
};

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}

let gw: TestGateway;
const servers: Server[] = [];
let supergraphSdl: string;
let invoicesUrl: string;
let customersUrl: string;

beforeAll(async () => {
  const clients = apiKeyClients(
    [
      { name: 'alice', key: ALICE, sources: ['fragment'], operations: ['read'] },
      { name: 'bob', key: BOB, sources: '*', operations: ['read'] },
      { name: 'router', key: ROUTER, sources: '*', operations: ['read', 'compose'] },
    ],
    ['fragment', 'korint'],
  );
  gw = await startTestGateway(['fragment', 'korint'], { auth: { mode: 'api-key', clients }, introspection: false });
  const gateway = createGatewayServers(gw.gateway, { admin: false });
  invoicesUrl = `http://127.0.0.1:${await listen(gateway.public, 0, '127.0.0.1')}/graphql`;
  servers.push(gateway.public);

  const customersYoga = createYoga({
    logging: false,
    schema: buildSubgraphSchema({
      typeDefs: parse(CUSTOMERS_SDL),
      resolvers: {
        Query: { customer: (_root: unknown, { id }: { id: string }) => (id === CUSTOMER.id ? CUSTOMER : null) },
        Customer: {
          invoices: (customer: typeof CUSTOMER) => customer.invoiceIds.map((id) => ({ id })),
          creditNotes: (customer: typeof CUSTOMER) => customer.creditNoteIds.map((id) => ({ id })),
        },
      } as never,
    }),
  });
  const customers = await serve(customersYoga as never);
  customersUrl = customers.url;
  servers.push(customers.server);

  // The router's tooling reads the subgraph SDL with its own key, granted `compose`; introspection is off.
  const service = await fetch(invoicesUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ROUTER}` },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const sdl = ((await service.json()) as { data: { _service: { sdl: string } } }).data._service.sdl;
  const composition = composeServices([
    { name: 'invoices', url: invoicesUrl, typeDefs: parse(`${sdl}\n${DROPPED_TYPE}`) },
    { name: 'customers', url: customersUrl, typeDefs: parse(CUSTOMERS_SDL) },
  ]);
  if (composition.errors) throw new Error(composition.errors.map((e) => e.message).join('\n'));
  supergraphSdl = composition.supergraphSdl;
}, 60_000);

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await gw?.close();
});

type Answer = { data?: any; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }> };

/** Starts Hive Gateway over the supergraph with `propagateHeaders`, as a gateway.config.ts would configure it. */
async function startRouter(fromClientToSubgraphs: (request: Request) => Record<string, string | undefined>) {
  const runtime = createGatewayRuntime({
    supergraph: supergraphSdl,
    logging: false,
    propagateHeaders: { fromClientToSubgraphs: ({ request }) => fromClientToSubgraphs(request) },
  });
  const router = await serve(runtime as never);
  const query = async (query: string, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await fetch(router.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
    return (await response.json()) as Answer;
  };
  return {
    query,
    async close() {
      router.server.closeAllConnections();
      await new Promise((resolve) => router.server.close(resolve));
      await runtime.dispose();
    },
  };
}

const INVOICES = '{ customer(id: "cus_1") { name invoices { id number } } }';

describe('a router forwarding the end user\'s credential', () => {
  // Hive Gateway (gateway.config.ts): propagateHeaders.fromClientToSubgraphs copies the caller's credential headers.
  const forward = (request: Request) => ({
    authorization: request.headers.get('authorization') ?? undefined,
    'x-api-key': request.headers.get('x-api-key') ?? undefined,
  });

  it('gives each user their own grants: FORBIDDEN where a read-only key does not reach', async () => {
    const router = await startRouter(forward);
    try {
      const korintCalls = gw.sandbox('korint').calls.count('invoices');
      const alice = await router.query(INVOICES, { authorization: `Bearer ${ALICE}` });

      // The router keeps the id it had from the customers subgraph; every field the gateway would give is refused.
      expect(alice.data?.customer).toEqual({
        name: 'Customer 1',
        invoices: [
          { id: 'fragment:Invoice:inv_0001', number: 'inv_0001' },
          { id: 'korint:Invoice:kor_inv_0001', number: null },
        ],
      });
      expect(alice.errors).toEqual([
        expect.objectContaining({
          message: 'client "alice" may not read data of source "korint"',
          extensions: expect.objectContaining({ code: 'FORBIDDEN', source: 'korint' }),
        }),
      ]);
      // Korint was never asked on Alice's behalf.
      expect(gw.sandbox('korint').calls.count('invoices')).toBe(korintCalls);

      const bob = await router.query(INVOICES, { 'x-api-key': BOB });
      expect(bob.errors).toBeUndefined();
      expect(bob.data?.customer.invoices.map((invoice: { id: string }) => invoice.id)).toEqual(CUSTOMER.invoiceIds);
    } finally {
      await router.close();
    }
  });

  it('serves no invoice data to a user without a credential', async () => {
    const router = await startRouter(forward);
    try {
      const anonymous = await router.query(INVOICES);
      expect(anonymous.data?.customer.invoices.map((invoice: { number: string | null }) => invoice.number)).toEqual([null, null]);
      expect(new Set(anonymous.errors?.map((error) => error.extensions?.code))).toEqual(new Set(['UNAUTHENTICATED']));
    } finally {
      await router.close();
    }
  });
});

describe('a router sending its own key', () => {
  it('gives every user that key\'s grants, anonymous users included', async () => {
    const router = await startRouter(() => ({ authorization: `Bearer ${ROUTER}` }));
    try {
      const anyone = await router.query(INVOICES);
      expect(anyone.errors).toBeUndefined();
      expect(anyone.data?.customer.invoices.map((invoice: { id: string }) => invoice.id)).toEqual(CUSTOMER.invoiceIds);
    } finally {
      await router.close();
    }
  });
});

describe('a supergraph still naming a type the gateway dropped', () => {
  it('serves the invoices fetched beside it; the dropped type\'s entities answer their own error', async () => {
    const router = await startRouter((request) => ({ authorization: request.headers.get('authorization') ?? undefined }));
    try {
      const answer = await router.query('{ customer(id: "cus_1") { invoices { id number } creditNotes { id remaining } } }', {
        authorization: `Bearer ${BOB}`,
      });
      expect(answer.data?.customer.invoices).toEqual([
        { id: 'fragment:Invoice:inv_0001', number: 'inv_0001' },
        { id: 'korint:Invoice:kor_inv_0001', number: expect.any(String) },
      ]);
      expect(answer.data?.customer.creditNotes).toEqual([{ id: 'fragment:CreditNote:cn_1', remaining: null }]);
      expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors?.[0].message).toMatch(/no entity type "CreditNote"/);
    } finally {
      await router.close();
    }
  });
});
