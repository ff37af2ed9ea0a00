// The limits read from the environment: documented defaults, overrides, and every bad value listed at once.
import { describe, expect, it } from 'vitest';
import { providers } from '../../adapters/index.js';
import { loadConfig } from '../../src/config.js';
import { configError } from '../support/config.js';
import { DEFAULT_LIMITS, DEFAULT_RATE_LIMIT } from '../../src/limits/limit-settings.js';

describe('limit configuration', () => {
  it('defaults to the documented limits', () => {
    const config = loadConfig({}, providers);
    expect(config.limits).toEqual({
      maxDepth: 15,
      maxAliases: 500,
      maxTokens: 20_000,
      maxDirectives: 50,
      maxCost: 200_000,
      maxIdsPerOperation: 2_000,
      assumedListSize: 10,
      maxUpstreamCallsPerSource: 25,
      maxObjects: 100_000,
      maxResponseBytes: 16_777_216,
    });
    expect(config.limits).toEqual(DEFAULT_LIMITS);
    expect(config.rateLimit).toEqual({ requestsPerMinute: 600, upstreamCallsPerMinute: 1_200, providerSharePercent: 50 });
    expect(config.rateLimit).toEqual(DEFAULT_RATE_LIMIT);
  });

  it('takes each limit from its variable', () => {
    const config = loadConfig(
      {
        GATEWAY_MAX_DEPTH: '20',
        GATEWAY_MAX_COST: '1000000',
        GATEWAY_MAX_IDS_PER_OPERATION: '5000',
        GATEWAY_MAX_UPSTREAM_CALLS_PER_SOURCE: '40',
        GATEWAY_RATE_LIMIT_REQUESTS_PER_MINUTE: '6000',
      },
      providers,
    );
    expect(config.limits).toMatchObject({ maxDepth: 20, maxCost: 1_000_000, maxIdsPerOperation: 5000, maxUpstreamCallsPerSource: 40 });
    expect(config.rateLimit.requestsPerMinute).toBe(6000);
  });

  it('lists every bad value', () => {
    const problems = configError({ GATEWAY_MAX_DEPTH: '0', GATEWAY_MAX_TOKENS: 'many', GATEWAY_RATE_LIMIT_UPSTREAM_CALLS_PER_MINUTE: '-1' }).problems.join('\n');
    for (const variable of ['GATEWAY_MAX_DEPTH', 'GATEWAY_MAX_TOKENS', 'GATEWAY_RATE_LIMIT_UPSTREAM_CALLS_PER_MINUTE']) {
      expect(problems).toContain(variable);
    }
  });
});
