// Xero through the gateway (issue 4, "What it must show" 2, 3 and 5): a batch-payments page costs one listing and
// ceil(unique invoices / 50) invoice lookups; concurrent queries stay within the tenant's limits (never a 429, never
// more than 5 in flight); a 429 is waited out when Retry-After fits the request's deadline and answered as
// UPSTREAM_RATE_LIMITED otherwise; two tenants from a sources file are queried in one request, each within its limits.
// Every block starts its own gateway: the adapter's limiter remembers a tenant's minute budget and Retry-After pauses.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../../adapters/index.js';
import { startXeroSandbox, type XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import { loadConfig } from '../../src/config.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { queryGateway, startTestGateway, type TestGateway } from '../support/gateway.js';
import { sandboxInvoiceIds } from '../support/sandbox-ids.js';

/** `units` minor units at `scale` decimals as an exact decimal string (12345, 2 -> "123.45"). */
function amountOf(units: number, scale: number): string {
  const digits = String(units).padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

const EXACT_AMOUNT = /^-?\d+(\.\d+)?$/;
const remoteIdOf = (globalId: string) => globalId.split(':').slice(2).join(':');
const statusesOf = (sandbox: XeroSandboxHandle) => sandbox.calls.list().map((c) => c.status);

describe('batchPayments(first: 20) with each payment\'s invoice', () => {
  let gw: TestGateway;
  const xero = () => gw.sandbox<XeroSandboxHandle>('xero');
  beforeAll(async () => {
    gw = await startTestGateway(['xero']);
  });
  afterAll(() => gw?.close());

  it('costs one batch-payments call and ceil(unique invoices / 50) invoice calls, with exact money', async () => {
    const data = xero().dataset();
    xero().calls.reset();
    const answer = await gw.query(`{
      batchPayments(first: 20) {
        totalCount
        edges { node { id total { amount } payments { id amount { amount } invoice { number status amountDue { amount } } } } }
      }
    }`);
    expect(answer.errors).toBeUndefined();

    const connection = answer.data.batchPayments;
    // The sandbox seeds 25 batches of 4 to 6 payments each ("about five"); the first page holds 20 of them.
    expect(connection.totalCount).toBe(data.batches.length);
    expect(connection.edges).toHaveLength(20);
    const invoiceIds = new Set<string>();
    let paymentCount = 0;
    for (const { node } of connection.edges) {
      const batch = data.batchById.get(remoteIdOf(node.id))!;
      expect(batch).toBeDefined();
      expect(node.payments).toHaveLength(batch.paymentIds.length);
      expect(node.payments.length).toBeGreaterThanOrEqual(4);
      expect(node.payments.length).toBeLessThanOrEqual(6);
      const scale = data.invoiceById.get(data.paymentById.get(batch.paymentIds[0])!.invoiceId)!.scale;
      expect(node.total.amount).toBe(amountOf(batch.total, scale));
      for (const payment of node.payments) {
        paymentCount += 1;
        const seeded = data.paymentById.get(remoteIdOf(payment.id))!;
        const invoice = data.invoiceById.get(seeded.invoiceId)!;
        invoiceIds.add(invoice.id);
        expect(payment.amount.amount).toMatch(EXACT_AMOUNT);
        expect(payment.amount.amount).toBe(amountOf(seeded.amount, invoice.scale));
        // Every payment's invoice resolves, and it is the invoice the payment points at.
        expect(payment.invoice).not.toBeNull();
        expect(payment.invoice.number).toBe(invoice.number);
        expect(payment.invoice.status).toEqual(expect.any(String));
        expect(payment.invoice.amountDue.amount).toBe(amountOf(invoice.amountDue, invoice.scale));
      }
    }
    expect(paymentCount).toBeGreaterThanOrEqual(80);
    expect(paymentCount).toBeLessThanOrEqual(120);

    expect(xero().calls.count('batch-payments')).toBe(1);
    expect(xero().calls.count('invoices')).toBe(Math.ceil(invoiceIds.size / 50));
    for (const route of ['invoice', 'payments', 'payment', 'batch-payment', 'token']) expect(xero().calls.count(route)).toBe(0);
    expect(xero().calls.count()).toBe(1 + Math.ceil(invoiceIds.size / 50));
    // The invoice calls together asked for exactly the unique invoices, each once.
    const asked = xero()
      .calls.list()
      .filter((c) => c.name === 'invoices')
      .flatMap((c) => new URLSearchParams(c.query).get('IDs')!.split(','));
    expect(asked).toHaveLength(invoiceIds.size);
    expect(new Set(asked)).toEqual(invoiceIds);
  });

  it('pages with cursors and filters by type and date, the filter sent to Xero', async () => {
    const page = `query($after: String, $filter: BatchPaymentFilter) {
      batchPayments(first: 4, after: $after, filter: $filter) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id type date } }
      }
    }`;
    const first = await gw.query(page, {});
    const second = await gw.query(page, { after: first.data.batchPayments.pageInfo.endCursor });
    expect(first.errors ?? second.errors).toBeUndefined();
    const ids = (answer: any) => answer.data.batchPayments.edges.map((e: any) => e.node.id);
    expect(ids(first)).toHaveLength(4);
    expect(ids(second)).toHaveLength(4);
    expect(ids(first).filter((id: string) => ids(second).includes(id))).toEqual([]);
    expect(second.data.batchPayments.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const dates = [...first.data.batchPayments.edges, ...second.data.batchPayments.edges].map((e: any) => e.node.date);
    expect(dates).toEqual([...dates].sort().reverse());

    xero().calls.reset();
    const filtered = await gw.query(page, { filter: { type: 'PAYABLE', dateFrom: '2025-01-01' } });
    expect(filtered.errors).toBeUndefined();
    for (const edge of filtered.data.batchPayments.edges) {
      expect(edge.node.type).toBe('PAYABLE');
      expect(edge.node.date >= '2025-01-01').toBe(true);
    }
    const where = new URLSearchParams(xero().calls.list()[0].query).get('where');
    expect(where).toContain('Type=="PAYBATCH"');
    expect(where).toContain('Date >= DateTime(2025, 01, 01)');

    const bad = await gw.query(page, { after: 'not-a-cursor' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('30 concurrent queries that each need Xero', () => {
  let gw: TestGateway;
  const xero = () => gw.sandbox<XeroSandboxHandle>('xero');
  beforeAll(async () => {
    gw = await startTestGateway(['xero']);
  });
  afterAll(() => gw?.close());

  it('never make the sandbox answer 429 and never have more than 5 requests in flight for the tenant', async () => {
    const tenant = xero().tenants[0];
    // Xero's real limits; each request takes a little while, so the 30 overlap as they would at Xero.
    expect(xero().limits).toMatchObject({ concurrent: 5, perMinute: 60 });
    xero().latencyMs = 40;
    xero().resetLimits();
    xero().calls.reset();

    // 24 queries for their own slice of 5 invoices (one invoices call each) and 6 batch-payment listings (one
    // batch-payments call each): 30 calls, within the minute's 60.
    const ids = sandboxInvoiceIds(gw, 'xero', 24 * 5);
    const invoiceQueries = Array.from({ length: 24 }, (_, i) => ids.slice(i * 5, i * 5 + 5));
    const answers = await Promise.all([
      ...invoiceQueries.map((slice) => gw.query(`query($ids: [ID!]!) { invoices(ids: $ids) { id total { amount currency } } }`, { ids: slice })),
      ...Array.from({ length: 6 }, () => gw.query(`{ batchPayments(first: 5) { edges { node { id total { amount } } } } }`)),
    ]);
    xero().latencyMs = 0;

    for (const answer of answers) expect(answer.errors).toBeUndefined();
    invoiceQueries.forEach((slice, i) => {
      expect(answers[i].data.invoices.map((invoice: { id: string }) => invoice.id)).toEqual(slice);
    });
    for (const answer of answers.slice(24)) expect(answer.data.batchPayments.edges).toHaveLength(5);

    const statuses = statusesOf(xero());
    expect(statuses).not.toContain(429);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(xero().calls.count('invoices')).toBe(24);
    expect(xero().calls.count('batch-payments')).toBe(6);
    expect(xero().calls.count()).toBe(30);
    const maxInFlight = xero().maxInFlightFor(tenant);
    expect(maxInFlight).toBeLessThanOrEqual(5);
    // The queries did overlap: the limit was reached, not merely never tested.
    expect(maxInFlight).toBeGreaterThanOrEqual(2);
  });
});

describe('a 429 from Xero', () => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    gw = undefined;
  });

  it('with Retry-After 1 is waited out, and the query succeeds', async () => {
    gw = await startTestGateway(['xero']);
    const xero = gw.sandbox<XeroSandboxHandle>('xero');
    const ids = sandboxInvoiceIds(gw, 'xero', 3);
    xero.calls.reset();
    xero.faults.inject({ routes: ['invoices'], status: 429, retryAfter: 1, times: 1 });

    const answer = await gw.query(`query($ids: [ID!]!) { invoices(ids: $ids) { id total { amount } } }`, { ids });
    expect(answer.errors).toBeUndefined();
    expect(answer.data.invoices.map((invoice: { id: string }) => invoice.id)).toEqual(ids);
    expect(xero.calls.list().map((c) => [c.name, c.status])).toEqual([
      ['invoices', 429],
      ['invoices', 200],
    ]);
  });

  // Retry-After 30 is beyond what the gateway ever waits (maxRetryAfterWaitSeconds, 10 s by default); Retry-After 5 is
  // not, but the request's 2 s deadline would pass before it: both answer UPSTREAM_RATE_LIMITED at once.
  it.each([30, 5])('with Retry-After %i past the request\'s 2 s deadline answers UPSTREAM_RATE_LIMITED, the other providers complete', async (retryAfter) => {
    gw = await startTestGateway(['fragment', 'korint', 'xero'], { requestTimeoutMs: 2_000 });
    const xero = gw.sandbox<XeroSandboxHandle>('xero');
    const ids = ['fragment', 'korint', 'xero'].flatMap((kind) => sandboxInvoiceIds(gw!, kind, 3));
    const query = `query($ids: [ID!]!) { invoices(ids: $ids) { id status total { amount currency } amountDue { amount } } }`;
    const baseline = await gw.query(query, { ids });
    expect(baseline.errors).toBeUndefined();
    xero.calls.reset();
    xero.faults.inject({ routes: ['invoices'], status: 429, retryAfter });

    const answer = await gw.query(query, { ids });
    const invoices = answer.data.invoices as Array<{ id: string } | null>;
    ids.forEach((id, index) => {
      if (id.startsWith('xero:')) expect(invoices[index]).toBeNull();
      else expect(invoices[index]).toEqual(baseline.data.invoices[index]);
    });
    expect(answer.errors).toHaveLength(3);
    for (const error of answer.errors!) {
      expect(error.extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', source: 'xero' });
      // Xero's own Retry-After is passed on, so the client knows when to come back.
      expect(error.extensions?.retryAfter).toBe(retryAfter);
      expect(error.path).toEqual(['invoices', expect.any(Number)]);
    }
    // One attempt: the gateway neither waited out the pause nor retried around it.
    expect(xero.calls.list().map((c) => c.status)).toEqual([429]);

    // The pause is remembered: the next request is answered without calling Xero before Retry-After has passed.
    xero.faults.clear();
    const next = await gw.query(query, { ids });
    expect(next.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_RATE_LIMITED', 'UPSTREAM_RATE_LIMITED', 'UPSTREAM_RATE_LIMITED']);
    for (const error of next.errors!) {
      expect(error.extensions?.retryAfter).toBeGreaterThan(0);
      expect(error.extensions?.retryAfter).toBeLessThanOrEqual(retryAfter);
    }
    expect(xero.calls.count()).toBe(1);
  });
});

describe('two Xero tenants configured from a sources file', () => {
  const NZ = 'tenant-nz';
  const AU = 'tenant-au';
  let sandbox: XeroSandboxHandle;
  let gateway: Gateway;
  let dir: string;

  beforeAll(async () => {
    sandbox = await startXeroSandbox({ tenants: [NZ, AU] });
    dir = mkdtempSync(join(tmpdir(), 'xero-tenants-'));
    const file = join(dir, 'sources.json');
    const source = (name: string, tenantId: string) => ({ kind: 'xero', name, baseUrl: sandbox.apiUrl, tenantId, accessToken: sandbox.accessToken });
    writeFileSync(file, JSON.stringify({ sources: [source('xero-nz', NZ), source('xero-au', AU)] }));
    const config = loadConfig({ GATEWAY_SOURCES_FILE: file, GATEWAY_AUTH: 'none' }, providers);
    expect(config.sandbox).toBe(false);
    gateway = createGateway({ sources: config.sources });
  });
  afterAll(async () => {
    await gateway?.close();
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const callsOf = (tenant: string) => sandbox.calls.list().filter((c) => c.headers['xero-tenant-id'] === tenant);

  it('answers both tenants in one request, each tenant within its own limits', async () => {
    // The 300 seeded invoices of each tenant (the shapes and busy days left out): six calls of 50 per tenant, which overlap
    // within the tenant's 5.
    const nz = sandbox.dataset(NZ).invoices.slice(0, 300).map((invoice) => invoice.id);
    const au = sandbox.dataset(AU).invoices.slice(0, 300).map((invoice) => invoice.id);
    const ids = nz.flatMap((id, i) => [`xero-nz:Invoice:${id}`, `xero-au:Invoice:${au[i]}`]);
    sandbox.latencyMs = 30;
    sandbox.calls.reset();
    sandbox.resetLimits();

    const answer = await queryGateway(
      gateway,
      `query($ids: [ID!]!) { sources { name kind } invoices(ids: $ids) { id source { name } remoteId total { amount currency } } }`,
      { ids },
    );
    sandbox.latencyMs = 0;
    expect(answer.errors).toBeUndefined();
    expect(answer.data.sources).toEqual([
      { name: 'xero-nz', kind: 'XERO' },
      { name: 'xero-au', kind: 'XERO' },
    ]);
    expect(answer.data.invoices.map((invoice: { id: string } | null) => invoice?.id)).toEqual(ids);
    expect(answer.data.invoices[0].source).toEqual({ name: 'xero-nz' });
    expect(answer.data.invoices[1].source).toEqual({ name: 'xero-au' });

    expect(sandbox.calls.list().map((c) => c.status)).not.toContain(429);
    for (const [tenant, own] of [
      [NZ, nz],
      [AU, au],
    ] as const) {
      const calls = callsOf(tenant);
      expect(calls.map((c) => c.name)).toEqual(Array(6).fill('invoices'));
      expect(calls.every((c) => c.status === 200)).toBe(true);
      // Each tenant's calls asked for that tenant's invoices only, each once.
      const asked = calls.flatMap((c) => new URLSearchParams(c.query).get('IDs')!.split(','));
      expect(asked.sort()).toEqual([...own].sort());
      expect(sandbox.maxInFlightFor(tenant)).toBeLessThanOrEqual(5);
      expect(sandbox.maxInFlightFor(tenant)).toBeGreaterThanOrEqual(2);
    }
    expect(sandbox.calls.count()).toBe(12);
  });

  it('keeps tenants apart: an id of one tenant asked through the other source answers null', async () => {
    const nzInvoice = sandbox.dataset(NZ).invoices[0];
    sandbox.calls.reset();
    const answer = await queryGateway(
      gateway,
      `query($ids: [ID!]!) { invoices(ids: $ids) { id number } }`,
      { ids: [`xero-au:Invoice:${nzInvoice.id}`, `xero-nz:Invoice:${nzInvoice.id}`] },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data.invoices).toEqual([null, { id: `xero-nz:Invoice:${nzInvoice.id}`, number: nzInvoice.number }]);
    // Each source asked its own tenant.
    expect(callsOf(AU).map((c) => new URLSearchParams(c.query).get('IDs'))).toEqual([nzInvoice.id]);
    expect(callsOf(NZ).map((c) => new URLSearchParams(c.query).get('IDs'))).toEqual([nzInvoice.id]);
  });
});
