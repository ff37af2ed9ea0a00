// Three replicas of the gateway on one real redis-server and one Xero sandbox, seeded with one refresh token whose chain
// is strictly single-use (no grace period): one refresh per connection at a time across replicas, each new refresh
// token stored before use, so the sandbox sees no invalid_grant and no spent token twice. And the decision for a Redis
// that cannot be reached just as a refresh is due: the replica serves with its access token until that one really
// expires, then answers UPSTREAM_UNAVAILABLE for Xero without calling the token endpoint, and renews once Redis is back.
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisState, type RedisState } from '../../src/state/shared-state.js';
import { createTokenStore, type GatewayTokenStore } from '../../src/state/token-store.js';
import { redisServerAvailable, reportRedisSkipped } from '../support/redis-server.js';
import { useRedisSuite } from '../support/redis-suite.js';
import { waitFor } from '../support/replicas.js';
import {
  refreshTokensSent,
  startConnectionGateway,
  startXeroConnectionSandbox,
  xeroSpec,
  type ConnectionGateway,
  type XeroConnectionSandbox,
} from '../support/xero-connection.js';

reportRedisSkipped('test/state/token-replicas.redis.test.ts');

const INVOICES = `query Invoices($ids: [ID!]!) { invoices(ids: $ids) { id number } }`;
const KEY = Buffer.alloc(32, 3);

describe.skipIf(!redisServerAvailable)('a connection shared by three replicas', () => {
  const redisSuite = useRedisSuite();
  let x: XeroConnectionSandbox | undefined;
  const replicas: Array<ConnectionGateway & { state: RedisState; tokens: GatewayTokenStore }> = [];

  afterEach(async () => {
    for (const replica of replicas.splice(0)) {
      await replica.close();
      await replica.state.close();
      await replica.tokens.close();
    }
    await x?.close();
  });

  async function startThree(lifetimeSeconds: number) {
    x = await startXeroConnectionSandbox({ lifetimeSeconds, graceSeconds: 0 });
    // The tenant's real-time minute limit is not what this suite measures.
    x.sandbox.limits.perMinute = 1000;
    const keyPrefix = `tokens-${Math.random().toString(36).slice(2)}:`;
    for (let i = 0; i < 3; i += 1) {
      const state = createRedisState({ url: redisSuite.server.url, keyPrefix, replicas: 3 });
      const tokens = createTokenStore({ redisUrl: redisSuite.server.url, keyPrefix, file: '/nonexistent/unused.json', key: KEY });
      const gateway = await startConnectionGateway([xeroSpec(x.settings({ perMinuteLimit: 1000 }))], {
        tokenClock: x.clock.now,
        state,
        rateLimitStore: state.rateLimits,
        tokenStore: tokens,
        connections: ['xero'],
        retry: { retries: 0 },

      });
      replicas.push({ ...gateway, state, tokens });
    }
    await waitFor(async () => (await Promise.all(replicas.map((r) => r.tokens.ready(10)))).every(Boolean), 'token stores connected');
    for (const replica of replicas) await replica.gateway.start();
    return { x, keyPrefix };
  }

  it('renews across 5 lifetimes with one seed: every answer served, no invalid_grant, one refresh per lifetime (+1)', async () => {
    const { x: sandbox, keyPrefix } = await startThree(60);
    const ids = sandbox.sandbox
      .dataset()
      .invoices.slice(0, 30)
      .map((i) => `xero:Invoice:${i.id}`);
    let failed = 0;
    for (let step = 0; step < 25; step += 1) {
      // The three replicas at once, so they meet at the refresh lock.
      const answers = await Promise.all(replicas.map((r, i) => r.query(INVOICES, { ids: ids.slice((step + i) % 25, ((step + i) % 25) + 3) })));
      failed += answers.filter((a) => a.errors || a.data?.invoices.some((i: unknown) => i === null)).length;
      sandbox.clock.advance(12_000);
    }
    expect(failed).toBe(0);
    const stats = sandbox.sandbox.identity.stats();
    expect(stats).toMatchObject({ invalidGrants: 0, refreshReuses: 0 });
    expect(stats.refreshes).toBeGreaterThanOrEqual(5);
    expect(stats.refreshes).toBeLessThanOrEqual(6);
    expect(refreshTokensSent(sandbox.sandbox).filter((t) => t === sandbox.seed)).toHaveLength(1);
    // The tokens are one key per connection, without expiry, and sealed.
    const key = `${keyPrefix}tokens:xero`;
    expect(await redisSuite.inspect.pttl(key)).toBe(-1);
    const sealed = (await redisSuite.inspect.get(key))!;
    expect(sealed).toMatch(/^v1\./);
    for (const token of refreshTokensSent(sandbox.sandbox)) expect(sealed).not.toContain(token);
  });

  it('Redis unreachable when a refresh is due: serves until the access token expires, then UPSTREAM_UNAVAILABLE without rotating; renews once Redis answers', async () => {
    const { x: sandbox, keyPrefix } = await startThree(600);
    const ids = [`xero:Invoice:${sandbox.sandbox.dataset().invoices[0].id}`];
    for (const replica of replicas) expect((await replica.query(INVOICES, { ids })).errors).toBeUndefined();
    expect(sandbox.sandbox.identity.stats().refreshes).toBe(1);
    const tokenCalls = sandbox.sandbox.calls.count('token');

    // Inside the renewal margin (less than a tenth of the lifetime left), and Redis goes away (it keeps its data on
    // disk in production: the test puts the tokens' key back when it returns).
    sandbox.clock.advance(560_000);
    const key = `${keyPrefix}tokens:xero`;
    const sealed = (await redisSuite.inspect.get(key))!;
    await redisSuite.server.stop();
    const held = await replicas[0].query(INVOICES, { ids });
    expect(held.errors).toBeUndefined();
    // Past the access token's expiry: no token that can be trusted, and no rotation that nobody could record.
    sandbox.clock.advance(60_000);
    for (const replica of replicas) {
      const refused = await replica.query(INVOICES, { ids });
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'xero' });
      expect(refused.errors?.[0].message).toMatch(/token store is unreachable/);
    }
    expect(sandbox.sandbox.calls.count('token')).toBe(tokenCalls);

    // Redis answers again: one replica renews, the others read its result.
    await redisSuite.server.start();
    await redisSuite.inspect.set(key, sealed);
    await waitFor(async () => (await Promise.all(replicas.map((r) => r.tokens.ready(10)))).every(Boolean), 'token stores reconnected');
    for (const replica of replicas) expect((await replica.query(INVOICES, { ids })).errors).toBeUndefined();
    expect(sandbox.sandbox.identity.stats()).toMatchObject({ refreshes: 2, invalidGrants: 0, refreshReuses: 0 });
  });
});
