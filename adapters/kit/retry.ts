// Retries of idempotent calls on network errors, timeouts, 5xx and 429: exponential backoff with full jitter, a
// provider's Retry-After honoured, and never a wait that would pass the caller's deadline. A provider that stayed
// silent for a whole call timeout is not asked again: it is hung or drowning, and another attempt would hold every
// other source's answer for one more timeout. A call the caller stopped (CallAbortedError) is never retried.
import { CircuitOpenError } from './circuit-breaker.js';
import { AdapterError, isRetryable, isSilence } from './errors.js';
import type { HttpMiddleware } from './http.js';

export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  /** The first backoff; each retry doubles it. */
  baseDelayMs: number;
  /** No backoff (nor Retry-After) longer than this is waited; the error is answered instead. */
  maxDelayMs: number;
  /** The time one attempt may take (the call timeout): a timeout is retried only when the deadline leaves that much. */
  attemptMs?: number;
  random?: () => number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Waits `ms`, rejecting early when `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** True for failures another attempt may cure: the call may not have been served, or was refused for now. */
export function isTransient(error: unknown): error is AdapterError {
  return isRetryable(error) && !(error instanceof CircuitOpenError);
}

/** Middleware retrying idempotent requests (`req.idempotent`, or any GET) within the request's deadline. */
export function retryMiddleware(options: RetryOptions): HttpMiddleware {
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  return async (req, next) => {
    const idempotent = req.idempotent ?? req.method === 'GET';
    for (let attempt = 0; ; attempt++) {
      try {
        return await next(req);
      } catch (error) {
        if (!idempotent || attempt >= options.retries || !isTransient(error) || req.signal?.aborted) throw error;
        const backoff = random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
        const delay = error.retryAfter !== undefined ? Math.max(error.retryAfter * 1000, backoff) : backoff;
        const tooLong = delay > options.maxDelayMs || (req.deadline !== undefined && now() + delay >= req.deadline);
        if (tooLong || isSilence(error)) throw error;
        // A timeout says the provider is slow: try again only when a whole attempt still fits before the deadline.
        const noRoom =
          error.code === 'UPSTREAM_TIMEOUT' &&
          options.attemptMs !== undefined &&
          req.deadline !== undefined &&
          now() + delay + options.attemptMs > req.deadline;
        if (noRoom) throw error;
        try {
          await sleep(delay, req.signal);
        } catch {
          throw error;
        }
      }
    }
  };
}
