// Limits that act during execution: upstream calls per source per operation, objects resolved, response bytes. Past
// one, that part answers QUERY_TOO_COMPLEX and the rest of the response stands.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { postToGateway } from '../support/http-status.js';
import { sandboxInvoiceIds } from '../support/sandbox-ids.js';

const KINDS = ['fragment', 'korint'];
const LOOKUP = `query($ids: [ID!]!) { invoices(ids: $ids) { id total { amount currency } } }`;

describe('upstream calls per source per operation', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(KINDS, { limits: { maxUpstreamCallsPerSource: 2 } });
  });
  afterAll(() => gw.close());
  beforeEach(() => KINDS.forEach((kind) => gw.sandbox(kind).calls.reset()));

  it('serves the first two Fragment batches, answers the rest QUERY_TOO_COMPLEX with the source, and serves Korint', async () => {
    // 600 Fragment ids are 3 batch-gets of 200; the budget allows 2.
    const fragmentIds = sandboxInvoiceIds(gw, 'fragment', 600);
    const korintIds = sandboxInvoiceIds(gw, 'korint', 5);
    const result = await postToGateway(gw.gateway, LOOKUP, { ids: [...fragmentIds, ...korintIds] });
    expect(result.status).toBe(200);
    const invoices = result.answer.data.invoices as Array<{ id: string } | null>;
    expect(invoices.slice(0, 400).map((invoice) => invoice?.id)).toEqual(fragmentIds.slice(0, 400));
    expect(invoices.slice(400, 600).every((invoice) => invoice === null)).toBe(true);
    expect(invoices.slice(600).map((invoice) => invoice?.id)).toEqual(korintIds);

    const errors = result.answer.errors!;
    expect(errors).toHaveLength(200);
    expect(new Set(errors.map((error) => error.path![1]))).toEqual(new Set(Array.from({ length: 200 }, (_, i) => 400 + i)));
    for (const error of errors) {
      expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', source: 'fragment' });
      expect(error.message).toContain('GATEWAY_MAX_UPSTREAM_CALLS_PER_SOURCE');
    }
    expect(gw.sandbox('fragment').calls.count('batch-get')).toBe(2);
    expect(gw.sandbox('korint').calls.count('invoices')).toBe(1);
  });

  it('is per operation, and its refusals open no circuit: the next operation gets its own budget', async () => {
    for (let i = 0; i < 3; i++) {
      await postToGateway(gw.gateway, LOOKUP, { ids: sandboxInvoiceIds(gw, 'fragment', 600) });
    }
    const result = await postToGateway(
      gw.gateway,
      `query($ids: [ID!]!) { invoices(ids: $ids) { id } sources { name health { status circuit consecutiveFailures } } }`,
      { ids: sandboxInvoiceIds(gw, 'fragment', 400) },
    );
    expect(result.answer.errors).toBeUndefined();
    expect(result.answer.data.invoices).toHaveLength(400);
    const fragment = result.answer.data.sources.find((source: { name: string }) => source.name === 'fragment');
    expect(fragment.health).toMatchObject({ circuit: 'CLOSED', consecutiveFailures: 0 });
    expect(gw.sandbox('fragment').calls.count('batch-get')).toBe(3 * 2 + 2);
  });
});

describe('upstream calls per source, for a listing page', () => {
  it('refuses the page\'s calls past the budget: the sources are named incomplete, nothing reaches them', async () => {
    const gw = await startTestGateway(KINDS, { limits: { maxUpstreamCallsPerSource: 0 } });
    try {
      const result = await postToGateway(gw.gateway, `{ listInvoices(first: 5) { nodes { id } incompleteSources } }`);
      expect(result.answer.data.listInvoices.nodes).toEqual([]);
      expect([...result.answer.data.listInvoices.incompleteSources].sort()).toEqual(KINDS);
      const codes = new Set(result.answer.errors?.map((error) => `${error.extensions?.source}:${error.extensions?.code}`));
      expect(codes).toEqual(new Set(KINDS.map((kind) => `${kind}:QUERY_TOO_COMPLEX`)));
      for (const kind of KINDS) expect(gw.sandbox(kind).calls.count()).toBe(0);
    } finally {
      await gw.close();
    }
  });
});

describe('objects resolved per operation', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(['fragment'], { limits: { maxObjects: 130 } });
  });
  afterAll(() => gw.close());

  it('resolves the first 130 objects and answers one QUERY_TOO_COMPLEX for the rest', async () => {
    const ids = sandboxInvoiceIds(gw, 'fragment', 100);
    gw.sandbox('fragment').calls.reset();
    const result = await postToGateway(gw.gateway, LOOKUP, { ids });
    expect(result.status).toBe(200);
    const invoices = result.answer.data.invoices as Array<{ id: string; total: { amount: string } | null }>;
    // The list is 100 objects, so 30 totals fit; the other 70 are null.
    expect(invoices.map((invoice) => invoice.id)).toEqual(ids);
    expect(invoices.filter((invoice) => invoice.total !== null)).toHaveLength(30);
    expect(result.answer.errors).toHaveLength(1);
    expect(result.answer.errors![0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'GATEWAY_MAX_OBJECTS', maximum: 130 });
    expect(gw.sandbox('fragment').calls.count('batch-get')).toBe(1);
  });

  it('stops fetching once spent: the invoices of later payments are never asked for', async () => {
    const xeroGw = await startTestGateway(['xero'], { limits: { maxObjects: 60 } });
    try {
      const data = xeroGw.sandbox<XeroSandboxHandle>('xero').dataset();
      const ids = data.batches.map((batch) => `xero:BatchPayment:${batch.id}`);
      const invoicesOfAll = new Set(data.batches.flatMap((batch) => batch.paymentIds.map((id) => data.paymentById.get(id)!.invoiceId)));
      expect(Math.ceil(invoicesOfAll.size / 50)).toBeGreaterThan(1);
      const result = await postToGateway(xeroGw.gateway, `query($ids: [ID!]!) { batchPaymentsByIds(ids: $ids) { id payments { id invoice { id } } } }`, {
        ids,
      });
      // One error for the objects not resolved, and at most one for the invoice lookup its spending stopped.
      const codes = result.answer.errors?.map((error) => error.extensions?.code) ?? [];
      expect(codes[0]).toBe('QUERY_TOO_COMPLEX');
      expect(codes.length).toBeLessThanOrEqual(2);
      expect(new Set(codes)).toEqual(new Set(['QUERY_TOO_COMPLEX']));
      const batches = result.answer.data.batchPaymentsByIds as Array<{ id: string } | null>;
      expect(batches[0]?.id).toBe(ids[0]);
      expect(batches.at(-1)).toBeNull();
      // Without the limit the invoices take ceil(unique / 50) calls; within it, at most the one batch already asked
      // for when the budget ran out (stopped with the rest of the request's calls).
      expect(xeroGw.sandbox('xero').calls.count('invoices')).toBeLessThanOrEqual(1);
    } finally {
      await xeroGw.close();
    }
  });
});

describe('objects resolved, with a call still running', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(KINDS, { limits: { maxObjects: 50 }, upstreamTimeoutMs: 5_000 });
  });
  afterAll(() => gw.close());

  it('stops the calls still running once the budget is spent: charged to the limit, not to the provider', async () => {
    // Korint never answers; Fragment's 40 invoices and 10 of their totals spend the 50 objects, and the Korint call still
    // waiting is stopped: without that, it would end as UPSTREAM_TIMEOUT after 5 s.
    gw.sandbox('korint').faults.inject({ hang: true, routes: ['invoices'] });
    const result = await postToGateway(
      gw.gateway,
      `query($f: [ID!]!, $k: ID!) { a: invoices(ids: $f) { id total { amount } } b: invoice(id: $k) { id } }`,
      { f: sandboxInvoiceIds(gw, 'fragment', 40), k: sandboxInvoiceIds(gw, 'korint', 1)[0] },
    );
    gw.sandbox('korint').faults.clear();
    expect(result.answer.data.a).toHaveLength(40);
    expect(result.answer.data.b).toBeNull();
    const errors = result.answer.errors!;
    expect(errors.filter((error) => error.extensions?.limit === 'GATEWAY_MAX_OBJECTS')).toHaveLength(1);
    const korint = errors.filter((error) => error.extensions?.source === 'korint');
    expect(korint).toHaveLength(1);
    for (const error of korint) {
      expect(error.extensions?.code).toBe('QUERY_TOO_COMPLEX');
      expect(error.message).toContain('GATEWAY_MAX_OBJECTS');
    }
    const sources = await postToGateway(gw.gateway, `{ sources { name health { circuit consecutiveFailures } } }`);
    const health = sources.answer.data.sources.find((source: { name: string }) => source.name === 'korint').health;
    expect(health).toEqual({ circuit: 'CLOSED', consecutiveFailures: 0 });
  });
});

describe('response bytes', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(['fragment'], { limits: { maxResponseBytes: 4096 } });
  });
  afterAll(() => gw.close());

  it('stops the answer once it grows past the limit: one QUERY_TOO_COMPLEX, no data, and small answers as usual', async () => {
    const big = await postToGateway(gw.gateway, LOOKUP, { ids: sandboxInvoiceIds(gw, 'fragment', 100) });
    expect(big.status).toBe(200);
    expect(big.answer.data ?? null).toBeNull();
    expect(big.answer.errors).toHaveLength(1);
    expect(big.answer.errors![0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'GATEWAY_MAX_RESPONSE_BYTES', maximum: 4096 });
    expect(big.headers.get('content-type')).toMatch(/json/);
    expect(big.headers.get('x-request-id')).toBeTruthy();
    expect(Number(big.headers.get('content-length'))).toBeLessThan(4096);

    const small = await postToGateway(gw.gateway, LOOKUP, { ids: sandboxInvoiceIds(gw, 'fragment', 3) });
    expect(small.answer.errors).toBeUndefined();
    expect(small.answer.data.invoices).toHaveLength(3);
  });
});
