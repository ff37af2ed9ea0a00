// Prometheus: after known traffic, /metrics holds the request and upstream latency histograms with the right counts,
// the retry and circuit counters, and the process's default metrics; every answer carries its x-request-id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabelLimiter } from '../../src/telemetry/label-limiter.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { INVOICE_ROUTES, sandboxInvoiceIds } from '../support/sandbox-ids.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway(['fragment', 'korint'], {
    retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 5 },
    circuit: { failureThreshold: 2, coolDownMs: 60_000 },
  });
});
afterAll(() => gw.close());

const fetchPath = (path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
  gw.gateway.yoga.fetch(`http://gateway.test${path}`, init);

/** The value of one sample line of the exposition text, or undefined when it is absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = match[2] ? match[2].split(',') : [];
    if (wanted.length === have.length && wanted.every((w) => have.includes(w))) return Number(match[3]);
  }
  return undefined;
}

describe('metrics', () => {
  it('count requests by operation and outcome, and upstream calls by source and outcome', async () => {
    const ids = [...sandboxInvoiceIds(gw, 'fragment', 2), ...sandboxInvoiceIds(gw, 'korint', 2)];
    const lookup = 'query Lookup($ids: [ID!]!) { invoices(ids: $ids) { id } }';
    for (let i = 0; i < 3; i++) expect((await gw.query(lookup, { ids })).errors).toBeUndefined();
    await gw.query('{ sources { name } }');
    expect((await gw.query('query Broken { invoice(id: "nope") { id } }')).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    // One failed attempt, retried once with success: a retry, an UPSTREAM_UNAVAILABLE call and a success.
    const fragment = gw.sandbox('fragment');
    fragment.calls.reset();
    fragment.faults.inject({ routes: [INVOICE_ROUTES.fragment], status: 503, times: 1 });
    expect((await gw.query(lookup, { ids })).errors).toBeUndefined();
    expect(fragment.calls.count(INVOICE_ROUTES.fragment)).toBe(2);

    // Two failing calls open fragment's circuit; korint's items still come back, so the outcome is partial.
    fragment.faults.inject({ routes: [INVOICE_ROUTES.fragment], status: 500 });
    const partial = await gw.query(lookup, { ids });
    fragment.faults.clear();
    expect(partial.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE']);

    const text = await (await fetchPath('/metrics')).text();
    const requests = (operation: string, outcome: string) =>
      sample(text, 'gateway_request_duration_seconds_count', { operation, outcome });
    expect(requests('Lookup', 'success')).toBe(4);
    expect(requests('Lookup', 'partial')).toBe(1);
    expect(requests('anonymous', 'success')).toBe(1);
    expect(requests('Broken', 'error')).toBe(1);
    expect(sample(text, 'gateway_request_duration_seconds_bucket', { operation: 'Lookup', outcome: 'success', le: '+Inf' })).toBe(4);

    const upstream = (source: string, outcome: string) =>
      sample(text, 'gateway_upstream_request_duration_seconds_count', { source, outcome });
    // Fragment: the OAuth token call and 4 good batch-gets, then 3 failed attempts (the 503, and two 500s: the first of
    // them retried).
    expect(upstream('fragment', 'ok')).toBe(5);
    expect(upstream('fragment', 'UPSTREAM_UNAVAILABLE')).toBe(3);
    expect(upstream('korint', 'ok')).toBe(5);
    expect(sample(text, 'gateway_upstream_retries_total', { source: 'fragment' })).toBe(2);
    expect(sample(text, 'gateway_upstream_retries_total', { source: 'korint' })).toBeUndefined();
    expect(sample(text, 'gateway_circuit_transitions_total', { source: 'fragment', state: 'OPEN' })).toBe(1);
    expect(sample(text, 'gateway_source_up', { source: 'fragment' })).toBe(0);
    // The process's default metrics are there too; the cache and client rate-limit counters exist, at 0.
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    expect(sample(text, 'gateway_client_rate_limited_total', {})).toBe(0);
    expect(text).toContain('# TYPE gateway_cache_lookups_total counter');
    // Ids never become label values.
    expect(text).not.toMatch(/inv_000|kor_inv/);
  });

  it('caps the operation-name label', () => {
    const label = createLabelLimiter(2);
    expect(['A', 'B', 'C', 'A', 'x'.repeat(100)].map(label)).toEqual(['A', 'B', 'other', 'A', 'other']);
  });
});

describe('x-request-id', () => {
  it('is echoed on every answer: GraphQL, errors, GraphiQL, metrics, health and unknown paths', async () => {
    const answers = await Promise.all([
      fetchPath('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ sources { name } }"}' }),
      fetchPath('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: '{"query":"{ nope"}',
      }),
      fetchPath('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'not json' }),
      fetchPath('/graphql', { headers: { accept: 'text/html' } }),
      fetchPath('/metrics'),
      fetchPath('/health'),
      fetchPath('/ready'),
      fetchPath('/nowhere'),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 400, 400, 200, 200, 200, 200, 404]);
    const ids = answers.map((a) => a.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("keeps a caller's sane id and replaces one that is not", async () => {
    const given = await fetchPath('/health', { headers: { 'x-request-id': 'checkout-7f3a.42' } });
    expect(given.headers.get('x-request-id')).toBe('checkout-7f3a.42');
    const odd = await fetchPath('/health', { headers: { 'x-request-id': 'a b "c" <script>' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
