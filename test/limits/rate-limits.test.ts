// Per-client budgets per minute: requests (HTTP 429, Retry-After, RATE_LIMITED) and upstream calls (RATE_LIMITED for
// the lookups past the budget). Anonymous callers (GATEWAY_AUTH=none) are told apart by address: the gateway listens
// on real loopback HTTP and the test connects from 127.0.0.2 and 127.0.0.3.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClientIdentity } from '../../src/access/client.js';
import { createRequestBudget } from '../../src/limits/request-budget.js';
import { DEFAULT_LIMITS } from '../../src/limits/limit-settings.js';
import { createMemoryRateLimitStore } from '../../src/state/rate-limit-store.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { postToGateway } from '../support/http-status.js';
import { sandboxInvoiceIds } from '../support/sandbox-ids.js';

interface Served {
  gw: TestGateway;
  url: string;
  server: Server;
  /** Posts from a given loopback address. */
  post(from: Agent, query: string, variables?: Record<string, unknown>): Promise<{ status: number; headers: Record<string, unknown>; body: any }>;
  close(): Promise<void>;
}

async function serve(options: Parameters<typeof startTestGateway>[1]): Promise<Served> {
  const gw = await startTestGateway(['fragment'], options);
  const server = createServer(gw.gateway.yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return {
    gw,
    url,
    server,
    async post(from, query, variables) {
      const response = await request(url, {
        method: 'POST',
        dispatcher: from,
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.statusCode, headers: response.headers, body: await response.body.json() };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gw.close();
    },
  };
}

const fromA = new Agent({ localAddress: '127.0.0.2' });
const fromB = new Agent({ localAddress: '127.0.0.3' });
const fromC = new Agent({ localAddress: '127.0.0.4' });
afterAll(async () => {
  await Promise.all([fromA.close(), fromB.close(), fromC.close()]);
});

const ONE = `{ invoice(id: "fragment:Invoice:inv_0001") { id } }`;

/** The value of the refused-requests counter on /metrics. */
async function rateLimitedCount(served: Served): Promise<number> {
  const text = await (await served.gw.gateway.yoga.fetch('http://gateway.test/metrics')).text();
  return Number(/^gateway_client_rate_limited_total (\d+)/m.exec(text)?.[1]);
}

describe('requests per minute, per address when anonymous', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serve({ rateLimit: { requestsPerMinute: 3 } });
  });
  afterAll(() => served.close());

  it('answers the 4th request of a minute 429 with Retry-After and RATE_LIMITED, runs nothing, and serves another address', async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await served.post(fromA, ONE);
      expect(ok.status).toBe(200);
      expect(ok.body.data.invoice.id).toBe('fragment:Invoice:inv_0001');
    }
    served.gw.sandbox('fragment').calls.reset();
    const refused = await served.post(fromA, ONE);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body.data ?? null).toBeNull();
    expect(refused.body.errors).toHaveLength(1);
    expect(refused.body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', retryAfter });
    expect(refused.body.errors[0].message).toContain('address 127.0.0.2');
    expect(served.gw.sandbox('fragment').calls.count()).toBe(0);
    expect(await rateLimitedCount(served)).toBe(1);

    const other = await served.post(fromB, ONE);
    expect(other.status).toBe(200);
    expect(other.body.data.invoice.id).toBe('fragment:Invoice:inv_0001');
    expect(served.gw.sandbox('fragment').calls.count('batch-get')).toBe(1);
  });

  it('counts refused documents too: they are charged before parsing', async () => {
    const tooDeep = `{ ${'invoices(ids: []) { payments { invoice { '.repeat(6)}id${' } } }'.repeat(6)} }`;
    for (let i = 0; i < 3; i++) {
      const refused = await served.post(fromC, tooDeep);
      expect(refused.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    }
    const limited = await served.post(fromC, ONE);
    expect(limited.status).toBe(429);
    expect(limited.body.errors[0].extensions.code).toBe('RATE_LIMITED');
  });

  it('counts in-process calls (no socket) under the address "local", apart from the others', async () => {
    const local = await postToGateway(served.gw.gateway, ONE);
    expect(local.status).toBe(200);
    expect((await served.post(fromA, ONE)).status).toBe(429);
  });
});

describe('upstream calls per minute', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serve({ rateLimit: { upstreamCallsPerMinute: 3 } });
  });
  afterAll(() => served.close());
  beforeEach(() => served.gw.sandbox('fragment').calls.reset());

  const LOOKUP = `query($ids: [ID!]!) { invoices(ids: $ids) { id } sources { name health { circuit consecutiveFailures } } }`;

  it('makes the first 3 calls, answers the rest RATE_LIMITED with retryAfter, then spends nothing more that minute', async () => {
    // 1000 ids are 5 batch-gets of 200; the budget allows 3.
    const ids = [...sandboxInvoiceIds(served.gw, 'fragment', 600), ...Array.from({ length: 400 }, (_, i) => `fragment:Invoice:inv_none_${i}`)];
    const first = await served.post(fromA, LOOKUP, { ids });
    expect(first.status).toBe(200);
    expect(served.gw.sandbox('fragment').calls.count('batch-get')).toBe(3);
    const invoices = first.body.data.invoices as Array<{ id: string } | null>;
    expect(invoices.slice(0, 600).filter((invoice) => invoice !== null)).toHaveLength(600);
    const errors = first.body.errors as Array<{ path: Array<string | number>; extensions: Record<string, unknown> }>;
    expect(errors).toHaveLength(400);
    for (const error of errors) {
      expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', source: 'fragment' });
      expect(error.extensions.retryAfter).toBeGreaterThanOrEqual(1);
      expect(error.path[1]).toBeGreaterThanOrEqual(600);
    }
    // Our refusal is not the provider's fault: its circuit stays closed.
    expect(first.body.data.sources[0].health).toEqual({ circuit: 'CLOSED', consecutiveFailures: 0 });

    const again = await served.post(fromA, LOOKUP, { ids: ids.slice(0, 10) });
    expect(again.body.data.invoices).toEqual(Array(10).fill(null));
    expect(again.body.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(Array(10).fill('RATE_LIMITED'));
    expect(served.gw.sandbox('fragment').calls.count('batch-get')).toBe(3);
    // The telemetry counts each refused request once, not once per refused lookup.
    expect(await rateLimitedCount(served)).toBe(2);

    const other = await served.post(fromB, LOOKUP, { ids: ids.slice(0, 10) });
    expect(other.body.errors).toBeUndefined();
    expect(other.body.data.invoices.map((invoice: { id: string }) => invoice.id)).toEqual(ids.slice(0, 10));
    expect(served.gw.sandbox('fragment').calls.count('batch-get')).toBe(4);
  });
});

describe('a named client', () => {
  const client = (name: string, rateLimit?: ClientIdentity['rateLimit']): ClientIdentity => ({
    name,
    via: 'api-key',
    sources: '*',
    operations: ['read'],
    rateLimit,
  });

  it('spends its own budget whatever its address, with its own rateLimit over the defaults', async () => {
    const store = createMemoryRateLimitStore();
    const budget = (who: ClientIdentity, address: string) =>
      createRequestBudget({ limits: DEFAULT_LIMITS, rateLimit: { requestsPerMinute: 600, upstreamCallsPerMinute: 1000, providerSharePercent: 50 }, store, client: who, address });
    const web = client('web', { upstreamCallsPerMinute: 2 });
    expect(budget(web, '10.0.0.1').clientKey).toBe('client:api-key:web');
    // A token subject of the same name is another caller, with a budget of its own.
    expect(budget({ ...web, via: 'jwt' }, '10.0.0.1').clientKey).toBe('client:jwt:web');
    await budget(web, '10.0.0.1').admitUpstream('fragment');
    await budget(web, '10.0.0.2').admitUpstream('fragment');
    await expect(budget(web, '10.0.0.3').admitUpstream('fragment')).rejects.toMatchObject({ code: 'RATE_LIMITED', source: 'fragment' });
    // Another client, from the same address, is untouched; so is an anonymous caller there.
    await expect(budget(client('batch'), '10.0.0.3').admitUpstream('fragment')).resolves.toBeUndefined();
    await store.close();
  });
});
