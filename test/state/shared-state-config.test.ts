// Choosing the shared state from the environment: memory without REDIS_URL (one replica, as before), Redis with it;
// bad values stop the start with the rest of the problems; the URL's password never reaches a message or /ready.
import { describe, expect, it } from 'vitest';
import { providers } from '../../adapters/index.js';
import { loadConfig } from '../../src/config.js';
import { configError } from '../support/config.js';
import { createSharedState } from '../../src/state/create-shared-state.js';
import { startTestGateway } from '../support/gateway.js';

describe('shared state configuration', () => {
  it('keeps everything in memory without REDIS_URL, with the cache off', async () => {
    const config = loadConfig({}, providers);
    expect(config.sharedState).toEqual({ redisUrl: undefined, keyPrefix: 'invoice-gateway:', replicas: 3, leaseMs: 10_000, commandTimeoutMs: 250 });
    expect(config.cache).toEqual({ ttlMs: 0, staleIfErrorMs: 0, maxEntries: 10_000 });
    const state = createSharedState(config);
    expect(state.limiterStore).toBeUndefined();
    expect(state.report()).toEqual({ backend: 'memory', status: 'local' });
    await state.close();
  });

  it('reads REDIS_URL, the expected replicas, the lease and the cache durations', () => {
    const config = loadConfig(
      { REDIS_URL: 'redis://:pw@127.0.0.1:6390/2', GATEWAY_REPLICAS: '4', REDIS_LEASE_MS: '3000', GATEWAY_CACHE_TTL_MS: '5000', GATEWAY_STALE_IF_ERROR_MS: '600000' },
      providers,
    );
    expect(config.sharedState).toMatchObject({ redisUrl: 'redis://:pw@127.0.0.1:6390/2', replicas: 4, leaseMs: 3000 });
    expect(config.cache).toMatchObject({ ttlMs: 5000, staleIfErrorMs: 600_000 });
  });

  it('refuses a REDIS_URL that is not redis:// and bad durations, in one message without the password', () => {
    const message = configError({ REDIS_URL: 'http://user:s3cret-pw@cache.example.test', GATEWAY_CACHE_TTL_MS: '-1', GATEWAY_REPLICAS: '0' }).message;
    expect(message).toMatch(/REDIS_URL/);
    expect(message).toMatch(/GATEWAY_CACHE_TTL_MS/);
    expect(message).toMatch(/GATEWAY_REPLICAS/);
    expect(message).not.toContain('s3cret-pw');
  });

  it('says in /ready and /metrics that state is kept in this process', async () => {
    const gw = await startTestGateway(['fragment']);
    try {
      const ready = await (await gw.gateway.yoga.fetch('http://gateway.test/ready')).json();
      expect(ready.sharedState).toEqual({ backend: 'memory', status: 'local' });
      const metrics = await (await gw.gateway.yoga.fetch('http://gateway.test/metrics')).text();
      expect(metrics).toContain('gateway_shared_state_up{backend="memory"} 1');
    } finally {
      await gw.close();
    }
  });
});
