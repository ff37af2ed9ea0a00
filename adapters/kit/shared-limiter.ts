// A per-key rate limiter whose counters live in a store shared by every replica (Redis), so N replicas together stay
// under one provider quota (Xero: 5 in flight, 60 a minute, 5000 a day per tenant). The store does the atomic part;
// this file keeps the waiting (per key in this process, in turn by party: fair-queue.ts), the deadlines and the
// fallback: while the store cannot be reached, each replica keeps its own conservative share of the limits, so no call
// fails because the store is down.
import { createFairQueue, type FairQueue } from './fair-queue.js';
import { createRateLimiter, RateLimitWaitError, type AcquireOptions, type RateLimiter, type RateLimiterKeyState } from './rate-limiter.js';

/** One rolling window of a shared limit: at most `limit` starts in any `windowMs`. */
export interface SharedWindow {
  limit: number;
  windowMs: number;
}

/** The limits of one key, as the store applies them. */
export interface SharedLimits {
  maxInFlight: number;
  windows: SharedWindow[];
  /** How long a held slot survives without being refreshed (a replica that died while holding it). */
  leaseMs: number;
}

/** A slot held in the store; refreshed by the store while held, released once. */
export interface SharedLease {
  release(): void;
}

/** What one attempt at the store decided. */
export type SharedAttempt =
  | { granted: true; lease: SharedLease }
  /** `waitMs`: when a window or a deferral is the reason, the time until a start may fit; undefined when slots are all held. */
  | { granted: false; waitMs: number | undefined };

/**
 * The contract a shared store (Redis in the gateway) fulfils for the kit's limiter. Every method is atomic across
 * replicas; every method rejects when the store cannot be reached.
 */
export interface LimiterStore {
  /** Takes one in-flight slot and one start in every window of `key`, all or nothing. */
  tryAcquire(key: string, limits: SharedLimits): Promise<SharedAttempt>;
  /** Nothing starts for `key` before `waitMs` from now (a provider's Retry-After). */
  deferFor(key: string, waitMs: number): Promise<void>;
  /** Counts the starts a provider's remaining-count hint implies for `window` that the store did not see (other clients). */
  observeRemaining(key: string, window: SharedWindow, remaining: number): Promise<void>;
  /** False while the store is known to be unreachable; the limiter then uses its per-process share at once. */
  available(): boolean;
  /** The part of each limit one replica keeps while the store is unreachable (1 / expected replicas). */
  readonly fallbackShare: number;
}

export interface SharedRateLimiterOptions {
  store: LimiterStore;
  /** Prefix of every key in the store (`xero`), so two kinds of provider never share counters. */
  namespace: string;
  maxInFlight: number;
  /** The first window is the one a remaining-count hint refers to. */
  windows: SharedWindow[];
  leaseMs: number;
  /** Longest pause between two attempts while every slot is held elsewhere. */
  pollMs?: number;
}

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (error: Error) => void;
  options: AcquireOptions;
  onAbort?: () => void;
}

/** The per-process share of a limit: never 0, never more than the limit. */
export function shareOf(limit: number, share: number): number {
  return Math.max(1, Math.min(limit, Math.floor(limit * share)));
}

/** Creates a limiter that keeps its counters in `store`, and a per-process share of them while the store is unreachable. */
export function createSharedRateLimiter(options: SharedRateLimiterOptions): RateLimiter {
  const { store } = options;
  const limits: SharedLimits = { maxInFlight: options.maxInFlight, windows: options.windows, leaseMs: options.leaseMs };
  const pollMs = options.pollMs ?? 25;
  const minute = options.windows[0];
  const fallback = createRateLimiter({
    maxInFlight: shareOf(options.maxInFlight, store.fallbackShare),
    perWindow: shareOf(minute.limit, store.fallbackShare),
    windowMs: minute.windowMs,
  });
  const queues = new Map<string, FairQueue<Waiter>>();
  const pumping = new Set<string>();
  /** Wakes a key's pump when this process releases a slot, rather than waiting for the next poll. */
  const wakers = new Map<string, () => void>();
  const inFlight = new Map<string, number>();
  let closed = false;

  const storeKey = (key: string) => `${options.namespace}:${key}`;
  const detach = (w: Waiter) => w.onAbort && w.options.signal?.removeEventListener('abort', w.onAbort);

  const grant = (key: string, lease: SharedLease): (() => void) => {
    inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
      lease.release();
      wakers.get(key)?.();
    };
  };

  /** Hands the waiter to the per-process limiter (the store is unreachable). */
  const toFallback = (key: string, waiter: Waiter) => {
    detach(waiter);
    fallback.acquire(key, waiter.options).then(waiter.resolve, waiter.reject);
  };

  const pump = async (key: string): Promise<void> => {
    if (pumping.has(key)) return;
    pumping.add(key);
    const queue = queues.get(key)!;
    try {
      while (queue.size > 0 && !closed) {
        const head = queue.peek()!;
        if (!store.available()) {
          for (const waiter of queue.drain()) toFallback(key, waiter);
          return;
        }
        let attempt: SharedAttempt;
        try {
          attempt = await store.tryAcquire(storeKey(key), limits);
        } catch {
          for (const waiter of queue.drain()) toFallback(key, waiter);
          return;
        }
        if (queue.peek() !== head) {
          // The head gave up while the store answered: hand its slot to the next waiter.
          if (attempt.granted) {
            if (queue.size > 0) {
              const next = queue.shift()!;
              detach(next);
              next.resolve(grant(key, attempt.lease));
            } else attempt.lease.release();
          }
          continue;
        }
        if (attempt.granted) {
          queue.shift();
          detach(head);
          head.resolve(grant(key, attempt.lease));
          continue;
        }
        const { maxWaitMs } = head.options;
        if (attempt.waitMs !== undefined && maxWaitMs !== undefined && attempt.waitMs > maxWaitMs) {
          queue.shift();
          detach(head);
          head.reject(new RateLimitWaitError('too-long', attempt.waitMs));
          continue;
        }
        // Wait for the window to open, or poll (a slot held by another replica frees without telling us).
        const pause = Math.min(attempt.waitMs ?? pollMs, pollMs * 4);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, Math.max(1, pause));
          function done() {
            clearTimeout(timer);
            wakers.delete(key);
            resolve();
          }
          wakers.set(key, done);
        });
      }
    } finally {
      pumping.delete(key);
    }
  };

  return {
    acquire(key, acquireOptions = {}) {
      if (closed) return Promise.reject(new RateLimitWaitError('closed', undefined));
      if (acquireOptions.signal?.aborted) return Promise.reject(new RateLimitWaitError('aborted', undefined));
      if (!store.available()) return fallback.acquire(key, acquireOptions);
      return new Promise((resolve, reject) => {
        let queue = queues.get(key);
        if (!queue) queues.set(key, (queue = createFairQueue<Waiter>()));
        const waiter: Waiter = { resolve, reject, options: acquireOptions };
        const { signal } = acquireOptions;
        if (signal) {
          waiter.onAbort = () => {
            if (!queue!.remove(waiter)) return;
            reject(new RateLimitWaitError('aborted', undefined));
          };
          signal.addEventListener('abort', waiter.onAbort, { once: true });
        }
        queue.push(acquireOptions.party ?? '', waiter);
        void pump(key);
      });
    },
    deferUntil(key, untilMs) {
      fallback.deferUntil(key, untilMs);
      const waitMs = untilMs - Date.now();
      if (waitMs > 0 && store.available()) store.deferFor(storeKey(key), waitMs).catch(() => undefined);
    },
    observeRemaining(key, remaining) {
      fallback.observeRemaining(key, remaining);
      if (store.available()) store.observeRemaining(storeKey(key), minute, remaining).catch(() => undefined);
    },
    state(key): RateLimiterKeyState {
      const local = fallback.state(key);
      return {
        inFlight: local.inFlight + (inFlight.get(key) ?? 0),
        queued: local.queued + (queues.get(key)?.size ?? 0),
        startedInWindow: local.startedInWindow,
        blockedUntil: local.blockedUntil,
      };
    },
    close() {
      closed = true;
      fallback.close();
      for (const queue of queues.values()) {
        for (const waiter of queue.drain()) {
          detach(waiter);
          waiter.reject(new RateLimitWaitError('closed', undefined));
        }
      }
      for (const wake of wakers.values()) wake();
    },
  };
}
