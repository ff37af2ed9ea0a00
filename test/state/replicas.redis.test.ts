// Three gateways sharing one Redis and one Xero sandbox tenant, as three replicas behind a load balancer. What the
// sandbox saw is the measure: never more than the tenant's limits, no 429, every query answered; a client's budget
// holds across the replicas; a replica that dies holding Xero slots gives them back within the lease; Redis stopped
// mid-load fails no request, and once back the limits are shared again. The "minute" is 2 s here, in both the sandbox
// and the adapter, so the window limit is reached quickly with the same semantics.
import { afterEach, describe, expect, it } from 'vitest';
import type { GraphQLAnswer } from '../support/gateway.js';
import { redisServerAvailable, reportRedisSkipped } from '../support/redis-server.js';
import { useRedisSuite } from '../support/redis-suite.js';
import { startReplicas, waitFor, type Replicas } from '../support/replicas.js';

reportRedisSkipped('test/state/replicas.redis.test.ts');

const WINDOW_MS = 2_000;
const MARGIN_MS = 0;
const INVOICES = `query ($ids: [ID!]!) { invoices(ids: $ids) { id number } }`;

describe.skipIf(!redisServerAvailable)('three replicas, one quota', () => {
  const redisSuite = useRedisSuite();
  let stack: Replicas | undefined;
  let prefix = '';

  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  async function start(perWindow: number, extra: Partial<Parameters<typeof startReplicas>[0]> = {}) {
    prefix = `replicas-${Math.random().toString(36).slice(2)}:`;
    stack = await startReplicas({
      count: 3,
      redisUrl: redisSuite.server.url,
      keyPrefix: prefix,
      xero: { rateWindowMs: WINDOW_MS, perMinuteLimit: perWindow, rateWindowMarginMs: MARGIN_MS, maxRetryAfterWaitSeconds: 5 },
      ...extra,
    });
    stack.sandbox.limits.minuteMs = WINDOW_MS;
    stack.sandbox.limits.perMinute = perWindow;
    stack.sandbox.resetLimits();
    return stack;
  }

  const leasesKey = (tenant: string) => `${prefix}limit:{xero:${tenant}}:leases`;
  const startsKey = (tenant: string) => `${prefix}limit:{xero:${tenant}}:starts:${WINDOW_MS + MARGIN_MS}`;

  it('keeps the tenant under 5 in flight and the per-window limit across three replicas under load from many clients', async () => {
    // The callers are anonymous, one party for the gateway: lift its share of the tenant so it may take the whole window.
    const { sandbox, tenant, replicas, invoiceIds } = await start(30, { gateway: { rateLimit: { providerSharePercent: 100 } } });
    sandbox.latencyMs = 30;
    // 3 replicas × 5 clients × 2 queries of 60 ids: 60 Xero calls, twice the window's 30, started as fast as allowed.
    const answers: GraphQLAnswer[] = [];
    await Promise.all(
      replicas.flatMap((replica, r) =>
        Array.from({ length: 5 }, async (_, c) => {
          for (let q = 0; q < 2; q += 1) {
            const ids = invoiceIds(60, ((r * 5 + c) * 2 + q) % 240);
            answers.push(await replica.query(INVOICES, { ids }));
          }
        }),
      ),
    );
    expect(answers).toHaveLength(30);
    for (const answer of answers) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data.invoices).toHaveLength(60);
      expect(answer.data.invoices.every((invoice: unknown) => invoice !== null)).toBe(true);
    }
    const seen = sandbox.observedLimits(tenant);
    // 60 calls were needed; a call retried after a dropped keep-alive connection may add one.
    expect(sandbox.calls.count('invoices')).toBeGreaterThanOrEqual(60);
    expect(seen.refused).toEqual({});
    expect(sandbox.calls.list().filter((c) => c.status === 429)).toEqual([]);
    expect(seen.peakInFlight).toBeLessThanOrEqual(5);
    expect(seen.peakInFlight).toBeGreaterThan(1);
    expect(seen.peakPerMinute).toBeLessThanOrEqual(30);
  });

  it("holds a client's budget across the three replicas", async () => {
    const { replicas } = await start(60);
    const decisions = [];
    for (let i = 0; i < 30; i += 1) {
      decisions.push(await replicas[i % 3].state.rateLimits.consume('client:web', 1, 10, 60_000));
    }
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    expect(decisions.slice(10).every((d) => !d.allowed && d.retryAfterMs > 0)).toBe(true);
  });

  it("holds a client's requests-per-minute across the three replicas, as the gateway answers them", async () => {
    const { replicas, invoiceIds } = await start(1000, { gateway: { rateLimit: { requestsPerMinute: 6 } } });
    const answers: GraphQLAnswer[] = [];
    for (let i = 0; i < 18; i += 1) answers.push(await replicas[i % 3].query(INVOICES, { ids: invoiceIds(1) }));
    const refused = answers.filter((a) => a.errors?.[0]?.extensions?.code === 'RATE_LIMITED');
    expect(answers.filter((a) => a.data?.invoices?.length === 1)).toHaveLength(6);
    expect(refused).toHaveLength(12);
    expect(refused.every((a) => a.errors![0].extensions!.retryAfter >= 1)).toBe(true);
  });

  it('gives the slots of a replica that died holding them back to the others within the lease time', async () => {
    const { sandbox, tenant, replicas, invoiceIds } = await start(1000, { leaseMs: 1_500 });
    const [dying, survivor] = replicas;
    // The dying replica's five calls hang at Xero: it holds all five slots.
    sandbox.faults.inject({ routes: ['invoices'], hang: true, times: 5 });
    const hold = new AbortController();
    const held = Promise.resolve(
      dying.gateway.yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: INVOICES, variables: { ids: invoiceIds(250) } }),
        signal: hold.signal,
      }),
    ).catch(() => undefined);
    await waitFor(async () => (await redisSuite.inspect.zcard(leasesKey(tenant))) === 5, 'five slots held');
    await waitFor(() => sandbox.calls.count('invoices') === 5, 'five calls at Xero');

    let answered: GraphQLAnswer | undefined;
    const waiting = survivor.query(INVOICES, { ids: invoiceIds(1, 260) }).then((answer) => (answered = answer));
    // While the holder lives (and refreshes its leases) the survivor's call waits for a slot.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(answered).toBeUndefined();
    expect(sandbox.calls.count('invoices')).toBe(5);

    // The holder dies: its Redis connection goes without releasing anything, and its leases stop being refreshed.
    dying.state.connection.client.disconnect();
    await waitFor(() => answered !== undefined, 'the survivor answered', 10_000);
    await waiting;
    expect(answered!.errors).toBeUndefined();
    expect(answered!.data.invoices[0]).toMatchObject({ id: invoiceIds(1, 260)[0] });
    expect(sandbox.calls.count('invoices')).toBe(6);
    hold.abort();
    sandbox.faults.clear();
    await held;
  });

  it('answers every query while Redis is stopped mid-load, says so in /ready and /metrics, and shares limits again once it is back', async () => {
    const { sandbox, tenant, replicas, invoiceIds } = await start(1000);
    sandbox.latencyMs = 5;
    const answers: GraphQLAnswer[] = [];
    let running = true;
    const load = Promise.all(
      replicas.flatMap((replica, r) =>
        Array.from({ length: 3 }, async (_, c) => {
          for (let q = 0; running; q += 1) answers.push(await replica.query(INVOICES, { ids: invoiceIds(3, (r * 30 + c * 10 + q) % 290) }));
        }),
      ),
    );
    const answeredAtLeast = (n: number) => waitFor(() => answers.length >= n, `${n} answers`);
    await answeredAtLeast(20);
    expect(await redisSuite.inspect.zcard(startsKey(tenant))).toBeGreaterThan(0);

    await redisSuite.server.stop();
    await waitFor(() => replicas.every((r) => r.state.report().status === 'degraded'), 'replicas degraded');
    const stoppedAt = answers.length;
    await answeredAtLeast(stoppedAt + 30);
    for (const replica of replicas) {
      expect(JSON.parse(await replica.get('/ready'))).toMatchObject({ sharedState: { backend: 'redis', status: 'degraded' } });
      expect(await replica.get('/metrics')).toContain('gateway_shared_state_up{backend="redis"} 0');
    }

    await redisSuite.server.start();
    redisSuite.reconnectInspect();
    await waitFor(() => replicas.every((r) => r.state.report().status === 'connected'), 'replicas reconnected');
    const resumedAt = answers.length;
    await answeredAtLeast(resumedAt + 20);
    running = false;
    await load;

    // The restarted Redis started empty: the starts it now holds were counted there, shared, after the reconnection.
    expect(await redisSuite.inspect.zcard(startsKey(tenant))).toBeGreaterThan(0);
    for (const replica of replicas) {
      expect(JSON.parse(await replica.get('/ready'))).toMatchObject({ sharedState: { backend: 'redis', status: 'connected' } });
    }
    for (const answer of answers) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data.invoices).toHaveLength(3);
    }
    expect(JSON.stringify(answers)).not.toMatch(/redis|ECONNREFUSED/i);
  });
});
