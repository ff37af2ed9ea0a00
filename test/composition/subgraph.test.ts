// `_entities` and `_service` served by the gateway itself, and proof that serving them changes no plain answer.
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type GraphQLAnswer, type TestGateway } from '../support/gateway.js';

let federated: TestGateway;
let plain: TestGateway;

const pad = (n: number) => String(n).padStart(4, '0');
const invoiceIds = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `fragment:Invoice:inv_${pad(from + i)}`);

const ENTITIES = /* GraphQL */ `
  query($representations: [_Any!]!) {
    _entities(representations: $representations) {
      __typename
      ... on Invoice { id status amountDue { amount currency } }
      ... on Payment { id amount { amount } invoice { id } }
      ... on BatchPayment { id }
    }
  }
`;

beforeAll(async () => {
  [federated, plain] = await Promise.all([
    startTestGateway(['fragment', 'korint']),
    startTestGateway(['fragment', 'korint'], { federation: false }),
  ]);
});
afterAll(async () => {
  await Promise.all([federated?.close(), plain?.close()]);
});
beforeEach(() => {
  for (const gw of [federated, plain]) for (const kind of ['fragment', 'korint']) gw.sandbox(kind).calls.reset();
});

describe('_entities', () => {
  it('resolves 100 invoice references through one batch-get, in order', async () => {
    const ids = invoiceIds(1, 100);
    const answer = await federated.query(ENTITIES, { representations: ids.map((id) => ({ __typename: 'Invoice', id })) });
    expect(answer.errors).toBeUndefined();
    expect(answer.data._entities.map((entity: { id: string }) => entity.id)).toEqual(ids);
    expect(answer.data._entities.every((entity: { __typename: string }) => entity.__typename === 'Invoice')).toBe(true);
    expect(federated.sandbox('fragment').calls.count('batch-get')).toBe(1);
    expect(federated.sandbox('fragment').calls.count('get')).toBe(0);
  });

  it('shares one batch per provider across entity types and sources, and answers the same as the list lookups', async () => {
    const fragmentIds = invoiceIds(1, 150);
    const korintIds = Array.from({ length: 20 }, (_, i) => `korint:Invoice:kor_inv_${pad(i + 1)}`);
    const payments = await federated.query(`{ invoices(ids: ${JSON.stringify(invoiceIds(151, 200))}) { payments { id } } }`);
    const paymentIds: string[] = payments.data.invoices.flatMap((invoice: any) => invoice.payments.map((p: any) => p.id));
    expect(paymentIds.length).toBeGreaterThan(0);
    federated.sandbox('fragment').calls.reset();

    const representations = [
      ...fragmentIds.map((id) => ({ __typename: 'Invoice', id })),
      ...korintIds.map((id) => ({ __typename: 'Invoice', id })),
      ...paymentIds.map((id) => ({ __typename: 'Payment', id })),
    ];
    const answer = await federated.query(ENTITIES, { representations });
    expect(answer.errors).toBeUndefined();
    expect(answer.data._entities.map((entity: { id: string }) => entity.id)).toEqual(representations.map((r) => r.id));
    // One batch-get for the invoice entities, one for the payment entities (Fragment's payments are read through their
    // invoices), one for the payments' `invoice` field; one Korint page.
    expect(federated.sandbox('fragment').calls.count('batch-get')).toBe(3);
    expect(federated.sandbox('korint').calls.count('invoices')).toBe(1);
    federated.sandbox('fragment').calls.reset();
    federated.sandbox('korint').calls.reset();

    const lists = await federated.query(
      `query($invoices: [ID!]!, $payments: [ID!]!) {
        invoices(ids: $invoices) { id status amountDue { amount currency } }
        payments(ids: $payments) { id amount { amount } invoice { id } }
      }`,
      { invoices: [...fragmentIds, ...korintIds], payments: paymentIds },
    );
    const strip = ({ __typename, ...rest }: Record<string, unknown>) => rest;
    expect(answer.data._entities.map(strip)).toEqual([...lists.data.invoices, ...lists.data.payments]);
    // Exactly what the same lookups cost through the list fields.
    expect(federated.sandbox('fragment').calls.count('batch-get')).toBe(3);
    expect(federated.sandbox('korint').calls.count('invoices')).toBe(1);
  });

  it('answers a bad representation with BAD_USER_INPUT for that entity alone', async () => {
    const representations = [
      { __typename: 'Invoice', id: 'fragment:Invoice:inv_0001' },
      { __typename: 'Invoice', id: 'not-a-global-id' },
      { __typename: 'Invoice', id: 'fragment:Payment:inv_0002/tx_1' },
      { __typename: 'Invoice', id: 'nowhere:Invoice:inv_0003' },
      { __typename: 'Invoice' },
      { __typename: 'Invoice', id: 'fragment:Invoice:inv_missing' },
      { __typename: 'BatchPayment', id: 'fragment:BatchPayment:bp_1' },
      { __typename: 'Invoice', id: 'fragment:Invoice:inv_0004' },
      // What a router sends while its supergraph still names a type this subgraph dropped, and worse.
      { __typename: 'LegacyInvoice', id: 'fragment:Invoice:inv_0005' },
      { id: 'fragment:Invoice:inv_0006' },
      'fragment:Invoice:inv_0007',
    ];
    const answer = await federated.query(ENTITIES, { representations });
    const entities = answer.data._entities as Array<{ id: string } | null>;
    expect(entities.map((entity) => entity?.id ?? null)).toEqual([
      'fragment:Invoice:inv_0001',
      null,
      null,
      null,
      null,
      null,
      null,
      'fragment:Invoice:inv_0004',
      null,
      null,
      null,
    ]);
    const byIndex = Object.fromEntries(answer.errors!.map((error) => [error.path![1], error.extensions?.code]));
    expect(byIndex).toEqual({
      1: 'BAD_USER_INPUT',
      2: 'BAD_USER_INPUT',
      3: 'BAD_USER_INPUT',
      4: 'BAD_USER_INPUT',
      6: 'UNSUPPORTED',
      8: 'BAD_USER_INPUT',
      9: 'BAD_USER_INPUT',
      10: 'BAD_USER_INPUT',
    });
    expect(answer.errors!.find((error) => error.path![1] === 8)?.message).toMatch(/no entity type "LegacyInvoice"/);
    // An unknown invoice is null without an error, as in invoices(ids:).
    expect(federated.sandbox('fragment').calls.count('batch-get')).toBe(1);
  });

  it('serves a fetch that still selects a type this subgraph dropped: an error for those representations alone', async () => {
    // What a router sends while its supergraph still names a type this subgraph no longer has: graphql-js would refuse
    // the whole document ("Unknown type"), and every entity of the fetch would come back null.
    const representations = [
      { __typename: 'Invoice', id: 'fragment:Invoice:inv_0001' },
      { __typename: 'LegacyInvoice', id: 'fragment:Invoice:inv_0002' },
      { __typename: 'Invoice', id: 'korint:Invoice:kor_inv_0001' },
    ];
    const inline = `query($representations: [_Any!]!) {
      _entities(representations: $representations) { __typename ... on Invoice { id } ... on LegacyInvoice { id legacyNumber } }
    }`;
    const named = `query($representations: [_Any!]!) {
      _entities(representations: $representations) { ... on Invoice { id } ...Legacy }
    }
    fragment Legacy on LegacyInvoice { id legacyNumber }`;
    for (const query of [inline, named]) {
      const answer = await federated.query(query, { representations });
      expect(answer.data._entities.map((entity: { id: string } | null) => entity?.id ?? null)).toEqual([
        'fragment:Invoice:inv_0001',
        null,
        'korint:Invoice:kor_inv_0001',
      ]);
      expect(answer.errors).toEqual([
        expect.objectContaining({ path: ['_entities', 1], extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/no entity type "LegacyInvoice"/) }),
      ]);
    }
    // Hive Gateway merges the entity fetches of one request into one document, one aliased _entities each.
    const merged = await federated.query(
      `query($a: [_Any!]!, $b: [_Any!]!) {
        _0: _entities(representations: $a) { ... on Invoice { id } }
        _1: _entities(representations: $b) { ... on LegacyInvoice { id } }
      }`,
      { a: [representations[0]], b: [representations[1]] },
    );
    expect(merged.data).toEqual({ _0: [{ id: 'fragment:Invoice:inv_0001' }], _1: [null] });
    expect(merged.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([[['_1', 0], 'BAD_USER_INPUT']]);
    // A type this subgraph has not got, outside _entities, is still refused as it always was.
    const elsewhere = await federated.query(`{ invoices(ids: []) { ... on LegacyInvoice { id } } }`);
    expect(elsewhere.errors?.[0]?.message).toMatch(/Unknown type "LegacyInvoice"/);
  });

  it('serves GATEWAY_MAX_UPSTREAM_CALLS_PER_SOURCE calls of references per source: the rest of that source answers QUERY_TOO_COMPLEX', async () => {
    // The ceiling of one fetch per source is the calls per source per operation times the provider's batch size (Xero: 50
    // ids a call, so 25 x 50 = 1,250 by default); here 2 calls, so 100 Xero references are served and 10 are not.
    const xero = await startTestGateway(['xero'], { limits: { maxUpstreamCallsPerSource: 2 } });
    try {
      const ids = xero.sandboxes.handle<import('../../adapters/xero/sandbox/xero-sandbox.js').XeroSandboxHandle>('xero')
        .dataset()
        .invoices.slice(0, 110)
        .map((invoice) => `xero:Invoice:${invoice.id}`);
      const answer = await xero.query(ENTITIES, { representations: ids.map((id) => ({ __typename: 'Invoice', id })) });
      const served = answer.data._entities.filter((entity: { id: string } | null) => entity !== null);
      expect(served.map((entity: { id: string }) => entity.id)).toEqual(ids.slice(0, 100));
      expect(answer.errors).toHaveLength(10);
      expect(new Set(answer.errors?.map((error) => error.extensions?.code))).toEqual(new Set(['QUERY_TOO_COMPLEX']));
      expect(answer.errors?.map((error) => error.path?.[1])).toEqual(Array.from({ length: 10 }, (_, i) => 100 + i));
      expect(xero.sandbox('xero').calls.count('invoices')).toBe(2);
    } finally {
      await xero.close();
    }
  });

  it('takes its own maximum (GATEWAY_MAX_ENTITIES), not the list arguments\' one, and refuses a fetch beyond it', async () => {
    const small = await startTestGateway(['fragment'], { maxIds: 3, maxEntities: 5 });
    try {
      // Routers do not split entity fetches: five entities pass where a list argument takes three ids.
      const served = await small.query(ENTITIES, {
        representations: invoiceIds(1, 5).map((id) => ({ __typename: 'Invoice', id })),
      });
      expect(served.errors).toBeUndefined();
      expect(served.data._entities.map((entity: { id: string }) => entity.id)).toEqual(invoiceIds(1, 5));
      expect(small.sandbox('fragment').calls.count('batch-get')).toBe(1);

      const refused = await small.query(ENTITIES, {
        representations: invoiceIds(1, 6).map((id) => ({ __typename: 'Invoice', id })),
      });
      expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors?.[0]?.message).toMatch(/at most 5 representations/);
      expect(small.sandbox('fragment').calls.count('batch-get')).toBe(1);
    } finally {
      await small.close();
    }
  });
});

describe('plain queries with and without federation', () => {
  const QUERIES: Array<[string, string, Record<string, unknown>?]> = [
    [
      'invoices with money, balances, payments and parties',
      `query($ids: [ID!]!) { invoices(ids: $ids) {
        id remoteId number status providerStatus currency issuedAt dueAt source { name kind }
        total { amount currency minorUnits scale } amountDue { amount minorUnits }
        balances { currency net { expected { amount } actual { amount } remaining { amount } } }
        payments { id amount { amount currency } direction invoice { id } } parties { id role }
      } }`,
      { ids: [...invoiceIds(1, 30), 'fragment:Invoice:inv_missing', 'korint:Invoice:kor_inv_0001', 'korint:Invoice:kor_inv_0002'] },
    ],
    [
      'nodes and node with type conditions',
      `{ nodes(ids: ["fragment:Invoice:inv_0007", "korint:Invoice:kor_inv_0003", "bad"]) { __typename id ... on Invoice { status } }
         node(id: "fragment:Invoice:inv_0008") { id } }`,
    ],
    ['a single lookup of a missing invoice', `{ invoice(id: "fragment:Invoice:inv_nope") { id } }`],
    [
      'balance summary',
      `{ balanceSummary(invoiceIds: ["fragment:Invoice:inv_0001", "fragment:Invoice:inv_0002", "korint:Invoice:kor_inv_0001"]) {
         totals { currency net { expected { amount } remaining { amount } } } invoiceCount complete } }`,
    ],
    ['sources', `{ sources { name kind capabilities } }`],
  ];

  const withoutExtensions = ({ extensions: _extensions, ...rest }: GraphQLAnswer) => rest;

  for (const [name, query, variables] of QUERIES) {
    it(`answers ${name} the same`, async () => {
      const [withFederation, withoutFederation] = await Promise.all([
        federated.query(query, variables),
        plain.query(query, variables),
      ]);
      expect(withFederation.data).toBeTruthy();
      expect(withoutExtensions(withFederation)).toEqual(withoutExtensions(withoutFederation));
    });
  }

  it('costs the same upstream calls', async () => {
    const [query, , variables] = QUERIES[0];
    await federated.query(query, variables);
    await plain.query(query, variables);
    for (const kind of ['fragment', 'korint']) {
      expect(federated.sandbox(kind).calls.count()).toBe(plain.sandbox(kind).calls.count());
    }
  });

  it('keeps every type and field of the plain schema unchanged; federation only adds', async () => {
    type Introspected = { name: string; fields?: Array<{ name: string }> | null };
    const introspect = async (gw: TestGateway) => {
      const answer = await gw.query<{ __schema: { types: Introspected[] } }>(getIntrospectionQuery({ descriptions: true }));
      return new Map(answer.data!.__schema.types.map((type) => [type.name, type]));
    };
    const [withFederation, withoutFederation] = await Promise.all([introspect(federated), introspect(plain)]);
    for (const [name, type] of withoutFederation) {
      const other = withFederation.get(name)!;
      if (name === 'Query') {
        expect(other.fields!.filter((field) => !field.name.startsWith('_'))).toEqual(type.fields);
        expect(other.fields!.map((field) => field.name).filter((n) => n.startsWith('_'))).toEqual(['_entities', '_service']);
      } else {
        expect(other, name).toEqual(type);
      }
    }
    const added = [...withFederation.keys()].filter((name) => !withoutFederation.has(name));
    expect(added.sort()).toEqual(['_Any', '_Entity', '_Service', 'federation__FieldSet', 'link__Import', 'link__Purpose'].sort());
  });
});
