// The entity cache through the gateway, in memory and in Redis: a repeated query costs no provider call, a partly
// cached id list sends only the uncached ids in as few calls as before, a create writes through, and with
// stale-if-error a failing provider's invoices are served from the cache marked stale with their age, the uncached ones
// answering the provider's error. Counts are the ones the sandboxes saw.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import { createMemoryState, createRedisState, type SharedState } from '../../src/state/shared-state.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { redisServerAvailable, reportRedisSkipped, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { waitFor } from '../support/replicas.js';

reportRedisSkipped('test/state/entity-cache.test.ts (Redis backend)');

const INVOICES = `query ($ids: [ID!]!) { invoices(ids: $ids) { id number total { amount currency } } }`;

let redis: RedisServer | undefined;
beforeAll(async () => {
  if (redisServerAvailable) redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.close();
});

const backends = [
  { name: 'memory', available: true, make: (): SharedState => createMemoryState() },
  {
    name: 'redis',
    available: redisServerAvailable,
    make: (): SharedState => createRedisState({ url: redis!.url, keyPrefix: `cache-test-${Math.random()}:`, replicas: 1 }),
  },
];

describe.each(backends)('entity cache in $name', ({ available, make }) => {
  let gw: TestGateway | undefined;
  let state: SharedState | undefined;
  afterEach(async () => {
    await gw?.close();
    await state?.close();
    gw = undefined;
    state = undefined;
  });

  async function start(cache: { ttlMs: number; staleIfErrorMs: number }) {
    state = make();
    const s = state;
    if ('connection' in s) await waitFor(() => s.report().status === 'connected', 'Redis connected');
    gw = await startTestGateway(['xero', 'fragment'], { state: s, cache, retry: { retries: 0 } });
    const xero = gw.sandbox<XeroSandboxHandle>('xero');
    const ids = (count: number, offset = 0) => xero.dataset().invoices.slice(offset, offset + count).map((i) => `xero:Invoice:${i.id}`);
    return { gw, xero, ids };
  }

  it.skipIf(!available)('answers a repeated query from the cache, without a provider call', async () => {
    const { gw, xero, ids } = await start({ ttlMs: 60_000, staleIfErrorMs: 0 });
    const first = await gw.query(INVOICES, { ids: ids(3) });
    expect(first.errors).toBeUndefined();
    expect(xero.calls.count('invoices')).toBe(1);
    const second = await gw.query(INVOICES, { ids: ids(3) });
    expect(second).toEqual({ ...first, extensions: second.extensions });
    expect(second.data.invoices.map((i: { number: string }) => i.number)).toEqual(first.data.invoices.map((i: { number: string }) => i.number));
    expect(xero.calls.count('invoices')).toBe(1);
    const metrics = await (await gw.gateway.yoga.fetch('http://gateway.test/metrics')).text();
    expect(metrics).toContain('gateway_cache_lookups_total{source="xero",result="hit"} 3');
    expect(metrics).toContain('gateway_cache_lookups_total{source="xero",result="miss"} 3');
  });

  it.skipIf(!available)('sends only the uncached ids of a partly cached list, in the fewest calls', async () => {
    const { gw, xero, ids } = await start({ ttlMs: 60_000, staleIfErrorMs: 0 });
    await gw.query(INVOICES, { ids: ids(10) });
    xero.calls.reset();
    // 10 cached + 50 not: without the cache this is two calls (50 + 10); with it, one call of the 50 uncached.
    const all = ids(60);
    const answer = await gw.query(INVOICES, { ids: all });
    expect(answer.errors).toBeUndefined();
    expect(answer.data.invoices.map((i: { id: string }) => i.id)).toEqual(all);
    const calls = xero.calls.list().filter((c) => c.name === 'invoices');
    expect(calls).toHaveLength(1);
    const sent = new URLSearchParams(calls[0].query).get('IDs')!.split(',');
    expect(sent.sort()).toEqual(all.slice(10).map((id) => id.split(':')[2]).sort());
  });

  it.skipIf(!available)('serves cached invoices marked stale with their age when the provider fails, and the error for the others', async () => {
    const { gw, xero, ids } = await start({ ttlMs: 0, staleIfErrorMs: 60_000 });
    const cached = ids(2);
    const known = await gw.query(INVOICES, { ids: cached });
    expect(known.errors).toBeUndefined();
    xero.faults.inject({ routes: ['invoices'], status: 503 });
    const uncached = ids(1, 100);
    const answer = await gw.query(INVOICES, { ids: [...cached, ...uncached] });
    expect(answer.data.invoices.slice(0, 2)).toEqual(known.data.invoices);
    expect(answer.data.invoices[2]).toBeNull();
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]).toMatchObject({ path: ['invoices', 2], extensions: { code: 'UPSTREAM_UNAVAILABLE', source: 'xero' } });
    expect(answer.extensions?.stale).toHaveLength(2);
    for (const [index, id] of cached.entries()) {
      expect(answer.extensions!.stale[index]).toEqual({ id, ageMs: expect.any(Number) });
      expect(answer.extensions!.stale[index].ageMs).toBeGreaterThanOrEqual(0);
    }
  });

  it.skipIf(!available)('does not serve stale copies when stale-if-error is off', async () => {
    const { gw, xero, ids } = await start({ ttlMs: 1, staleIfErrorMs: 0 });
    await gw.query(INVOICES, { ids: ids(1) });
    await new Promise((resolve) => setTimeout(resolve, 5));
    xero.faults.inject({ routes: ['invoices'], status: 503 });
    const answer = await gw.query(INVOICES, { ids: ids(1) });
    expect(answer.data.invoices).toEqual([null]);
    expect(answer.errors![0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'xero' });
    expect(answer.extensions?.stale).toBeUndefined();
  });

  it.skipIf(!available)('answers lazily built invoices from the cache whole (Fragment, rebuilt from their wire items)', async () => {
    const { gw } = await start({ ttlMs: 60_000, staleIfErrorMs: 0 });
    const query = `{ invoices(ids: ["fragment:Invoice:inv_0004", "fragment:Invoice:inv_0001"]) {
      id status total { amount currency minorUnits } amountDue { amount }
      balances { currency net { expected { amount } remaining { amount } } } lineItems { description amount { amount } }
    } }`;
    const first = await gw.query(query);
    expect(first.errors).toBeUndefined();
    expect(first.data.invoices[0].total).toEqual({ amount: '795.973', currency: 'KWD', minorUnits: '795973' });
    const fragment = gw.sandbox('fragment');
    const calls = fragment.calls.count();
    const again = await gw.query(query);
    expect(again.data).toEqual(first.data);
    expect(fragment.calls.count()).toBe(calls);
  });

  it.skipIf(!available)('caches payments and batch payments as well', async () => {
    const { gw, xero } = await start({ ttlMs: 60_000, staleIfErrorMs: 0 });
    const data = xero.dataset();
    const query = `query ($p: [ID!]!, $b: [ID!]!) {
      payments(ids: $p) { id amount { amount currency } }
      batchPaymentsByIds(ids: $b) { id total { amount currency } }
    }`;
    const variables = {
      p: data.payments.slice(0, 3).map((p) => `xero:Payment:${p.id}`),
      b: data.batches.slice(0, 2).map((b) => `xero:BatchPayment:${b.id}`),
    };
    const first = await gw.query(query, variables);
    expect(first.errors).toBeUndefined();
    expect(first.data.payments.every(Boolean) && first.data.batchPaymentsByIds.every(Boolean)).toBe(true);
    const calls = xero.calls.count();
    expect(calls).toBe(2);
    expect((await gw.query(query, variables)).data).toEqual(first.data);
    expect(xero.calls.count()).toBe(calls);
  });

  it.skipIf(!available)('keeps simulation contexts apart: each is cached under its own key', async () => {
    state = make();
    const s = state;
    if ('connection' in s) await waitFor(() => s.report().status === 'connected', 'Redis connected');
    gw = await startTestGateway(['korint'], { state: s, cache: { ttlMs: 60_000, staleIfErrorMs: 0 } });
    const query = `{
      now: invoice(id: "korint:Invoice:kor_inv_0003") { status amountDue { amount } }
      then: invoice(id: "korint:Invoice:kor_inv_0003", simulatedAt: "2025-01-01T00:00:00Z") { status amountDue { amount } }
    }`;
    const first = await gw.query(query);
    expect(first.data).toEqual({ now: { status: 'PAID', amountDue: { amount: '0.00' } }, then: { status: 'OPEN', amountDue: { amount: '1875.00' } } });
    const korint = gw.sandbox('korint');
    const calls = korint.calls.count();
    expect(calls).toBe(2);
    const again = await gw.query(query);
    expect(again.data).toEqual(first.data);
    expect(korint.calls.count()).toBe(calls);
  });

  it.skipIf(!available)('writes a created invoice through: reading it next costs no provider call', async () => {
    const { gw } = await start({ ttlMs: 60_000, staleIfErrorMs: 0 });
    const created = await gw.query(`mutation {
      createInvoice(input: { invoiceId: "cache-through-1", lineItems: [{ amount: "42.50", currency: "USD", description: "x", productId: "p", type: PAYIN, userId: "u" }] }) { id total { amount } }
    }`);
    expect(created.errors).toBeUndefined();
    const fragment = gw.sandbox('fragment');
    const before = fragment.calls.count();
    const read = await gw.query(`{ invoice(id: "fragment:Invoice:cache-through-1") { id total { amount currency } } }`);
    expect(read.data.invoice).toEqual({ id: 'fragment:Invoice:cache-through-1', total: { amount: '42.50', currency: 'USD' } });
    expect(fragment.calls.count()).toBe(before);
  });
});
