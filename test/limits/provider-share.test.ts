// One client cannot spend a Xero tenant's whole minute for everyone: each client may spend its share of the tenant's
// 60 calls a minute (50% by default, GATEWAY_PROVIDER_SHARE_PERCENT, or its own `rateLimit.providerSharePercent`), and
// past it its lookups answer RATE_LIMITED while a second client's lookups are still served. The same with the budgets
// in this process and in Redis. The sandbox enforces Xero's real limits (60 a rolling minute): it is the measure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import { createRedisState, type RedisState } from '../../src/state/shared-state.js';
import { startTestGateway, type GraphQLAnswer, type TestGateway } from '../support/gateway.js';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { waitFor } from '../support/replicas.js';
import { sandboxInvoiceIds } from '../support/sandbox-ids.js';
import { parseClients } from '../../src/access/clients-file.js';
import { apiKeyClients, post, sha256Hex } from '../support/security.js';

const LOOKUP = `query($ids: [ID!]!) { invoices(ids: $ids) { id } }`;
/** 1000 Xero ids (most do not exist): 20 calls of 50 ids. */
const THOUSAND = Array.from({ length: 1000 }, (_, i) => `xero:Invoice:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);

const KEYS = { busy: 'busy-client-key-0123456789abcdef', other: 'other-client-key-0123456789abcdef', wide: 'wide-client-key-0123456789abcdef' };

async function startGateway(state?: RedisState): Promise<TestGateway> {
  const clients = apiKeyClients(
    [
      { name: 'busy', key: KEYS.busy, sources: '*', operations: ['read'] },
      { name: 'other', key: KEYS.other, sources: '*', operations: ['read'] },
    ],
    ['xero'],
  );
  return startTestGateway(['xero'], { auth: { mode: 'api-key', clients }, state });
}

const lookup = (gw: TestGateway, key: string, ids: string[]) => post(gw.gateway, LOOKUP, { headers: { authorization: `Bearer ${key}` }, variables: { ids } });

function codes(answer: GraphQLAnswer): string[] {
  return [...new Set((answer.errors ?? []).map((error) => String(error.extensions?.code)))];
}

async function saturateThenServeTheOther(gw: TestGateway): Promise<void> {
  const xero = gw.sandbox<XeroSandboxHandle>('xero');
  xero.resetLimits();
  xero.calls.reset();
  // The busy client asks for 3 × 20 calls: the tenant's whole minute.
  const busy = [];
  for (let i = 0; i < 3; i++) busy.push((await lookup(gw, KEYS.busy, THOUSAND)).body);
  const busyCalls = xero.calls.count('invoices');
  expect(busyCalls).toBe(30);
  expect(busy[0].errors).toBeUndefined();
  expect(codes(busy[1])).toEqual(['RATE_LIMITED']);
  expect(codes(busy[2])).toEqual(['RATE_LIMITED']);
  const refusal = busy[2].errors![0];
  expect(refusal.extensions).toMatchObject({ code: 'RATE_LIMITED', source: 'xero' });
  expect(refusal.extensions!.retryAfter).toBeGreaterThan(0);
  expect(refusal.message).toContain('GATEWAY_PROVIDER_SHARE_PERCENT');

  // The other client's lookups are served, from its own share.
  const ids = sandboxInvoiceIds(gw, 'xero', 5);
  const other = await lookup(gw, KEYS.other, ids);
  expect(other.body.errors).toBeUndefined();
  expect(other.body.data.invoices.map((invoice: { id: string }) => invoice.id)).toEqual(ids);
  // Xero never saw more than its limit, nor refused anything.
  const seen = xero.observedLimits(xero.tenants[0]);
  expect(seen.refused).toEqual({});
  expect(seen.peakPerMinute).toBeLessThanOrEqual(60);
}

describe("a client's share of a Xero tenant, budgets in this process", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw?.close());

  it('one client saturates Xero: its calls past half the minute answer RATE_LIMITED, the other client is served', async () => {
    await saturateThenServeTheOther(gw);
  });
});

describe('waiting for a busy tenant', () => {
  it("is shared in turn: a second client's lookup waits for one of the busy client's calls, not for all of them", async () => {
    const clients = apiKeyClients(
      [
        { name: 'busy', key: KEYS.busy, sources: '*', operations: ['read'] },
        { name: 'other', key: KEYS.other, sources: '*', operations: ['read'] },
      ],
      ['xero'],
    );
    // One call at a time: the busy client's 20 calls queue one behind the other.
    const gw = await startTestGateway(['xero'], { auth: { mode: 'api-key', clients }, settings: { xero: { concurrentLimit: 1 } } });
    try {
      gw.sandbox<XeroSandboxHandle>('xero').latencyMs = 50;
      const finished: string[] = [];
      const busy = lookup(gw, KEYS.busy, THOUSAND).then((answer) => (finished.push('busy'), answer));
      // The other client asks once the busy client's calls are queued.
      await waitFor(() => gw.sandbox('xero').calls.count('invoices') >= 1, 'the first busy call');
      const ids = sandboxInvoiceIds(gw, 'xero', 3);
      const other = await lookup(gw, KEYS.other, ids).then((answer) => (finished.push('other'), answer));
      expect(other.body.data.invoices.map((invoice: { id: string }) => invoice.id)).toEqual(ids);
      expect((await busy).body.errors).toBeUndefined();
      expect(finished).toEqual(['other', 'busy']);
    } finally {
      await gw.close();
    }
  });
});

describe("a client's own share from the clients file", () => {
  const entry = (providerSharePercent: unknown) => ({
    name: 'wide',
    keySha256: sha256Hex(KEYS.wide),
    sources: '*',
    operations: ['read'],
    rateLimit: { providerSharePercent },
  });

  it('is a whole percentage from 1 to 100', () => {
    for (const bad of [0, 101, 12.5, '50']) {
      const problems: string[] = [];
      parseClients({ clients: [entry(bad)] }, ['xero'], 'GATEWAY_CLIENTS_FILE', problems);
      expect(problems).toEqual([expect.stringMatching(/^GATEWAY_CLIENTS_FILE\.clients\[0\]\.rateLimit\.providerSharePercent: /)]);
    }
  });

  it('lowers (or raises) the default', async () => {
    const problems: string[] = [];
    const clients = parseClients({ clients: [entry(10)] }, ['xero'], 'GATEWAY_CLIENTS_FILE', problems);
    expect(problems).toEqual([]);
    const gw = await startTestGateway(['xero'], { auth: { mode: 'api-key', clients } });
    try {
      const xero = gw.sandbox<XeroSandboxHandle>('xero');
      xero.calls.reset();
      const answer = await lookup(gw, KEYS.wide, THOUSAND);
      // 10% of 60: 6 calls of the 20 are made.
      expect(xero.calls.count('invoices')).toBe(6);
      expect(codes(answer.body)).toEqual(['RATE_LIMITED']);
    } finally {
      await gw.close();
    }
  });
});

describe.skipIf(!redisServerAvailable)("a client's share of a Xero tenant, budgets in Redis", () => {
  let redis: RedisServer;
  let state: RedisState;
  let gw: TestGateway;
  beforeAll(async () => {
    redis = await startRedisServer();
    state = createRedisState({ url: redis.url, keyPrefix: `share-${Math.random().toString(36).slice(2)}:`, replicas: 1 });
    await waitFor(() => state.connection.status() === 'connected', 'Redis connected');
    gw = await startGateway(state);
  });
  afterAll(async () => {
    await gw?.close();
    await state?.close();
    await redis?.close();
  });

  it('one client saturates Xero: its calls past half the minute answer RATE_LIMITED, the other client is served', async () => {
    await saturateThenServeTheOther(gw);
  });
});
