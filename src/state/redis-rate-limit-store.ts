// The clients' budgets (requests and upstream calls per minute) kept in Redis for every replica, by rate-limiter-flexible.
// While Redis is unreachable each replica answers from an in-memory "insurance" limiter holding its share of the budget
// (limit × fallbackShare, at least 1 point), so no request fails because Redis is down and N replicas together stay
// near the budget.
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { shareOf } from '../../adapters/kit/shared-limiter.js';
import { createLimiterStore, type RateLimitStore } from './rate-limit-store.js';

export interface RedisRateLimitStoreOptions {
  keyPrefix: string;
  /** The part of each budget one replica keeps while Redis is unreachable (1 / expected replicas). */
  fallbackShare: number;
}

/** Creates the shared RateLimitStore over `client`. */
export function createRedisRateLimitStore(client: Redis, options: RedisRateLimitStoreOptions): RateLimitStore {
  return createLimiterStore(
    (points, duration, id) =>
      new RateLimiterRedis({
        storeClient: client,
        keyPrefix: `${options.keyPrefix}rate:${id}`,
        points,
        duration,
        // Not ready: go to the insurance limiter at once rather than wait for a reconnection.
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: `insurance:${id}`, points: shareOf(points, options.fallbackShare), duration }),
      }),
  );
}
