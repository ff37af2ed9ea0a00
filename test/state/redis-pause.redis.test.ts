// A Redis that hangs (SIGSTOP: connections open, nothing answered) is treated like a Redis that is gone: every command
// has a short deadline, past it the replicas answer on their per-process share, /ready and gateway_shared_state_up say
// so, and no Xero slot is granted to an attempt that was given up. Once Redis runs again (SIGCONT, when it also runs
// every command that waited) the limits are shared again at once: no slot is left held for a lease time (60 s here, so
// a stale slot would show). Outcomes only; generous bounds where time must pass. bench/redis-pause.ts measures how fast.
import { Redis } from 'ioredis';
import { createMemoryRateLimitStore } from '../../src/state/rate-limit-store.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisServerAvailable, reportRedisSkipped, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startReplicas, waitFor, type Replicas } from '../support/replicas.js';

reportRedisSkipped('test/state/redis-pause.redis.test.ts');

const INVOICES = `query ($ids: [ID!]!) { invoices(ids: $ids) { id number } }`;
const LEASE_MS = 60_000;

describe.skipIf(!redisServerAvailable)('a Redis that hangs', () => {
  let redis: RedisServer;
  let inspect: Redis;
  let stack: Replicas | undefined;
  let prefix = '';

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    inspect?.disconnect();
    await redis?.close();
  });
  afterEach(async () => {
    redis.resume();
    await stack?.close();
    stack = undefined;
  });

  async function readyOf(stackReplicas: Replicas) {
    return Promise.all(stackReplicas.replicas.map(async (replica) => JSON.parse(await replica.get('/ready')).sharedState.status as string));
  }

  async function queryAll(stackReplicas: Replicas, rounds: number, size: number) {
    const answers = await Promise.all(
      stackReplicas.replicas.flatMap((replica, r) =>
        Array.from({ length: rounds }, (_, q) => replica.query(INVOICES, { ids: stackReplicas.invoiceIds(size, ((r * rounds + q) * size) % 200) })),
      ),
    );
    for (const answer of answers) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data.invoices.every((invoice: unknown) => invoice !== null)).toBe(true);
    }
    return answers.length;
  }

  it('keeps answering during the pause, says so, and shares the limits again at once after it, with no slot left held', async () => {
    prefix = `pause-${Math.random().toString(36).slice(2)}:`;
    // Two replicas, two Xero slots: an attempt granted after its caller gave up would hold one for the whole lease.
    // The clients' budgets stay in memory here, so the first Redis command of a lookup is its Xero attempt.
    stack = await startReplicas({
      count: 2,
      redisUrl: redis.url,
      keyPrefix: prefix,
      leaseMs: LEASE_MS,
      xero: { concurrentLimit: 2 },
      gateway: { rateLimitStore: createMemoryRateLimitStore(), requestTimeoutMs: 8_000 },
    });
    stack.sandbox.latencyMs = 20;
    const tenant = stack.tenant;
    const leases = `${prefix}limit:{xero:${tenant}}:leases`;
    const starts = `${prefix}limit:{xero:${tenant}}:starts:${60_000 + 500}`;
    inspect = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    inspect.on('error', () => undefined);
    await queryAll(stack, 2, 10);
    expect(await readyOf(stack)).toEqual(['connected', 'connected']);

    redis.pause();
    // Lookups sent right away, before the replicas know: their attempts wait in Redis's socket, then time out.
    await queryAll(stack, 3, 10);
    await waitFor(async () => (await readyOf(stack!)).every((status) => status === 'degraded'), '/ready degraded', 10_000);
    const metrics = await stack.replicas[0].get('/metrics');
    expect(metrics).toMatch(/^gateway_shared_state_up\{backend="redis"\} 0$/m);
    // Still answering, on each replica's share.
    await queryAll(stack, 3, 10);

    redis.resume();
    await waitFor(async () => (await readyOf(stack!)).every((status) => status === 'connected'), '/ready connected', 10_000);
    const startsBefore = await inspect.zcard(starts);
    // Answered through Redis again: every call is logged there, and no slot was left to an attempt given up.
    await queryAll(stack, 4, 10);
    expect(await inspect.zcard(starts)).toBeGreaterThanOrEqual(startsBefore + 8);
    expect(await inspect.zcard(leases)).toBe(0);
    expect(stack.sandbox.observedLimits(tenant).refused).toEqual({});
  });
});
