// The circuit breaker seen from GraphQL, and what a hanging provider costs a query.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { INVOICE_ROUTES, sandboxInvoiceIds } from '../support/sandbox-ids.js';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

const QUERY = `query($ids: [ID!]!) {
  invoices(ids: $ids) { id }
  sources { name health { status circuit consecutiveFailures lastErrorCode } }
}`;

describe('circuit breaker', () => {
  it('opens after the configured failures, spares the source until the cool-down, and closes after a good probe', async () => {
    let clock = 1_000_000;
    gw = await startTestGateway(['fragment', 'korint'], {
      circuit: { failureThreshold: 3, coolDownMs: 30_000, now: () => clock },
      retry: { retries: 0 },
    });
    const fragment = gw.sandbox('fragment');
    const ids = [...sandboxInvoiceIds(gw, 'fragment', 2), ...sandboxInvoiceIds(gw, 'korint', 2)];
    const health = (answer: any) => answer.data.sources.find((s: any) => s.name === 'fragment').health;

    fragment.faults.inject({ routes: [INVOICE_ROUTES.fragment], status: 500 });
    for (let i = 1; i <= 3; i++) {
      const answer = await gw.query(QUERY, { ids });
      expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE']);
    }
    expect(fragment.calls.count(INVOICE_ROUTES.fragment)).toBe(3);

    // Open: answered at once, the sandbox sees nothing, Korint is untouched.
    fragment.calls.reset();
    fragment.faults.clear();
    const open = await gw.query(QUERY, { ids });
    expect(open.errors?.map((e) => [e.extensions?.code, e.extensions?.source, e.message])).toEqual([
      ['UPSTREAM_UNAVAILABLE', 'fragment', 'fragment is unavailable (circuit open)'],
      ['UPSTREAM_UNAVAILABLE', 'fragment', 'fragment is unavailable (circuit open)'],
    ]);
    expect(open.data.invoices.slice(2)).toEqual(ids.slice(2).map((id) => ({ id })));
    expect(health(open)).toMatchObject({ status: 'DOWN', circuit: 'OPEN', lastErrorCode: 'UPSTREAM_UNAVAILABLE' });
    expect(fragment.calls.count()).toBe(0);
    expect(open.extensions?.upstream?.fragment).toMatchObject({ calls: 0, errors: ['UPSTREAM_UNAVAILABLE'] }); // one failed batch

    clock += 29_999;
    await gw.query(QUERY, { ids });
    expect(fragment.calls.count()).toBe(0);

    // After the cool-down one probe goes through; it succeeds and the circuit closes.
    clock += 1;
    const probe = await gw.query(QUERY, { ids });
    expect(probe.errors).toBeUndefined();
    expect(probe.data.invoices).toEqual(ids.map((id) => ({ id })));
    expect(fragment.calls.count(INVOICE_ROUTES.fragment)).toBe(1);
    // Root fields run side by side, so read the health once the probe's answer is in.
    const after = await gw.query(`{ sources { name health { status circuit consecutiveFailures } } }`);
    expect(health(after)).toMatchObject({ status: 'UP', circuit: 'CLOSED', consecutiveFailures: 0 });
  });

  it('opens again at once when the probe fails', async () => {
    let clock = 0;
    gw = await startTestGateway(['korint'], { circuit: { failureThreshold: 1, coolDownMs: 1_000, now: () => clock }, retry: { retries: 0 } });
    const korint = gw.sandbox('korint');
    const ids = sandboxInvoiceIds(gw, 'korint', 1);
    korint.faults.inject({ routes: [INVOICE_ROUTES.korint], status: 503 });
    await gw.query(QUERY, { ids });
    clock += 1_000;
    const probe = await gw.query(QUERY, { ids });
    expect(probe.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(korint.calls.count(INVOICE_ROUTES.korint)).toBe(2);
    const after = await gw.query(QUERY, { ids });
    expect(after.data.sources[0].health.circuit).toBe('OPEN');
    expect(korint.calls.count(INVOICE_ROUTES.korint)).toBe(2);
  });
});

describe('timeouts and the request deadline', () => {
  it('costs a query no more than the hanging provider timeout, the others answering in full', async () => {
    gw = await startTestGateway(['fragment', 'korint'], { upstreamTimeoutMs: 300, requestTimeoutMs: 10_000, retry: { retries: 0 } });
    gw.sandbox('korint').faults.inject({ routes: [INVOICE_ROUTES.korint], hang: true });
    const ids = [...sandboxInvoiceIds(gw, 'fragment', 3), ...sandboxInvoiceIds(gw, 'korint', 3)];
    const started = Date.now();
    const answer = await gw.query(QUERY, { ids });
    const elapsed = Date.now() - started;
    expect(answer.data.invoices.slice(0, 3)).toEqual(ids.slice(0, 3).map((id) => ({ id })));
    expect(answer.data.invoices.slice(3)).toEqual([null, null, null]);
    expect(answer.errors?.map((e) => [e.extensions?.code, e.extensions?.source])).toEqual(
      Array(3).fill(['UPSTREAM_TIMEOUT', 'korint']),
    );
    // Far below the 10 s request deadline: the hang cost its 300 ms timeout (plus scheduling), nothing more.
    expect(elapsed).toBeLessThan(3_000);
  });

  it('answers within the request deadline when it is shorter than the provider timeout', async () => {
    gw = await startTestGateway(['fragment', 'korint'], { upstreamTimeoutMs: 60_000, requestTimeoutMs: 500 });
    gw.sandbox('fragment').faults.inject({ routes: [INVOICE_ROUTES.fragment], hang: true });
    const ids = [...sandboxInvoiceIds(gw, 'fragment', 2), ...sandboxInvoiceIds(gw, 'korint', 2)];
    const started = Date.now();
    const answer = await gw.query(QUERY, { ids });
    const elapsed = Date.now() - started;
    expect(answer.data.invoices.slice(2)).toEqual(ids.slice(2).map((id) => ({ id })));
    expect(answer.errors?.map((e) => [e.extensions?.code, e.extensions?.source])).toEqual(
      Array(2).fill(['UPSTREAM_TIMEOUT', 'fragment']),
    );
    // The deadline, not the 60 s provider timeout, bounds the query.
    expect(elapsed).toBeLessThan(3_000);
    // The gateway keeps serving.
    gw.sandbox('fragment').faults.clear();
    const next = await gw.query(QUERY, { ids });
    expect(next.errors).toBeUndefined();
  });
});
