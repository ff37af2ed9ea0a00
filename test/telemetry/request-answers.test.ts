// The request log, metrics and spans say what the client actually received: the client (when known) and the codes of
// answers refused before execution (401, 403, 413, 429, a parse error), of an answer replaced by the response-size
// refusal; a CORS preflight is no GraphQL request; server spans carry the HTTP semantic-convention attributes and client
// spans `url.full`; a client that hangs up is counted as the client's doing, not as an upstream error.
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/telemetry/logger.js';
import { startTracing, type Tracing } from '../../src/telemetry/tracing.js';
import { spanUrl } from '../../src/telemetry/upstream-telemetry.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { apiKeyClients } from '../support/security.js';

const WEB = 'k_web_1f2e3d4c5b6a79880f1e2d3c4b5a6978';
const LIMITED = 'k_limited_a1b2c3d4e5f60718293a4b5c6d7e8f90';
const QUERY = '{ invoice(id: "fragment:Invoice:inv_0001") { id } }';

function capture() {
  const lines: Array<Record<string, any>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'debug', destination: sink }) };
}

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let gw: TestGateway;
const log = capture();
const lineOf = (response: Response) => log.lines.filter((l) => l.msg === 'request' && l.requestId === response.headers.get('x-request-id'));

beforeAll(async () => {
  tracing = startTracing({ env: {}, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const clients = apiKeyClients(
    [
      { name: 'web', key: WEB, sources: '*', operations: ['read'] },
      { name: 'limited', key: LIMITED, sources: '*', operations: ['read'], rateLimit: { requestsPerMinute: 2 } },
    ],
    ['fragment'],
  );
  gw = await startTestGateway(['fragment'], {
    auth: { mode: 'api-key', clients },
    maxBodyBytes: 2048,
    corsOrigins: ['https://app.example.com'],
    tracer: tracing.tracer,
    logger: log.logger,
  });
});
afterAll(async () => {
  await gw?.close();
  await tracing?.shutdown();
});
beforeEach(() => exporter.reset());

const send = (init: RequestInit) => Promise.resolve(gw.gateway.yoga.fetch('http://gateway.test/graphql', init));
const json = (body: unknown, key?: string) =>
  send({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('answers refused before execution', () => {
  it('log the codes the client got, and no client when it was not recognised (401, 403)', async () => {
    const unauthenticated = await json({ query: QUERY }, 'k_wrong_key_0000000000000000000000');
    expect(unauthenticated.status).toBe(401);
    expect(lineOf(unauthenticated)).toEqual([
      expect.objectContaining({ level: 30, status: 401, client: null, outcome: 'rejected', errorCodes: ['UNAUTHENTICATED'] }),
    ]);
    const forged = await send({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `query=${encodeURIComponent(QUERY)}` });
    expect(forged.status).toBe(403);
    expect(lineOf(forged)).toEqual([expect.objectContaining({ status: 403, client: null, outcome: 'rejected', errorCodes: ['BAD_REQUEST'] })]);
  });

  it('log the client and the codes of a 413, a parse error and a 429', async () => {
    const big = await json({ query: `{ __typename }`, variables: { pad: 'x'.repeat(4096) } }, WEB);
    expect(big.status).toBe(413);
    expect(lineOf(big)).toEqual([expect.objectContaining({ status: 413, client: 'web', outcome: 'rejected', errorCodes: ['QUERY_TOO_COMPLEX'] })]);
    const unparsable = await json({ query: '{ invoice(' }, WEB);
    expect(lineOf(unparsable)).toEqual([expect.objectContaining({ client: 'web', outcome: 'rejected', errorCodes: ['GRAPHQL_PARSE_FAILED'] })]);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await json({ query: '{ __typename }' }, LIMITED));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
    expect(lineOf(answers[2])).toEqual([expect.objectContaining({ status: 429, client: 'limited', outcome: 'rejected', errorCodes: ['RATE_LIMITED'] })]);
  });

  it('leave a CORS preflight out of the GraphQL requests: logged at debug, counted nowhere', async () => {
    const preflight = await send({ method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    const [line] = lineOf(preflight);
    expect(line).toMatchObject({ level: 20, method: 'OPTIONS', status: 204 });
    expect(line).not.toHaveProperty('outcome');
    const metrics = await (await gw.gateway.yoga.fetch('http://gateway.test/metrics')).text();
    expect(metrics).not.toMatch(/gateway_request_duration_seconds_count\{operation="anonymous",outcome="error"\}/);
  });
});

describe('server spans', () => {
  it('carry the HTTP semantic-convention attributes, for an operation and for a refusal alike', async () => {
    await json({ query: 'query One { invoice(id: "fragment:Invoice:inv_0001") { id } }' }, WEB);
    await json({ query: QUERY }, 'k_wrong_key_0000000000000000000000');
    const servers = exporter.getFinishedSpans().filter((span) => span.kind === 1);
    expect(servers.map((span) => span.name)).toEqual(['query One', 'POST /graphql']);
    expect(servers[0].attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'url.path': '/graphql',
      'http.route': '/graphql',
      'gateway.client.name': 'web',
      'gateway.outcome': 'success',
    });
    expect(servers[1].attributes).toMatchObject({ 'http.response.status_code': 401, 'gateway.error.codes': ['UNAUTHENTICATED'], 'gateway.outcome': 'rejected' });
    const client = exporter.getFinishedSpans().find((span) => span.kind === 2 && span.attributes['gateway.source'] === 'fragment')!;
    expect(client.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'url.full': `${gw.sandbox('fragment').url}/invoices/batch-get`,
      'server.address': '127.0.0.1',
    });
  });

  it('record url.full without user info or the values of parameters that may be secrets', () => {
    expect(spanUrl('https://user:pw@api.example.com/v1/x?ids=1,2&access_token=abc&apiKey=k&page=2')).toBe(
      'https://api.example.com/v1/x?ids=1%2C2&access_token=REDACTED&apiKey=REDACTED&page=2',
    );
  });
});

describe('an answer replaced by the response-size refusal', () => {
  it('is logged with the code the client got, not the answer it replaced', async () => {
    const { lines, logger } = capture();
    const small = await startTestGateway(['fragment'], { limits: { maxResponseBytes: 2048 }, logger });
    try {
      const ids = Array.from({ length: 50 }, (_, i) => `fragment:Invoice:inv_${String(i + 1).padStart(4, '0')}`);
      const response = await small.gateway.yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query Big($ids: [ID!]!) { invoices(ids: $ids) { id number dueAt } }', variables: { ids } }),
      });
      const body = await response.json();
      expect(body.errors.map((e: any) => e.extensions.code)).toEqual(['QUERY_TOO_COMPLEX']);
      const line = lines.find((l) => l.msg === 'request' && l.requestId === response.headers.get('x-request-id'));
      expect(line).toMatchObject({ operation: 'Big', client: 'anonymous', outcome: 'error', errorCodes: ['QUERY_TOO_COMPLEX'] });
    } finally {
      await small.close();
    }
  });
});

describe('a client that hangs up', () => {
  it('is no upstream error: the stopped call is counted as abandoned', async () => {
    const hung = await startTestGateway(['korint']);
    try {
      hung.sandbox('korint').faults.inject({ routes: ['invoices'], hang: true });
      const controller = new AbortController();
      const answer = Promise.resolve(
        hung.gateway.yoga.fetch('http://gateway.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ invoices(ids: ["korint:Invoice:kor_inv_0001"]) { id } }' }),
          signal: controller.signal,
        }),
      ).catch(() => 'aborted');
      await vi.waitFor(() => expect(hung.sandbox('korint').calls.count('invoices')).toBe(1), { timeout: 5_000, interval: 10 });
      controller.abort();
      await answer;
      const metrics = async () => (await hung.gateway.yoga.fetch('http://gateway.test/metrics')).text();
      await vi.waitFor(async () => expect(await metrics()).toMatch(/gateway_upstream_request_duration_seconds_count\{source="korint",outcome="abandoned"\} 1/), {
        timeout: 10_000,
        interval: 20,
      });
      await vi.waitFor(async () => expect(await metrics()).toMatch(/gateway_graphql_requests_total 1/), { timeout: 10_000, interval: 20 });
      const text = await metrics();
      expect(text).not.toMatch(/gateway_upstream_errors_total\{[^}]*\}/);
      expect(text).not.toMatch(/outcome="QUERY_TOO_COMPLEX"/);
    } finally {
      await hung.close();
    }
  });
});
