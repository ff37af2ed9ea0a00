// Faults are charged to whoever caused them: clients that give up open no circuit; the request's deadline is not a
// provider timeout; a hung provider costs the others one call timeout; an open circuit probes by itself and /ready stays
// 200; a create whose answer was lost says so; extensions.upstream counts token calls and each code once.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { request } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FragmentSandboxHandle } from '../../adapters/fragment/sandbox/fragment-sandbox.js';
import { GATEWAY_DEFAULTS } from '../../src/gateway.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { INVOICE_ROUTES, sandboxInvoiceIds } from '../support/sandbox-ids.js';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

const INVOICES = `query($ids: [ID!]!) { invoices(ids: $ids) { id } }`;
const fragmentIds = (count: number) => Array.from({ length: count }, (_, i) => `fragment:Invoice:inv_${String(i + 1).padStart(4, '0')}`);
const health = (source: string) => gw!.gateway.registry.get(source)!.health.current();

/** A pino logger whose entries the test reads. */
function capturingLogger() {
  const entries: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void entries.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, stopped: (by: string) => entries.filter((e) => e.msg === 'upstream call stopped' && e.abortedBy === by) };
}

const body = (ids: string[]) => JSON.stringify({ query: INVOICES, variables: { ids } });
const HEADERS = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };

describe('clients that give up', () => {
  it('ten clients aborting 1000-id queries leave the circuit closed, and the next query is served', async () => {
    const { logger, stopped } = capturingLogger();
    // Two failures would open it: the aborts must not count at all.
    gw = await startTestGateway(['fragment', 'korint'], { circuit: { failureThreshold: 2, coolDownMs: 60_000 }, logger });
    const fragment = gw.sandbox('fragment');
    fragment.faults.inject({ routes: [INVOICE_ROUTES.fragment], hang: true });
    const controllers = Array.from({ length: 10 }, () => new AbortController());
    const answers = controllers.map((controller) =>
      Promise.resolve(
        gw!.gateway.yoga.fetch('http://gateway.test/graphql', { method: 'POST', headers: HEADERS, body: body(fragmentIds(1000)), signal: controller.signal }),
      ).then(
          () => 'answered',
          () => 'aborted',
        ),
    );
    // Batch-gets hang at the provider on all of the dispatcher's 32 connections before anyone gives up.
    await vi.waitFor(() => expect(fragment.calls.count(INVOICE_ROUTES.fragment)).toBe(32), { timeout: 10_000, interval: 10 });
    for (const controller of controllers) controller.abort();
    expect(await Promise.all(answers)).toEqual(Array(10).fill('aborted'));
    // Each client's five loader batches of 200 ids are stopped and charged to the client.
    await vi.waitFor(() => expect(stopped('client')).toHaveLength(50), { timeout: 10_000, interval: 10 });

    expect(health('fragment')).toMatchObject({ circuit: 'CLOSED', status: 'UP', consecutiveFailures: 0, lastErrorCode: null });
    fragment.faults.clear();
    fragment.calls.reset();
    const next = await gw.query(INVOICES, { ids: fragmentIds(1000) });
    expect(next.errors).toBeUndefined();
    expect(next.data.invoices.slice(0, 600)).toEqual(fragmentIds(600).map((id) => ({ id })));
    expect(fragment.calls.count(INVOICE_ROUTES.fragment)).toBe(5);
  });

  it('over real HTTP too: clients that hang up mid-query open no circuit', async () => {
    const { logger, stopped } = capturingLogger();
    gw = await startTestGateway(['fragment'], { circuit: { failureThreshold: 1, coolDownMs: 60_000 }, logger });
    const server = createServer(gw.gateway.yoga);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
      const fragment = gw.sandbox('fragment');
      fragment.faults.inject({ routes: [INVOICE_ROUTES.fragment], hang: true });
      const controllers = Array.from({ length: 3 }, () => new AbortController());
      const answers = controllers.map((controller) =>
        request(url, { method: 'POST', headers: HEADERS, body: body(fragmentIds(1000)), signal: controller.signal }).then(
          () => 'answered',
          () => 'aborted',
        ),
      );
      // Each client's five loader batches of 200 ids hang at the provider.
      await vi.waitFor(() => expect(fragment.calls.count(INVOICE_ROUTES.fragment)).toBe(15), { timeout: 10_000, interval: 10 });
      for (const controller of controllers) controller.abort();
      expect(await Promise.all(answers)).toEqual(Array(3).fill('aborted'));
      await vi.waitFor(() => expect(stopped('client')).toHaveLength(15), { timeout: 10_000, interval: 10 });
      expect(health('fragment')).toMatchObject({ circuit: 'CLOSED', consecutiveFailures: 0 });

      fragment.faults.clear();
      const next = await gw.query(INVOICES, { ids: fragmentIds(3) });
      expect(next.errors).toBeUndefined();
      expect(next.data.invoices).toEqual(fragmentIds(3).map((id) => ({ id })));
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('a hung provider with the default settings', () => {
  it('costs the other providers one call timeout: their data answered, the hung source tried once, not until the deadline', async () => {
    // The defaults scaled down 50 times (10 s call timeout and 30 s deadline become 200 ms and 600 ms), retries and
    // breaker as they ship: the outcome, not the clock, shows how they combine.
    const scale = 50;
    gw = await startTestGateway(['fragment', 'korint', 'xero'], {
      upstreamTimeoutMs: GATEWAY_DEFAULTS.upstreamTimeoutMs / scale,
      requestTimeoutMs: GATEWAY_DEFAULTS.requestTimeoutMs / scale,
    });
    const korint = gw.sandbox('korint');
    korint.faults.inject({ routes: [INVOICE_ROUTES.korint], hang: true });
    const healthy = [...sandboxInvoiceIds(gw, 'fragment', 3), ...sandboxInvoiceIds(gw, 'xero', 3)];
    const hung = sandboxInvoiceIds(gw, 'korint', 3);
    const answer = await gw.query(INVOICES, { ids: [...healthy, ...hung] });

    expect(answer.data.invoices).toEqual([...healthy.map((id) => ({ id })), null, null, null]);
    // The provider's own silence past its call timeout, not the request's deadline (which would be QUERY_TOO_COMPLEX).
    expect(answer.errors?.map((e) => [e.extensions?.code, e.extensions?.source])).toEqual(Array(3).fill(['UPSTREAM_TIMEOUT', 'korint']));
    // One attempt: a provider silent for a whole call timeout is not asked again within the same request.
    expect(korint.calls.count(INVOICE_ROUTES.korint)).toBe(1);
    expect(answer.extensions?.upstream?.korint).toMatchObject({ calls: 1, failedCalls: 1, errors: [{ code: 'UPSTREAM_TIMEOUT', count: 1 }] });
    expect(health('korint')).toMatchObject({ circuit: 'CLOSED', consecutiveFailures: 1, lastErrorCode: 'UPSTREAM_TIMEOUT' });
  });
});

describe('an open circuit probes its provider by itself', () => {
  const ready = async () => {
    const response = await gw!.gateway.yoga.fetch('http://gateway.test/ready');
    return { status: response.status, body: (await response.json()) as { ready: boolean; degraded: boolean; sources: Array<Record<string, unknown>> } };
  };

  it('/ready stays 200 with the source DOWN in its body, and turns healthy with no GraphQL traffic after the cool-down', async () => {
    gw = await startTestGateway(['fragment', 'korint'], { circuit: { failureThreshold: 1, coolDownMs: 200 }, retry: { retries: 0 } });
    const korint = gw.sandbox('korint');
    // The opening query's call, then the first probe, fail; the second probe finds the provider back.
    korint.faults.inject({ routes: [INVOICE_ROUTES.korint], status: 503, times: 2 });
    const failed = await gw.query(INVOICES, { ids: sandboxInvoiceIds(gw, 'korint', 2) });
    expect(failed.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE']);

    const open = await ready();
    expect(open.status).toBe(200);
    expect(open.body.ready).toBe(true);
    expect(open.body.degraded).toBe(true);
    expect(open.body.sources.find((s) => s.source === 'korint')).toMatchObject({ circuit: 'OPEN', status: 'DOWN' });
    expect(open.body.sources.find((s) => s.source === 'fragment')).toMatchObject({ circuit: 'CLOSED', status: 'UP' });

    // No GraphQL request from here on: only the prober calls Korint.
    await vi.waitFor(() => expect(korint.calls.count(INVOICE_ROUTES.korint)).toBe(3), { timeout: 10_000, interval: 10 });
    await vi.waitFor(async () => expect((await ready()).body.sources.find((s) => s.source === 'korint')).toMatchObject({ circuit: 'CLOSED', status: 'UP' }), {
      timeout: 5_000,
      interval: 10,
    });
    const closed = await ready();
    expect(closed).toMatchObject({ status: 200, body: { ready: true, degraded: false } });
    expect(korint.calls.list().map((c) => c.status)).toEqual([503, 503, 200]);
    // Probed with one id, the provider's list-by-ids path.
    expect(new URL(korint.calls.list()[2].path + korint.calls.list()[2].query, 'http://x').searchParams.get('ids')).toBe('gateway-circuit-probe');
  });

  it('/ready answers 503 once the gateway is closing', async () => {
    gw = await startTestGateway(['korint']);
    await gw.gateway.close();
    expect((await ready()).status).toBe(503);
  });
});

describe('a create whose answer was lost', () => {
  const CREATE = `mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { id remoteId total { amount currency } } }`;
  const input = {
    invoiceId: 'gw-lost-answer-1',
    lineItems: [{ amount: '42.50', currency: 'USD', description: 'consulting', productId: 'p1', type: 'PAYIN', userId: 'u1' }],
  };

  it('answers UPSTREAM_OUTCOME_UNKNOWN with retrySafe, and re-sending the same invoiceId yields the one invoice', async () => {
    gw = await startTestGateway(['fragment']);
    const fragment = gw.sandbox<FragmentSandboxHandle>('fragment');
    const before = fragment.store.invoiceCount();
    // Fragment stores the invoice, then the connection drops before its answer, on every attempt.
    fragment.faults.inject({ routes: ['create'], dropAnswer: true });
    const lost = await gw.query(CREATE, { input });
    expect(lost.data).toBeNull();
    expect(lost.errors?.map((e) => e.extensions)).toEqual([{ code: 'UPSTREAM_OUTCOME_UNKNOWN', source: 'fragment', retrySafe: true }]);
    expect(lost.errors?.[0]?.message).toMatch(/same invoiceId again is safe/);
    expect(fragment.calls.count('create')).toBe(GATEWAY_DEFAULTS.retry.retries + 1);
    expect(fragment.store.getInvoice('gw-lost-answer-1')).toBeDefined();
    expect(fragment.store.invoiceCount()).toBe(before + 1);

    fragment.faults.clear();
    const again = await gw.query(CREATE, { input });
    expect(again.errors).toBeUndefined();
    expect(again.data.createInvoice).toEqual({ id: 'fragment:Invoice:gw-lost-answer-1', remoteId: 'gw-lost-answer-1', total: { amount: '42.50', currency: 'USD' } });
    expect(fragment.store.invoiceCount()).toBe(before + 1);
  });

  it('still answers UPSTREAM_UNAVAILABLE when the request never reached Fragment', async () => {
    gw = await startTestGateway(['fragment'], { retry: { retries: 0 } });
    const fragment = gw.sandbox<FragmentSandboxHandle>('fragment');
    fragment.faults.inject({ routes: ['create'], status: 503 });
    const refused = await gw.query(CREATE, { input: { ...input, invoiceId: 'gw-refused-1' } });
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(refused.errors?.[0]?.extensions?.retrySafe).toBeUndefined();
    expect(fragment.store.getInvoice('gw-refused-1')).toBeUndefined();
  });
});

describe('extensions.upstream', () => {
  it('counts every call made for the request, the token fetch included', async () => {
    gw = await startTestGateway(['fragment']);
    const fragment = gw.sandbox('fragment');
    const first = await gw.query(INVOICES, { ids: fragmentIds(2) });
    expect(fragment.calls.list().map((c) => c.name)).toEqual(['token', 'batch-get']);
    expect(first.extensions?.upstream?.fragment).toMatchObject({ calls: 2, failedCalls: 0, errors: [] });
    const second = await gw.query(INVOICES, { ids: fragmentIds(2) });
    expect(second.extensions?.upstream?.fragment).toMatchObject({ calls: 1 });
  });

  it('lists each error code once, with its count', async () => {
    gw = await startTestGateway(['fragment'], { retry: { retries: 0 }, circuit: { failureThreshold: 100, coolDownMs: 1_000 } });
    const fragment = gw.sandbox('fragment');
    fragment.faults.inject({ routes: [INVOICE_ROUTES.fragment], status: 503 });
    const answer = await gw.query(INVOICES, { ids: fragmentIds(600) });
    expect(answer.errors).toHaveLength(600);
    // Three loader batches of 200 ids failed: one code, counted three times, not 600 entries.
    expect(answer.extensions?.upstream?.fragment).toMatchObject({ calls: 4, failedCalls: 3, errors: [{ code: 'UPSTREAM_UNAVAILABLE', count: 3 }] });
  });
});
