// The idempotency records of the payment writes, in memory and in a real redis-server: one claim wins however many
// arrive at once, a settled record carries the outcome, a release removes only the record it was given, records expire,
// and a Redis that cannot be reached falls back to this process's memory without failing.
import { describe, expect, it } from 'vitest';
import {
  createMemoryIdempotencyStore,
  createRedisIdempotencyStore,
  type IdempotencyRecord,
  type IdempotencyStore,
} from '../../src/state/idempotency-store.js';
import { redisServerAvailable, reportRedisSkipped } from '../support/redis-server.js';
import { useRedisSuite } from '../support/redis-suite.js';
import { waitFor } from '../support/replicas.js';

reportRedisSkipped('test/state/idempotency-store.test.ts');

const record = (digest: string, firstAt = 1): IdempotencyRecord => ({ digest, firstAt });

/** The behaviour every store shares. */
function behaves(make: () => Promise<IdempotencyStore>) {
  it('lets one of many concurrent claims record, and answers the others that record', async () => {
    const store = await make();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => store.claim('k1', record(`d${i}`), 60_000)));
    const winners = answers.filter((a) => a === undefined);
    expect(winners).toHaveLength(1);
    const winner = `d${answers.indexOf(undefined)}`;
    for (const answer of answers.filter((a) => a !== undefined)) expect(answer).toEqual(record(winner));
  });

  it('keeps the outcome a settle writes', async () => {
    const store = await make();
    expect(await store.claim('k2', record('d'), 60_000)).toBeUndefined();
    await store.settle('k2', { ...record('d'), outcome: { type: 'Payment', remoteId: 'p-1' } }, 60_000);
    expect(await store.claim('k2', record('other'), 60_000)).toEqual({ digest: 'd', firstAt: 1, outcome: { type: 'Payment', remoteId: 'p-1' } });
  });

  it('releases a record only while it is the one given', async () => {
    const store = await make();
    await store.claim('k3', record('d'), 60_000);
    await store.release('k3', record('not-this-one'));
    expect(await store.claim('k3', record('e'), 60_000)).toEqual(record('d'));
    await store.release('k3', record('d'));
    expect(await store.claim('k3', record('e'), 60_000)).toBeUndefined();
    // Settled since: a release of the bare claim no longer matches.
    await store.settle('k3', { ...record('e'), outcome: { type: 'Payment', remoteId: 'p' } }, 60_000);
    await store.release('k3', record('e'));
    expect((await store.claim('k3', record('f'), 60_000))?.outcome).toEqual({ type: 'Payment', remoteId: 'p' });
  });
}

describe('memory idempotency store', () => {
  behaves(async () => createMemoryIdempotencyStore());

  it('forgets a record after its time to live, and the oldest beyond its size', async () => {
    let clock = 0;
    const store = createMemoryIdempotencyStore({ now: () => clock, maxEntries: 2 });
    await store.claim('a', record('a'), 1_000);
    clock = 999;
    expect(await store.claim('a', record('b'), 1_000)).toEqual(record('a'));
    clock = 1_000;
    expect(await store.claim('a', record('b'), 1_000)).toBeUndefined();
    await store.claim('b', record('b'), 1_000);
    await store.claim('c', record('c'), 1_000);
    expect(await store.claim('a', record('z'), 1_000)).toBeUndefined();
  });
});

describe.skipIf(!redisServerAvailable)('Redis idempotency store', () => {
  const redisSuite = useRedisSuite();
  const client = async (url?: string) => redisSuite.client(url);
  const prefix = () => `t-${Math.random()}:`;

  behaves(async () => {
    const redis = await client();
    await waitFor(() => redis.status === 'ready', 'connected');
    return createRedisIdempotencyStore(redis, prefix());
  });

  it('shares records between two replicas, with the time to live as a Redis expiry', async () => {
    const [a, b] = [await client(), await client()];
    await waitFor(() => a.status === 'ready' && b.status === 'ready', 'connected');
    const p = prefix();
    const one = createRedisIdempotencyStore(a, p);
    const two = createRedisIdempotencyStore(b, p);
    expect(await one.claim('shared', record('d'), 60_000)).toBeUndefined();
    expect(await two.claim('shared', record('e'), 60_000)).toEqual(record('d'));
    const ttl = await a.pttl(`${p}idempotency:shared`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('falls back to its own memory when Redis cannot be reached, and never fails', async () => {
    const unreachable = await client('redis://127.0.0.1:1');
    const store = createRedisIdempotencyStore(unreachable, prefix());
    expect(await store.claim('k', record('d'), 60_000)).toBeUndefined();
    expect(await store.claim('k', record('e'), 60_000)).toEqual(record('d'));
    await store.settle('k', { ...record('d'), outcome: { type: 'Payment', remoteId: 'p' } }, 60_000);
    await expect(store.release('k', record('d'))).resolves.toBeUndefined();
  });
});
