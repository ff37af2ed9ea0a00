// Grants (issue 9, part 1): enforced where a source is asked for data, so every way in inherits them. A client granted
// only `xero-nz` gets its Xero items and FORBIDDEN for each Fragment or Korint item of the same list, and those sandboxes
// see no call at all; node(s), _entities, nested lookups, balanceSummary, batchPayments and sources follow the same
// grants; createInvoice needs `create`. Grants from JWT claims (scope, invoice_sources) work the same way.
import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FragmentSandboxHandle } from '../../adapters/fragment/sandbox/fragment-sandbox.js';
import type { XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { apiKeyClients, post } from '../support/security.js';

const KEYS = { nz: 'key-nz-reader', reader: 'key-reader', writer: 'key-writer', fragment: 'key-fragment-reader' };
const SECRET = 'grants-test-hs256-secret-of-32-characters';
const SOURCES = ['fragment', 'korint', 'xero-nz'];

let gw: TestGateway;
const xero = () => gw.sandbox<XeroSandboxHandle>('xero');
const fragment = () => gw.sandbox<FragmentSandboxHandle>('fragment');
const calls = (kind: string, route?: string) => gw.sandbox(kind).calls.count(route);
const as = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
const ask = (key: string, query: string, variables?: Record<string, unknown>) => post(gw.gateway, query, { ...as(key), variables });

beforeAll(async () => {
  gw = await startTestGateway(undefined, {
    settings: { xero: { name: 'xero-nz' } },
    auth: {
      mode: 'api-key,jwt',
      clients: apiKeyClients(
        [
          { name: 'nz-reader', key: KEYS.nz, sources: ['xero-nz'], operations: ['read'] },
          { name: 'reader', key: KEYS.reader, sources: '*', operations: ['read'] },
          { name: 'writer', key: KEYS.writer, sources: '*', operations: ['read', 'create'] },
          { name: 'fragment-reader', key: KEYS.fragment, sources: ['fragment'], operations: ['read'] },
        ],
        SOURCES,
      ),
      jwt: { secret: SECRET, issuer: 'https://issuer.test/', audience: 'invoice-gateway' },
    },
  });
});
afterAll(() => gw?.close());
beforeEach(() => {
  for (const kind of ['fragment', 'korint', 'xero']) gw.sandbox(kind).calls.reset();
});

const xeroInvoiceIds = (count: number) => xero().dataset().invoices.slice(0, count).map((i) => `xero-nz:Invoice:${i.id}`);

function expectForbidden(error: { extensions?: Record<string, unknown>; path?: unknown } | undefined, source: string, path: unknown[]) {
  expect(error).toMatchObject({ path, extensions: { code: 'FORBIDDEN', source } });
}

describe('a client granted only xero-nz', () => {
  it('gets its Xero invoices and FORBIDDEN for each fragment: and korint: id of a mixed invoices(ids:) list; Fragment and Korint see no call', async () => {
    const [x1, x2, x3] = xeroInvoiceIds(3);
    const ids = [x1, 'fragment:Invoice:inv_0001', x2, 'korint:Invoice:kor_inv_0002', 'fragment:Invoice:inv_0002', x3];
    const answer = await ask(KEYS.nz, 'query($ids: [ID!]!) { invoices(ids: $ids) { id number } }', { ids });
    expect(answer.status).toBe(200);
    expect(answer.body.data.invoices.map((i: { id: string } | null) => i?.id ?? null)).toEqual([x1, null, x2, null, null, x3]);
    const errors = [...(answer.body.errors ?? [])].sort((a, b) => Number(a.path![1]) - Number(b.path![1]));
    expect(errors).toHaveLength(3);
    expectForbidden(errors[0], 'fragment', ['invoices', 1]);
    expectForbidden(errors[1], 'korint', ['invoices', 3]);
    expectForbidden(errors[2], 'fragment', ['invoices', 4]);
    expect(errors[0].message).toBe('client "nz-reader" may not read data of source "fragment"');
    expect(calls('fragment')).toBe(0);
    expect(calls('korint')).toBe(0);
    expect(calls('xero', 'invoices')).toBe(1);
  });

  it('gets FORBIDDEN from node, nodes and _entities for other sources, and their objects of xero-nz', async () => {
    const [x1] = xeroInvoiceIds(1);
    const payment = xero().dataset().payments[0];
    const answer = await ask(
      KEYS.nz,
      `query($reps: [_Any!]!) {
        one: node(id: "fragment:Invoice:inv_0001") { id }
        mine: node(id: "${x1}") { id }
        nodes(ids: ["korint:Invoice:kor_inv_0001", "xero-nz:Payment:${payment.id}"]) { id }
        _entities(representations: $reps) { ... on Invoice { id } }
      }`,
      { reps: [{ __typename: 'Invoice', id: 'fragment:Invoice:inv_0003' }, { __typename: 'Invoice', id: x1 }] },
    );
    expect(answer.body.data).toEqual({
      one: null,
      mine: { id: x1 },
      nodes: [null, { id: `xero-nz:Payment:${payment.id}` }],
      _entities: [null, { id: x1 }],
    });
    const byPath = Object.fromEntries((answer.body.errors ?? []).map((e) => [e.path!.join('.'), e.extensions]));
    expect(byPath).toEqual({
      one: expect.objectContaining({ code: 'FORBIDDEN', source: 'fragment' }),
      'nodes.0': expect.objectContaining({ code: 'FORBIDDEN', source: 'korint' }),
      '_entities.0': expect.objectContaining({ code: 'FORBIDDEN', source: 'fragment' }),
    });
    expect(calls('fragment') + calls('korint')).toBe(0);
  });

  it('follows a payment to its invoice and a batch to its payments within xero-nz', async () => {
    const batch = xero().dataset().batches[0];
    const answer = await ask(KEYS.nz, `{ batchPaymentsByIds(ids: ["xero-nz:BatchPayment:${batch.id}"]) { payments { id invoice { id } } } }`);
    expect(answer.body.errors).toBeUndefined();
    const payments = answer.body.data.batchPaymentsByIds[0].payments;
    expect(payments).toHaveLength(batch.paymentIds.length);
    for (const p of payments) expect(p.invoice.id).toMatch(/^xero-nz:Invoice:/);
  });

  it('counts only xero-nz invoices in balanceSummary and names the forbidden ids, never summing them', async () => {
    // Four issued invoices (drafts are not money yet, and balanceSummary leaves them out of the count: docs/model.md).
    const xeroIds = xero()
      .dataset()
      .invoices.filter((i) => i.status !== 'DRAFT' && i.status !== 'SUBMITTED')
      .slice(0, 4)
      .map((i) => `xero-nz:Invoice:${i.id}`);
    const forbidden = ['fragment:Invoice:inv_0004', 'korint:Invoice:kor_inv_0002'];
    const QUERY = `query($ids: [ID!]!) { balanceSummary(invoiceIds: $ids) {
      invoiceCount missingInvoiceIds forbiddenInvoiceIds incompleteSources complete totals { currency net { expected { amount } } } } }`;
    const mixed = await ask(KEYS.nz, QUERY, { ids: [...xeroIds, ...forbidden] });
    const xeroOnly = await ask(KEYS.reader, QUERY, { ids: xeroIds });
    expect(mixed.body.errors).toBeUndefined();
    expect(mixed.body.data.balanceSummary).toEqual({
      ...xeroOnly.body.data.balanceSummary,
      forbiddenInvoiceIds: forbidden,
      complete: false,
    });
    expect(mixed.body.data.balanceSummary.invoiceCount).toBe(4);
    expect(calls('fragment') + calls('korint')).toBe(0);
  });

  it('lists only xero-nz invoices in listInvoices, and Fragment and Korint see no call', async () => {
    const answer = await ask(KEYS.nz, '{ listInvoices(first: 10) { nodes { id } incompleteSources } }');
    expect(answer.body.errors).toBeUndefined();
    const ids = answer.body.data.listInvoices.nodes.map((n: { id: string }) => n.id);
    expect(ids).toHaveLength(10);
    for (const id of ids) expect(id).toMatch(/^xero-nz:Invoice:/);
    const named = await ask(KEYS.nz, '{ listInvoices(first: 10, filter: { sources: ["fragment"] }) { nodes { id } } }');
    expect(named.body.data?.listInvoices?.nodes ?? []).toEqual([]);
    expect(named.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', source: 'fragment' });
    expect(calls('fragment') + calls('korint')).toBe(0);
  });

  it('sees only xero-nz in sources', async () => {
    const mine = await ask(KEYS.nz, '{ sources { name } }');
    expect(mine.body.data.sources).toEqual([{ name: 'xero-nz' }]);
    const all = await ask(KEYS.reader, '{ sources { name } }');
    expect(all.body.data.sources.map((s: { name: string }) => s.name).sort()).toEqual(SOURCES);
  });
});

describe('batchPayments', () => {
  it('serves a client granted xero-nz, and answers FORBIDDEN without calling Xero for one that is not', async () => {
    const mine = await ask(KEYS.nz, '{ batchPayments(first: 2) { edges { node { id } } } }');
    expect(mine.body.errors).toBeUndefined();
    expect(mine.body.data.batchPayments.edges).toHaveLength(2);
    xero().calls.reset();
    for (const args of ['first: 2', 'first: 2, source: "xero-nz"']) {
      const other = await ask(KEYS.fragment, `{ batchPayments(${args}) { edges { node { id } } } }`);
      expect(other.body.data).toEqual({ batchPayments: null });
      expect(other.body.errors).toEqual([expect.objectContaining({ path: ['batchPayments'], extensions: { code: 'FORBIDDEN', source: 'xero-nz' } })]);
    }
    expect(calls('xero')).toBe(0);
  });
});

describe('createInvoice', () => {
  const CREATE = (invoiceId: string) => `mutation { createInvoice(input: { invoiceId: "${invoiceId}", lineItems: [
    { amount: "12.50", currency: "USD", description: "Seats", productId: "seat", type: PAYIN, userId: "user-1" }] }) { id } }`;

  it('is FORBIDDEN to a read-only client, and nothing reaches Fragment', async () => {
    const before = fragment().store.invoiceCount();
    for (const key of [KEYS.reader, KEYS.nz]) {
      const answer = await ask(key, CREATE(`grants-read-only-${key}`));
      expect(answer.body.data).toBeNull();
      expect(answer.body.errors).toEqual([expect.objectContaining({ path: ['createInvoice'], extensions: { code: 'FORBIDDEN', source: 'fragment' } })]);
    }
    // Naming a source: FORBIDDEN comes before what the source can do, so nothing about it is learnt.
    const named = await ask(KEYS.nz, CREATE('grants-named').replace('input: {', 'input: { source: "korint",'));
    expect(named.body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN', source: 'korint' });
    expect(fragment().store.invoiceCount()).toBe(before);
    expect(calls('fragment', 'create')).toBe(0);
  });

  it('creates for a client granted create', async () => {
    const before = fragment().store.invoiceCount();
    const answer = await ask(KEYS.writer, CREATE('grants-writer-1'));
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.createInvoice.id).toMatch(/^fragment:Invoice:/);
    expect(fragment().store.invoiceCount()).toBe(before + 1);
    expect(calls('fragment', 'create')).toBe(1);
  });
});

describe('grants from JWT claims', () => {
  const token = (claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('https://issuer.test/')
      .setAudience('invoice-gateway')
      .setSubject('partner-portal')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(SECRET));

  it('reads scope and invoice_sources: the listed sources only, and no create without invoices:create', async () => {
    const bearer = await token({ scope: 'invoices:read', invoice_sources: ['xero-nz'] });
    const sources = await ask(bearer, '{ sources { name } }');
    expect(sources.body.data.sources).toEqual([{ name: 'xero-nz' }]);
    const before = fragment().store.invoiceCount();
    const create = await ask(
      bearer,
      'mutation { createInvoice(input: { source: "fragment", invoiceId: "jwt-1", lineItems: [{ amount: "1.00", currency: "USD", description: "d", productId: "p", type: PAYIN, userId: "u" }] }) { id } }',
    );
    expect(create.body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN', source: 'fragment' });
    expect(fragment().store.invoiceCount()).toBe(before);
    const read = await ask(bearer, '{ invoice(id: "fragment:Invoice:inv_0001") { id } }');
    expect(read.body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN', source: 'fragment' });
    expect(calls('fragment')).toBe(0);
  });

  it('grants nothing to a token without invoice_sources', async () => {
    const bearer = await token({ scope: 'invoices:read invoices:create' });
    const answer = await ask(bearer, '{ sources { name } invoice(id: "fragment:Invoice:inv_0001") { id } }');
    expect(answer.body.data).toEqual({ sources: [], invoice: null });
    expect(answer.body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN', source: 'fragment' });
    expect(calls('fragment')).toBe(0);
  });
});
