// The clients' budgets (requests and upstream calls per minute, shares of a provider's quota) kept in Redis for every
// replica, by rate-limiter-flexible. While Redis is unreachable, or hangs, each replica answers from an in-memory
// "insurance" limiter holding its share of the budget (limit × fallbackShare, at least 1 point), so no request fails or
// waits because Redis is down and N replicas together stay near the budget. While the connection says Redis is not
// answering, the insurance limiter is asked directly, without a command that would only time out.
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { shareOf } from '../../adapters/kit/shared-limiter.js';
import { createLimiterStore, type RateLimitStore } from './rate-limit-store.js';
import { clientHealth, type RedisHealth } from './redis-connection.js';

export interface RedisRateLimitStoreOptions {
  keyPrefix: string;
  /** The part of each budget one replica keeps while Redis is unreachable (1 / expected replicas). */
  fallbackShare: number;
  /** Whether to send at all (the connection's health); a bare client's status when absent. */
  health?: RedisHealth;
}

/** Creates the shared RateLimitStore over `client`. */
export function createRedisRateLimitStore(client: Redis, options: RedisRateLimitStoreOptions): RateLimitStore {
  const health = options.health ?? clientHealth(client);
  // One insurance limiter per limit and window, used by the Redis limiter on errors and directly while Redis is away.
  const insurance = new Map<string, RateLimiterMemory>();
  const insuranceFor = (points: number, duration: number, id: string) => {
    let limiter = insurance.get(id);
    if (!limiter) {
      limiter = new RateLimiterMemory({ keyPrefix: `insurance:${id}`, points: shareOf(points, options.fallbackShare), duration });
      insurance.set(id, limiter);
    }
    return limiter;
  };
  const shared = createLimiterStore(
    (points, duration, id) =>
      new RateLimiterRedis({
        storeClient: client,
        keyPrefix: `${options.keyPrefix}rate:${id}`,
        points,
        duration,
        // Not ready: go to the insurance limiter at once rather than wait for a reconnection.
        rejectIfRedisNotReady: true,
        insuranceLimiter: insuranceFor(points, duration, id),
      }),
  );
  const local = createLimiterStore(insuranceFor);
  return {
    consume(key, points, limit, windowMs) {
      return health.available() ? shared.consume(key, points, limit, windowMs) : local.consume(key, points, limit, windowMs);
    },
    async close() {
      await shared.close();
      await local.close();
      insurance.clear();
    },
  };
}
