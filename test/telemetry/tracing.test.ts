// Traces: a query touching three providers continues the caller's W3C trace, makes one server span for the operation and
// one client span per upstream call under it, and each provider receives a `traceparent` naming its call's span.
import { SimpleSpanProcessor, InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/telemetry/logger.js';
import { routeTemplate } from '../../src/telemetry/route-template.js';
import { startTracing, type Tracing } from '../../src/telemetry/tracing.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { INVOICE_ROUTES, sandboxInvoiceIds } from '../support/sandbox-ids.js';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let gw: TestGateway;
const logLines: string[] = [];

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

beforeAll(async () => {
  tracing = startTracing({ env: {}, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  gw = await startTestGateway(undefined, {
    tracer: tracing.tracer,
    logger: createLogger({ level: 'info', destination: sink }),
    retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 5 },
  });
});
afterAll(async () => {
  await gw.close();
  await tracing.shutdown();
});
beforeEach(() => {
  exporter.reset();
  for (const kind of ['fragment', 'korint', 'xero']) gw.sandbox(kind).calls.reset();
});

async function post(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await gw.gateway.yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { response, body: (await response.json()) as any };
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('tracing', () => {
  it('continues the caller trace across three providers and sends each provider its call span as traceparent', async () => {
    const ids = [...sandboxInvoiceIds(gw, 'fragment', 1), ...sandboxInvoiceIds(gw, 'korint', 1), ...sandboxInvoiceIds(gw, 'xero', 1)];
    const { response, body } = await post('query ThreeProviders($ids: [ID!]!) { invoices(ids: $ids) { id } }', { ids }, {
      traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`,
    });
    expect(body.data.invoices.map((i: any) => i.id)).toEqual(ids);

    const spans = exporter.getFinishedSpans();
    const operation = spans.find((s) => s.name === 'query ThreeProviders');
    expect(operation).toBeDefined();
    expect(operation!.spanContext().traceId).toBe(CALLER_TRACE);
    expect(parentOf(operation!)).toBe(CALLER_SPAN);
    expect(operation!.attributes).toMatchObject({
      'graphql.operation.name': 'ThreeProviders',
      'graphql.operation.type': 'query',
      'gateway.client.name': 'anonymous',
      'gateway.outcome': 'success',
    });

    const upstream = spans.filter((s) => s.attributes['gateway.source'] !== undefined);
    expect(upstream.map((s) => s.attributes['gateway.source']).sort()).toEqual(['fragment', 'korint', 'xero']);
    for (const span of upstream) {
      expect(span.spanContext().traceId).toBe(CALLER_TRACE);
      expect(parentOf(span)).toBe(operation!.spanContext().spanId);
      expect(span.attributes['http.response.status_code']).toBe(200);
      expect(span.attributes['http.request.resend_count']).toBeUndefined();
      // No raw id in a span name or route.
      expect(span.name).not.toMatch(/inv_0001|kor_inv|[0-9a-f]{8}-/);

      const kind = String(span.attributes['gateway.source']);
      const seen = gw.sandbox(kind).calls.list().filter((c) => c.name === INVOICE_ROUTES[kind]);
      expect(seen).toHaveLength(1);
      expect(seen[0].headers.traceparent).toBe(`00-${CALLER_TRACE}-${span.spanContext().spanId}-01`);
    }
    expect(upstream.find((s) => s.attributes['gateway.source'] === 'xero')!.name).toBe('GET /Invoices');
    // The request's log line names the trace, so logs and traces meet.
    const line = logLines.map((l) => JSON.parse(l)).find((l) => l.requestId === response.headers.get('x-request-id'));
    expect(line).toMatchObject({ msg: 'request', operation: 'ThreeProviders', traceId: CALLER_TRACE });
    expect(upstream.find((s) => s.attributes['gateway.source'] === 'fragment')!.name).toBe('POST /invoices/batch-get');
  });

  it('starts a new trace without a traceparent, and numbers retried attempts as separate spans', async () => {
    const fragment = gw.sandbox('fragment');
    fragment.faults.inject({ routes: [INVOICE_ROUTES.fragment], status: 503, times: 1 });
    const { body } = await post('query Retried($ids: [ID!]!) { invoices(ids: $ids) { id } }', { ids: sandboxInvoiceIds(gw, 'fragment', 1) });
    expect(body.errors).toBeUndefined();

    const spans = exporter.getFinishedSpans();
    const operation = spans.find((s) => s.name === 'query Retried')!;
    expect(parentOf(operation)).toBeUndefined();
    const attempts = spans.filter((s) => s.attributes['gateway.source'] === 'fragment');
    expect(attempts.map((s) => [s.attributes['http.response.status_code'], s.attributes['http.request.resend_count'], s.attributes['error.type']])).toEqual([
      [503, undefined, 'UPSTREAM_UNAVAILABLE'],
      [200, 1, undefined],
    ]);
    for (const span of attempts) expect(parentOf(span)).toBe(operation.spanContext().spanId);
    const sent = fragment.calls.list().map((c) => c.headers.traceparent?.split('-')[2]);
    expect(sent).toEqual(attempts.map((s) => s.spanContext().spanId));
  });

  it('marks a failed operation and its error codes', async () => {
    const { body } = await post('query Bad { invoice(id: "nope") { id } }', {});
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const operation = exporter.getFinishedSpans().find((s) => s.name === 'query Bad')!;
    expect(operation.attributes).toMatchObject({ 'gateway.outcome': 'error', 'gateway.error.codes': ['BAD_USER_INPUT'] });
    expect(operation.status.code).toBe(2);
  });
});

describe('route templates', () => {
  it('keep word segments and replace ids, preferring the route an adapter declares', () => {
    expect(routeTemplate('/invoices/batch-get')).toBe('/invoices/batch-get');
    expect(routeTemplate('/invoices/inv_0001')).toBe('/invoices/{id}');
    expect(routeTemplate('/BatchPayments/48407cc9-6ecd-4dc2-84bf-1200f81bceed?x=1')).toBe('/BatchPayments/{id}');
    expect(routeTemplate('/invoices/abc', '/invoices/{id}')).toBe('/invoices/{id}');
  });
});
