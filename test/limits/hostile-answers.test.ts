// The abusive operations of issue 17, each inside every limit as they counted before, and each one took the process
// down: aliases of `__typename` and of `id` fanned out over 1000 copies of one batch, `_entities` with 10,000 copies of
// one representation, 499 aliased `__schema` reads. Each is now refused before execution, with no upstream call; what
// is inside the budget is answered, and an answer that grows past it during execution is stopped (data dropped).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { batchFanOutQuery, entitiesFloodQuery, fragmentChainQuery, introspectionFloodQuery } from '../support/hostile-queries.js';
import { postToGateway, type HttpAnswer } from '../support/http-status.js';
import { sandboxInvoiceIds } from '../support/sandbox-ids.js';

const KINDS = ['fragment', 'korint', 'xero'];
let gw: TestGateway;
let batchIds: string[];

/** The batch with the most payments, 1000 times. */
function thousandCopiesOfOneBatch(target: TestGateway): string[] {
  const { batches } = target.sandbox<XeroSandboxHandle>('xero').dataset();
  const largest = [...batches].sort((a, b) => b.paymentIds.length - a.paymentIds.length)[0];
  return Array(1000).fill(`xero:BatchPayment:${largest.id}`);
}

beforeAll(async () => {
  gw = await startTestGateway();
  batchIds = thousandCopiesOfOneBatch(gw);
});
afterAll(() => gw.close());
beforeEach(() => {
  for (const kind of KINDS) gw.sandbox(kind).calls.reset();
});

const upstreamCalls = (target: TestGateway = gw) => KINDS.filter((kind) => target.sandboxes.handle(kind)).reduce((sum, kind) => sum + target.sandbox(kind).calls.count(), 0);

function expectRefusedBeforeExecution(result: HttpAnswer, variable: string): void {
  expect(result.status).toBe(400);
  expect(result.answer.data ?? null).toBeNull();
  expect(result.answer.errors).toHaveLength(1);
  expect(result.answer.errors![0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: variable });
  expect(upstreamCalls()).toBe(0);
}

describe('refused before execution, with the default limits', () => {
  it('2,000 aliases of __typename over 1000 copies of one batch: aliases of __typename count as aliases', async () => {
    const result = await postToGateway(gw.gateway, batchFanOutQuery(2000, '__typename'), { ids: batchIds });
    expectRefusedBeforeExecution(result, 'GATEWAY_MAX_ALIASES');
    expect(result.answer.errors![0].extensions).toMatchObject({ found: 2000 });
  });

  it('the same with 400 aliases (under the alias limit): refused for its cost, __typename counted', async () => {
    const result = await postToGateway(gw.gateway, batchFanOutQuery(400, '__typename'), { ids: batchIds });
    expectRefusedBeforeExecution(result, 'GATEWAY_MAX_COST');
    expect(result.answer.errors![0].extensions!.found).toBeGreaterThan(40_000_000);
  });

  it.each([10, 100, 498])('%i aliased ids fanned out over 1000 copies of one batch: refused for its cost', async (aliases) => {
    const result = await postToGateway(gw.gateway, batchFanOutQuery(aliases, 'id'), { ids: batchIds });
    expectRefusedBeforeExecution(result, 'GATEWAY_MAX_COST');
  });

  it('_entities with 10,000 copies of one representation and 499 aliases: refused for its cost', async () => {
    const [id] = sandboxInvoiceIds(gw, 'fragment', 1);
    const representations = Array.from({ length: 10_000 }, () => ({ __typename: 'Invoice', id }));
    const result = await postToGateway(gw.gateway, entitiesFloodQuery(499), { representations });
    expectRefusedBeforeExecution(result, 'GATEWAY_MAX_COST');
  });

  it('499 aliased __schema reads: introspection is costed like everything else', async () => {
    expectRefusedBeforeExecution(await postToGateway(gw.gateway, introspectionFloodQuery(499)), 'GATEWAY_MAX_COST');
  });

  it('a gateway still answers a normal query after them', async () => {
    const ids = sandboxInvoiceIds(gw, 'fragment', 3);
    const result = await postToGateway(gw.gateway, `query($ids: [ID!]!) { invoices(ids: $ids) { id } }`, { ids });
    expect(result.answer).toEqual({ data: { invoices: ids.map((id) => ({ id })) }, extensions: expect.anything() });
  });
});

describe('within the budget', () => {
  it('1000 copies of one batch id with a few fields: answered, with one Xero call', async () => {
    const result = await postToGateway(gw.gateway, `query($ids: [ID!]!) { batchPaymentsByIds(ids: $ids) { id __typename } }`, { ids: batchIds });
    expect(result.answer.errors).toBeUndefined();
    expect(result.answer.data.batchPaymentsByIds).toHaveLength(1000);
    expect(new Set(result.answer.data.batchPaymentsByIds.map((batch: { id: string }) => batch.id))).toEqual(new Set([batchIds[0]]));
    expect(gw.sandbox('xero').calls.count()).toBe(1);
  });

  it('a depth-2 query through a chain of 7 fragments passes a depth limit of 2: fragments add no depth', async () => {
    const shallow = await startTestGateway(['fragment'], { limits: { maxDepth: 2 } });
    try {
      const [id] = sandboxInvoiceIds(shallow, 'fragment', 1);
      const result = await postToGateway(shallow.gateway, fragmentChainQuery(id, 7));
      expect(result.answer).toMatchObject({ data: { invoice: { id } } });
      expect(result.answer.errors).toBeUndefined();
      // One level more is still refused.
      const deeper = await postToGateway(shallow.gateway, `{ invoice(id: ${JSON.stringify(id)}) { ...F } } fragment F on Invoice { total { amount } }`);
      expect(deeper.answer.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'GATEWAY_MAX_DEPTH', found: 3 });
    } finally {
      await shallow.close();
    }
  });
});

describe('an answer that grows past the budget during execution', () => {
  let small: TestGateway;
  let copies: string[];
  beforeAll(async () => {
    // Lists assumed to hold 1 item: the estimate lets the fan-out in, the batches' 4-6 payments make it 15 times larger.
    small = await startTestGateway(['xero'], { limits: { assumedListSize: 1, maxCost: 50_000 } });
    copies = thousandCopiesOfOneBatch(small);
  });
  afterAll(() => small.close());

  it('is stopped: one QUERY_TOO_COMPLEX naming the limit, no partial data', async () => {
    const result = await postToGateway(small.gateway, batchFanOutQuery(1, 'id'), { ids: copies });
    expect(result.status).toBe(200);
    expect(result.answer.data ?? null).toBeNull();
    expect(result.answer.errors).toHaveLength(1);
    expect(result.answer.errors![0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'GATEWAY_MAX_COST', maximum: 50_000 });
    expect(result.answer.errors![0].message).toContain('while it was built');
  });

  it('the same query over 100 copies fits and is answered whole', async () => {
    const result = await postToGateway(small.gateway, batchFanOutQuery(1, 'id'), { ids: copies.slice(0, 100) });
    expect(result.answer.errors).toBeUndefined();
    expect(result.answer.data.batchPaymentsByIds).toHaveLength(100);
  });
});
