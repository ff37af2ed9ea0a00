// The state that must hold across replicas, behind one interface: the providers' quota counters (LimiterStore), the
// clients' budgets (RateLimitStore), the entity cache's backend and the payment writes' idempotency records. In memory (one replica, nothing to install) or in
// Redis (REDIS_URL), chosen once at start.
import type { Logger } from 'pino';
import type { LimiterStore } from '../../adapters/kit/shared-limiter.js';
import { createMemoryCacheBackend, createRedisCacheBackend, type CacheBackend } from './entity-cache.js';
import { createMemoryIdempotencyStore, createRedisIdempotencyStore, type IdempotencyStore } from './idempotency-store.js';
import { createMemoryRateLimitStore, type RateLimitStore } from './rate-limit-store.js';
import { connectRedis, type RedisConnection, type SharedStateStatus } from './redis-connection.js';
import { createRedisLimiterStore } from './redis-limiter-store.js';
import { createRedisRateLimitStore } from './redis-rate-limit-store.js';
import { STATE_DEFAULTS } from './state-settings.js';

/** What /ready and /metrics report of the shared state. */
export interface SharedStateReport {
  backend: 'memory' | 'redis';
  /** `connected`: limits are shared; `degraded`: Redis is unreachable and this replica keeps its own share. */
  status: SharedStateStatus | 'local';
  /** ISO time since which the status holds (Redis only). */
  since?: string;
}

export interface SharedState {
  /** Providers' quotas across replicas; undefined in memory, where each adapter keeps its own limiter as before. */
  readonly limiterStore?: LimiterStore;
  /** How long a quota slot outlives a replica that died holding it. */
  readonly leaseMs?: number;
  readonly rateLimits: RateLimitStore;
  readonly cacheBackend: CacheBackend;
  /** What each idempotency key of a payment write was used for (src/state/idempotency-store.ts). */
  readonly idempotency: IdempotencyStore;
  report(): SharedStateReport;
  close(): Promise<void>;
}

/** Everything in this process. */
export function createMemoryState(options: { cacheMaxEntries?: number } = {}): SharedState {
  const rateLimits = createMemoryRateLimitStore();
  return {
    rateLimits,
    cacheBackend: createMemoryCacheBackend(options.cacheMaxEntries),
    idempotency: createMemoryIdempotencyStore(),
    report: () => ({ backend: 'memory', status: 'local' }),
    close: () => rateLimits.close(),
  };
}

export interface RedisStateOptions {
  url: string;
  /** Prefix of every key, so several deployments can share one Redis. */
  keyPrefix?: string;
  /** Replicas expected; while Redis is unreachable each keeps 1/replicas of every limit. */
  replicas: number;
  /** Lease of a quota slot (ms). */
  leaseMs?: number;
  /** How long a Redis command may take before its caller falls back (REDIS_COMMAND_TIMEOUT_MS). */
  commandTimeoutMs?: number;
  logger?: Logger;
}

export interface RedisState extends SharedState {
  /** The connection (tests stop it to play a replica that dies holding slots). */
  readonly connection: RedisConnection;
  /** The prefix of every key (change notifications add their streams under it). */
  readonly keyPrefix: string;
}

/** Everything that must hold across replicas in Redis at `url`. */
export function createRedisState(options: RedisStateOptions): RedisState {
  const connection = connectRedis(options.url, { logger: options.logger, commandTimeoutMs: options.commandTimeoutMs });
  const keyPrefix = options.keyPrefix ?? STATE_DEFAULTS.REDIS_KEY_PREFIX;
  const fallbackShare = 1 / Math.max(1, options.replicas);
  const rateLimits = createRedisRateLimitStore(connection.client, { keyPrefix, fallbackShare, health: connection });
  return {
    connection,
    keyPrefix,
    limiterStore: createRedisLimiterStore(connection.client, { keyPrefix, fallbackShare, health: connection }),
    leaseMs: options.leaseMs ?? STATE_DEFAULTS.REDIS_LEASE_MS,
    rateLimits,
    cacheBackend: createRedisCacheBackend(connection.client, keyPrefix, connection),
    idempotency: createRedisIdempotencyStore(connection.client, keyPrefix),
    report: () => ({ backend: 'redis', status: connection.status(), since: new Date(connection.since()).toISOString() }),
    async close() {
      await rateLimits.close();
      await connection.close();
    },
  };
}
