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
      // The test moves the breaker's clock by hand: traffic alone probes here (self-probes have tests of their own).
      circuit: { failureThreshold: 3, coolDownMs: 30_000, now: () => clock, selfProbe: false },
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
    expect(open.extensions?.upstream?.fragment).toMatchObject({ calls: 0, errors: [{ code: 'UPSTREAM_UNAVAILABLE', count: 1 }] }); // one failed batch

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
    gw = await startTestGateway(['korint'], { circuit: { failureThreshold: 1, coolDownMs: 1_000, now: () => clock, selfProbe: false }, retry: { retries: 0 } });
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
  it('costs a query one call timeout of the hanging provider: one attempt, the others answering in full', async () => {
    // Retries as they ship: a provider silent for a whole call timeout is not asked again.
    gw = await startTestGateway(['fragment', 'korint'], { upstreamTimeoutMs: 300, requestTimeoutMs: 10_000 });
    const korint = gw.sandbox('korint');
    korint.faults.inject({ routes: [INVOICE_ROUTES.korint], hang: true });
    const ids = [...sandboxInvoiceIds(gw, 'fragment', 3), ...sandboxInvoiceIds(gw, 'korint', 3)];
    const answer = await gw.query(QUERY, { ids });
    expect(answer.data.invoices.slice(0, 3)).toEqual(ids.slice(0, 3).map((id) => ({ id })));
    expect(answer.data.invoices.slice(3)).toEqual([null, null, null]);
    // UPSTREAM_TIMEOUT (the provider's silence), not the 10 s deadline's QUERY_TOO_COMPLEX: the call timeout bounded it.
    expect(answer.errors?.map((e) => [e.extensions?.code, e.extensions?.source])).toEqual(
      Array(3).fill(['UPSTREAM_TIMEOUT', 'korint']),
    );
    expect(korint.calls.count(INVOICE_ROUTES.korint)).toBe(1);
    expect(gw.gateway.registry.get('korint')!.health.current()).toMatchObject({ consecutiveFailures: 1, lastErrorCode: 'UPSTREAM_TIMEOUT' });
  });

  it('stops a call at the request deadline when it is shorter than the provider timeout: QUERY_TOO_COMPLEX, not charged to the provider', async () => {
    gw = await startTestGateway(['fragment', 'korint'], { upstreamTimeoutMs: 60_000, requestTimeoutMs: 300 });
    const fragment = gw.sandbox('fragment');
    fragment.faults.inject({ routes: [INVOICE_ROUTES.fragment], hang: true });
    const ids = [...sandboxInvoiceIds(gw, 'fragment', 2), ...sandboxInvoiceIds(gw, 'korint', 2)];
    const answer = await gw.query(QUERY, { ids });
    expect(answer.data.invoices).toEqual([null, null, ...ids.slice(2).map((id) => ({ id }))]);
    // The deadline, not the 60 s provider timeout, stopped it: "stopped during execution", with the source.
    expect(answer.errors?.map((e) => [e.extensions?.code, e.extensions?.source])).toEqual(
      Array(2).fill(['QUERY_TOO_COMPLEX', 'fragment']),
    );
    expect(answer.errors?.[0]?.message).toMatch(/deadline/);
    // Not retried, not counted by the breaker.
    expect(fragment.calls.count(INVOICE_ROUTES.fragment)).toBe(1);
    expect(gw.gateway.registry.get('fragment')!.health.current()).toMatchObject({ circuit: 'CLOSED', consecutiveFailures: 0, lastErrorCode: null });
    // The gateway keeps serving.
    fragment.faults.clear();
    const next = await gw.query(QUERY, { ids });
    expect(next.errors).toBeUndefined();
  });
});
