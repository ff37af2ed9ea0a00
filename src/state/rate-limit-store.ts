// Budgets per key over a fixed window (a client's requests per minute, its upstream calls per minute). One small
// interface, so the budgets can live in this process (one replica) or in a shared store (several replicas).
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** What one `consume` decided. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Points left in the current window (0 when refused). */
  remaining: number;
  /** When refused: milliseconds until the window has room again; else 0. */
  retryAfterMs: number;
}

export interface RateLimitStore {
  /** Takes `points` from `key`'s budget of `limit` points per `windowMs`; refused when the budget would be exceeded. */
  consume(key: string, points: number, limit: number, windowMs: number): Promise<RateLimitDecision>;
  /** Releases connections and timers. */
  close(): Promise<void>;
}

/** What a store needs of its limiters: one rate-limiter-flexible limiter per limit and window. */
export type LimiterFactory = (limit: number, durationSeconds: number, id: string) => RateLimiterAbstract;

/** A store over rate-limiter-flexible limiters, made once per distinct limit and window by `make`. */
export function createLimiterStore(make: LimiterFactory): RateLimitStore {
  const limiters = new Map<string, RateLimiterAbstract>();
  const limiterFor = (limit: number, windowMs: number): RateLimiterAbstract => {
    const id = `${limit}/${windowMs}`;
    let limiter = limiters.get(id);
    if (!limiter) {
      limiter = make(limit, Math.max(1, Math.ceil(windowMs / 1000)), id);
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

/** The budgets of one process, kept by rate-limiter-flexible's in-memory limiter. */
export function createMemoryRateLimitStore(): RateLimitStore {
  return createLimiterStore((points, duration, id) => new RateLimiterMemory({ keyPrefix: id, points, duration }));
}
