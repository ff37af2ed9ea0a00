// Logs: one `info` line per GraphQL request with its id, client, operation, duration, upstream calls per source and
// error codes; and no credential (the providers' secrets and tokens, the caller's keys) in any line at any level.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FragmentSandboxHandle } from '../../adapters/fragment/sandbox/fragment-sandbox.js';
import type { KorintSandboxHandle } from '../../adapters/korint/sandbox/korint-sandbox.js';
import type { XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { INVOICE_ROUTES, sandboxInvoiceIds } from '../support/sandbox-ids.js';

const lines: string[] = [];
let gw: TestGateway;
const CALLER_KEY = 'ck_live_9f8e7d6c5b4a39281706';
const CALLER_COOKIE = 'session=sess_5e4d3c2b1a09';

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  gw = await startTestGateway(undefined, {
    logger: createLogger({ level: 'trace', destination: sink }),
    retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 5 },
  });
});
afterAll(() => gw.close());

async function post(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await gw.gateway.yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${CALLER_KEY}`,
      'x-api-key': CALLER_KEY,
      cookie: CALLER_COOKIE,
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  return { response, body: (await response.json()) as any };
}

const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, any>);
const requestLine = (requestId: string) => parsed().filter((l) => l.msg === 'request' && l.requestId === requestId);

describe('request log', () => {
  it('writes one info line per request with its id, client, operation, duration, upstream calls and error codes', async () => {
    const ids = [...sandboxInvoiceIds(gw, 'fragment', 2), ...sandboxInvoiceIds(gw, 'korint', 1), ...sandboxInvoiceIds(gw, 'xero', 1)];
    const { response } = await post('query Overview($ids: [ID!]!) { invoices(ids: $ids) { id } }', { ids }, { 'x-request-id': 'req-overview-1' });
    expect(response.headers.get('x-request-id')).toBe('req-overview-1');
    const found = requestLine('req-overview-1');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      level: 30,
      requestId: 'req-overview-1',
      client: 'anonymous',
      operation: 'Overview',
      operationType: 'query',
      status: 200,
      outcome: 'success',
      errorCodes: [],
      upstream: {
        // The token call counts as one of Fragment's calls.
        fragment: { calls: 2, failedCalls: 0, errors: [] },
        korint: { calls: 1, failedCalls: 0, errors: [] },
        xero: { calls: 1, failedCalls: 0, errors: [] },
      },
    });
    expect(found[0].durationMs).toBeGreaterThan(0);
  });

  it('names the error codes and the failed calls of a partial answer', async () => {
    const fragment = gw.sandbox('fragment');
    fragment.faults.inject({ routes: [INVOICE_ROUTES.fragment], status: 401 });
    const ids = [...sandboxInvoiceIds(gw, 'fragment', 1), ...sandboxInvoiceIds(gw, 'korint', 1)];
    const { response, body } = await post('query Partial($ids: [ID!]!) { invoices(ids: $ids) { id } }', { ids });
    fragment.faults.clear();
    expect(body.errors.map((e: any) => e.extensions.code)).toEqual(['UPSTREAM_UNAUTHORIZED']);
    const [line] = requestLine(response.headers.get('x-request-id')!);
    expect(line).toMatchObject({ operation: 'Partial', outcome: 'partial', errorCodes: ['UPSTREAM_UNAUTHORIZED'] });
    // The token from the first test refused on the lookup, renewed (a token call) and refused again: three calls, two
    // failed lookups, one error in the answer.
    expect(line.upstream.fragment).toMatchObject({ calls: 3, failedCalls: 2, errors: [{ code: 'UPSTREAM_UNAUTHORIZED', count: 1 }] });
  });

  it('logs requests refused before execution, and operational endpoints at debug', async () => {
    const { response } = await post('query Invalid { nope }');
    const [line] = requestLine(response.headers.get('x-request-id')!);
    // Refused before execution (the answer has no data): `rejected`.
    expect(line).toMatchObject({ level: 30, operation: 'Invalid', outcome: 'rejected', errorCodes: ['GRAPHQL_VALIDATION_FAILED'] });
    const health = await gw.gateway.yoga.fetch('http://gateway.test/health');
    expect(requestLine(health.headers.get('x-request-id')!)).toMatchObject([{ level: 20, path: '/health', status: 200 }]);
  });

  it('carries no credential in any line at any level', async () => {
    // Failures log errors with their causes at warn and error: a provider refusing us, a reset, a malformed payload.
    const fragment = gw.sandbox<FragmentSandboxHandle>('fragment');
    const korint = gw.sandbox<KorintSandboxHandle>('korint');
    const xero = gw.sandbox<XeroSandboxHandle>('xero');
    korint.faults.inject({ reset: true, times: 2 });
    xero.faults.inject({ malformedJson: true, times: 1 });
    const ids = [...sandboxInvoiceIds(gw, 'fragment', 1), ...sandboxInvoiceIds(gw, 'korint', 1), ...sandboxInvoiceIds(gw, 'xero', 1)];
    const { body } = await post('query Faulty($ids: [ID!]!) { invoices(ids: $ids) { id } }', { ids });
    expect(body.errors.map((e: any) => e.extensions.code).sort()).toEqual(['UPSTREAM_BAD_RESPONSE', 'UPSTREAM_UNAVAILABLE']);
    korint.faults.clear();
    xero.faults.clear();

    const issuedTokens = fragment.calls
      .list()
      .map((c) => c.headers.authorization?.replace(/^Bearer /, ''))
      .filter((t): t is string => Boolean(t) && !t!.startsWith('Basic'));
    expect(issuedTokens.length).toBeGreaterThan(0);
    const secrets = [
      CALLER_KEY,
      CALLER_COOKIE,
      fragment.clientSecret,
      Buffer.from(`${fragment.clientId}:${fragment.clientSecret}`).toString('base64'),
      ...issuedTokens,
      korint.token,
      xero.accessToken,
    ];
    expect(lines.length).toBeGreaterThan(5);
    expect(parsed().some((l) => l.level === 10 || l.level === 20)).toBe(true);
    expect(parsed().some((l) => l.level >= 40)).toBe(true);
    for (const line of lines) {
      for (const secret of secrets) expect(line).not.toContain(secret);
      expect(line).not.toMatch(/Bearer [A-Za-z0-9]|Basic [A-Za-z0-9]/);
    }
  });
});
