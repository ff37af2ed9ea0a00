// The Redis half of the shared tenant limiter, against a real redis-server: in-flight slots, rolling windows (several at
// once, as Xero's minute and day), deferral after Retry-After, the provider's remaining-count hints, leases that expire
// when their holder dies; and the kit's limiter over a Redis that cannot be reached: per-process shares, no failure.
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createSharedRateLimiter, type LimiterStore, type SharedLimits } from '../../adapters/kit/shared-limiter.js';
import { createRedisLimiterStore } from '../../src/state/redis-limiter-store.js';
import { redisServerAvailable, reportRedisSkipped } from '../support/redis-server.js';
import { quietRedis, useRedisSuite } from '../support/redis-suite.js';
import { waitFor } from '../support/replicas.js';

reportRedisSkipped('test/state/redis-limiter-store.test.ts');

describe.skipIf(!redisServerAvailable)('Redis limiter store', () => {
  const redisSuite = useRedisSuite();

  async function storeOn(prefix = `t-${Math.random()}:`): Promise<{ store: LimiterStore; client: Redis }> {
    const client = redisSuite.client();
    await waitFor(() => client.status === 'ready', 'connected');
    return { store: createRedisLimiterStore(client, { keyPrefix: prefix, fallbackShare: 1 / 3 }), client };
  }
  const limits = (over: Partial<SharedLimits> = {}): SharedLimits => ({
    maxInFlight: 100,
    windows: [{ limit: 100, windowMs: 60_000 }],
    leaseMs: 10_000,
    ...over,
  });

  it('grants at most maxInFlight slots, and one more once a slot is released', async () => {
    const { store } = await storeOn();
    const l = limits({ maxInFlight: 2 });
    const a = await store.tryAcquire('k', l);
    const b = await store.tryAcquire('k', l);
    expect([a.granted, b.granted]).toEqual([true, true]);
    expect(await store.tryAcquire('k', l)).toEqual({ granted: false, waitMs: undefined });
    if (a.granted) a.lease.release();
    await waitFor(async () => (await store.tryAcquire('k', l)).granted, 'a freed slot');
  });

  it('counts starts in every window and says how long until the fullest one has room', async () => {
    const { store } = await storeOn();
    const l = limits({ windows: [{ limit: 5, windowMs: 60_000 }, { limit: 3, windowMs: 3_600_000 }] });
    for (let i = 0; i < 3; i += 1) {
      const attempt = await store.tryAcquire('k', l);
      expect(attempt.granted).toBe(true);
      if (attempt.granted) attempt.lease.release();
    }
    const refused = await store.tryAcquire('k', l);
    expect(refused.granted).toBe(false);
    expect(!refused.granted && refused.waitMs).toBeGreaterThan(60_000);
    expect(!refused.granted && refused.waitMs).toBeLessThanOrEqual(3_600_000);
  });

  it('holds every start back after a deferral, and counts the starts a remaining-count hint implies', async () => {
    const { store } = await storeOn();
    await store.deferFor('k', 30_000);
    const deferred = await store.tryAcquire('k', limits());
    expect(deferred.granted).toBe(false);
    expect(!deferred.granted && deferred.waitMs).toBeGreaterThan(25_000);

    const window = { limit: 10, windowMs: 60_000 };
    await store.observeRemaining('h', window, 4);
    const granted = [];
    for (let i = 0; i < 6; i += 1) granted.push((await store.tryAcquire('h', limits({ windows: [window] }))).granted);
    expect(granted).toEqual([true, true, true, true, false, false]);
  });

  it("gives a dead holder's slots back once its leases expire, not before", async () => {
    const dying = await storeOn('shared:');
    const survivor = await storeOn('shared:');
    const l = limits({ maxInFlight: 1, leaseMs: 1_200 });
    expect((await dying.store.tryAcquire('k', l)).granted).toBe(true);
    // Refreshed while its holder lives: still held well past one lease.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await survivor.store.tryAcquire('k', l)).granted).toBe(false);
    dying.client.disconnect();
    await waitFor(async () => (await survivor.store.tryAcquire('k', l)).granted, 'the lease expired', 5_000);
  });
});

describe('the shared limiter over a Redis that cannot be reached', () => {
  it('keeps a per-process share of the limits and fails no call', async () => {
    const client = quietRedis('redis://127.0.0.1:1', { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    const store = createRedisLimiterStore(client, { keyPrefix: 'x:', fallbackShare: 1 / 3 });
    const limiter = createSharedRateLimiter({ store, namespace: 'xero', maxInFlight: 5, windows: [{ limit: 60, windowMs: 60_000 }], leaseMs: 1_000 });
    const first = await limiter.acquire('tenant');
    let second: (() => void) | undefined;
    const waiting = limiter.acquire('tenant').then((release) => (second = release));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // 5 in flight across 3 replicas: 1 for this one while Redis is away.
    expect(second).toBeUndefined();
    expect(limiter.state('tenant').inFlight).toBe(1);
    first();
    await waiting;
    second!();
    limiter.close();
    client.disconnect();
  });
});
