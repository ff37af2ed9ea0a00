// The clients' budgets (requests and upstream calls per minute) kept in Redis for every replica, by rate-limiter-flexible.
// While Redis is unreachable each replica answers from an in-memory "insurance" limiter holding its share of the budget
// (limit × fallbackShare, at least 1 point), so no request fails because Redis is down and N replicas together stay
// near the budget.
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { shareOf } from '../../adapters/kit/shared-limiter.js';
import type { RateLimitStore } from './rate-limit-store.js';

export interface RedisRateLimitStoreOptions {
  keyPrefix: string;
  /** The part of each budget one replica keeps while Redis is unreachable (1 / expected replicas). */
  fallbackShare: number;
}

/** Creates the shared RateLimitStore over `client`. */
export function createRedisRateLimitStore(client: Redis, options: RedisRateLimitStoreOptions): RateLimitStore {
  const limiters = new Map<string, RateLimiterRedis>();
  const limiterFor = (limit: number, windowMs: number): RateLimiterRedis => {
    const id = `${limit}/${windowMs}`;
    let limiter = limiters.get(id);
    if (!limiter) {
      const duration = Math.max(1, Math.ceil(windowMs / 1000));
      limiter = new RateLimiterRedis({
        storeClient: client,
        keyPrefix: `${options.keyPrefix}rate:${id}`,
        points: limit,
        duration,
        // Not ready: go to the insurance limiter at once rather than wait for a reconnection.
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({
          keyPrefix: `insurance:${id}`,
          points: shareOf(limit, options.fallbackShare),
          duration,
        }),
      });
      limiters.set(id, limiter);
    }
    return limiter;
  };
  return {
    async consume(key, points, limit, windowMs) {
      try {
        const res = await limiterFor(limit, windowMs).consume(key, points);
        return { allowed: true, remaining: res.remainingPoints, retryAfterMs: 0 };
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes) return { allowed: false, remaining: 0, retryAfterMs: refusal.msBeforeNext };
        throw refusal;
      }
    },
    async close() {
      limiters.clear();
    },
  };
}
