// The abusive operations of issue 9 are refused with QUERY_TOO_COMPLEX before any provider is called, with the
// default limits, and the gateway answers the next normal query at once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { aliasedListsQuery, aliasedLookupsQuery, batchCycleQuery, deepDocument } from '../support/hostile-queries.js';
import { postToGateway, type HttpAnswer } from '../support/http-status.js';
import { sandboxInvoiceIds } from '../support/sandbox-ids.js';

const KINDS = ['fragment', 'korint', 'xero'];
let gw: TestGateway;
let batchId: string;

beforeAll(async () => {
  gw = await startTestGateway();
  batchId = `xero:BatchPayment:${gw.sandbox<XeroSandboxHandle>('xero').dataset().batches[0].id}`;
});
afterAll(() => gw.close());
beforeEach(() => {
  for (const kind of KINDS) gw.sandbox(kind).calls.reset();
});

const upstreamCalls = () => KINDS.map((kind) => gw.sandbox(kind).calls.count()).reduce((a, b) => a + b, 0);

/** The refusal every abusive operation gets: HTTP 400, one QUERY_TOO_COMPLEX naming the limit, no data. */
function expectRefused(result: HttpAnswer, variable: string): void {
  expect(result.status).toBe(400);
  expect(result.answer.data ?? null).toBeNull();
  expect(result.answer.errors).toHaveLength(1);
  const [error] = result.answer.errors!;
  expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: variable });
  expect(error.message).toContain(variable);
  expect(upstreamCalls()).toBe(0);
}

/** A normal query right after: answered in full, with one call per provider. */
async function expectNormalQueryAnswered(): Promise<void> {
  const ids = [...sandboxInvoiceIds(gw, 'fragment', 2), ...sandboxInvoiceIds(gw, 'korint', 2), ...sandboxInvoiceIds(gw, 'xero', 2)];
  const result = await postToGateway(gw.gateway, `query($ids: [ID!]!) { invoices(ids: $ids) { id status } }`, { ids });
  expect(result.status).toBe(200);
  expect(result.answer.errors).toBeUndefined();
  expect(result.answer.data.invoices.map((invoice: { id: string }) => invoice.id)).toEqual(ids);
  for (const kind of KINDS) expect(gw.sandbox(kind).calls.count(kind === 'fragment' ? 'batch-get' : 'invoices')).toBe(1);
}

describe('refused before execution with the default limits', () => {
  it('a 20-level payments → batch cycle (too deep)', async () => {
    expectRefused(await postToGateway(gw.gateway, batchCycleQuery(batchId, 20)), 'GATEWAY_MAX_DEPTH');
    await expectNormalQueryAnswered();
  });

  it('a 16-level cycle too', async () => {
    expectRefused(await postToGateway(gw.gateway, batchCycleQuery(batchId, 16)), 'GATEWAY_MAX_DEPTH');
  });

  it('100,000 aliases: the body limit refuses the 4 MB document (413), and with a larger body limit the parser stops at the token limit', async () => {
    const query = aliasedLookupsQuery(['fragment:Invoice:inv_0001'], 100_000);
    expect(query.length).toBeGreaterThan(4_000_000);
    const refusedBody = await postToGateway(gw.gateway, query);
    expect(refusedBody.status).toBe(413);
    expect(refusedBody.answer.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'GATEWAY_MAX_BODY_BYTES' });
    expect(upstreamCalls()).toBe(0);
    await expectNormalQueryAnswered();

    const roomy = await startTestGateway(['fragment'], { maxBodyBytes: 16_000_000 });
    try {
      const result = await postToGateway(roomy.gateway, query);
      expect(result.status).toBe(400);
      expect(result.answer.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'GATEWAY_MAX_TOKENS' });
      expect(roomy.sandbox('fragment').calls.count()).toBe(0);
    } finally {
      await roomy.close();
    }
  });

  it('600 aliases in a document under the token limit (too many aliases)', async () => {
    const result = await postToGateway(gw.gateway, aliasedLookupsQuery(['fragment:Invoice:inv_0001'], 600));
    expectRefused(result, 'GATEWAY_MAX_ALIASES');
    expect(result.answer.errors![0].extensions).toMatchObject({ maximum: 500, found: 600 });
  });

  it('100 aliases × 1000 ids passed as one variable (too many ids in the operation)', async () => {
    const ids = sandboxInvoiceIds(gw, 'fragment', 600).concat(sandboxInvoiceIds(gw, 'korint', 200), sandboxInvoiceIds(gw, 'xero', 200));
    expect(ids).toHaveLength(1000);
    const result = await postToGateway(gw.gateway, aliasedListsQuery(100), { ids });
    expectRefused(result, 'GATEWAY_MAX_IDS_PER_OPERATION');
    expect(result.answer.errors![0].extensions).toMatchObject({ maximum: 2000, found: 100_000 });
    await expectNormalQueryAnswered();
  });

  it('the same document passes with few ids: the ids are counted per request, not cached with the document', async () => {
    const query = aliasedListsQuery(3);
    const few = await postToGateway(gw.gateway, query, { ids: sandboxInvoiceIds(gw, 'fragment', 2) });
    expect(few.answer.errors).toBeUndefined();
    expect(few.answer.data.l2).toHaveLength(2);
    gw.sandbox('fragment').calls.reset();
    expectRefused(await postToGateway(gw.gateway, query, { ids: sandboxInvoiceIds(gw, 'fragment', 600).concat(sandboxInvoiceIds(gw, 'korint', 200)) }), 'GATEWAY_MAX_IDS_PER_OPERATION');
  });

  it('3 lists of 1000 Xero ids (the tenant\'s whole minute)', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `xero:Invoice:00000000-0000-0000-0000-${String(i).padStart(12, '0')}`);
    expectRefused(await postToGateway(gw.gateway, aliasedListsQuery(3), { ids }), 'GATEWAY_MAX_IDS_PER_OPERATION');
  });

  it('51 directives', async () => {
    const fields = Array.from({ length: 51 }, (_, i) => `f${i}: id @include(if: true)`).join(' ');
    expectRefused(await postToGateway(gw.gateway, `{ invoice(id: "fragment:Invoice:inv_0001") { ${fields} } }`), 'GATEWAY_MAX_DIRECTIVES');
  });

  it('a document 2,000 levels deep answers 400, not a crash', async () => {
    const result = await postToGateway(gw.gateway, deepDocument(2000));
    expect(result.status).toBe(400);
    expect(result.answer.errors?.[0]?.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
    expect(upstreamCalls()).toBe(0);
    await expectNormalQueryAnswered();
  });
});

describe('the cost estimate, when the depth limit is raised', () => {
  let deep: TestGateway;
  beforeAll(async () => {
    deep = await startTestGateway(['xero'], { limits: { maxDepth: 100 } });
  });
  afterAll(() => deep.close());

  it('still refuses the 20-level cycle, for its cost (list sizes multiplied level by level)', async () => {
    const xero = deep.sandbox<XeroSandboxHandle>('xero');
    const result = await postToGateway(deep.gateway, batchCycleQuery(`xero:BatchPayment:${xero.dataset().batches[0].id}`, 20));
    expect(result.status).toBe(400);
    expect(result.answer.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'GATEWAY_MAX_COST', maximum: 200_000 });
    expect(xero.calls.count()).toBe(0);
  });

  it('counts a page by its `first`: the same selection passes with a page of 2 and is refused with a page of 100', async () => {
    const xero = deep.sandbox<XeroSandboxHandle>('xero');
    // Per batch: 10 assumed payments × (invoice × 10 payments × (invoice × 10 payments × (invoice × 10 line items))),
    // about 12,200 objects; a page of 100 is 1.2 million, a page of 2 about 24,000.
    const page = (first: number) =>
      `{ batchPayments(first: ${first}) { edges { node { payments { invoice { payments { invoice { payments { invoice { lineItems { description } } } } } } } } } } }`;
    const result = await postToGateway(deep.gateway, page(100));
    expect(result.status).toBe(400);
    expect(result.answer.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'GATEWAY_MAX_COST' });
    expect(xero.calls.count()).toBe(0);
    const small = await postToGateway(deep.gateway, page(2));
    expect(small.answer.errors).toBeUndefined();
    expect(small.answer.data.batchPayments.edges).toHaveLength(2);
  });
});
