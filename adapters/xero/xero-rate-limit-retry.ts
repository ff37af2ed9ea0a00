// Xero answers 429 (older integrations: 503 with Retry-After or X-Rate-Limit-Problem) when a tenant's limits are spent.
// A short Retry-After is worth waiting out; a long one (the minute or day budget is gone) or a caller's deadline is not:
// the gateway then answers UPSTREAM_RATE_LIMITED with retryAfter so the client can come back.
import { AdapterError, parseRetryAfter } from '../kit/errors.js';
import { errorForStatus, type HttpMiddleware } from '../kit/http.js';
import { abortableSleep } from '../kit/retry.js';

export interface XeroRateLimitRetryOptions {
  source: string;
  /** Retries after the first rate-limited answer. */
  retries: number;
  /** Retry-After beyond this is not waited out. */
  maxWaitSeconds: number;
  /** Waits `ms` or rejects when `signal` aborts (injectable for tests). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

function isRateLimit503(headers: Record<string, string>): boolean {
  return headers['retry-after'] !== undefined || headers['x-rate-limit-problem'] !== undefined;
}

/** Middleware that waits out short Retry-After answers and retries; otherwise answers UPSTREAM_RATE_LIMITED. */
export function xeroRateLimitRetry(options: XeroRateLimitRetryOptions): HttpMiddleware {
  const sleep = options.sleep ?? abortableSleep;
  const limited = (status: number, retryAfter: number, cause?: unknown) =>
    new AdapterError('UPSTREAM_RATE_LIMITED', `${options.source} is rate limiting requests`, {
      source: options.source,
      status,
      retryAfter,
      cause,
      // This layer made Xero's retries already; the gateway's own retries must not multiply them.
      retryable: false,
    });

  return async (req, next) => {
    const callerAccepts503 = req.acceptStatus?.includes(503) ?? false;
    const acceptStatus = callerAccepts503 ? req.acceptStatus : [...(req.acceptStatus ?? []), 503];
    for (let attempt = 0; ; attempt += 1) {
      let status: number;
      let retryAfter: number | undefined;
      let cause: unknown;
      try {
        const response = await next({ ...req, acceptStatus });
        if (response.status !== 503 || callerAccepts503) return response;
        if (!isRateLimit503(response.headers)) throw errorForStatus(options.source, 503, response.headers);
        status = 503;
        retryAfter = parseRetryAfter(response.headers['retry-after']);
      } catch (error) {
        if (!(error instanceof AdapterError) || error.code !== 'UPSTREAM_RATE_LIMITED' || error.status !== 429) throw error;
        status = 429;
        retryAfter = error.retryAfter;
        cause = error;
      }
      const wait = retryAfter ?? 1;
      const pastDeadline = req.deadline !== undefined && Date.now() + wait * 1000 >= req.deadline;
      if (attempt >= options.retries || wait > options.maxWaitSeconds || pastDeadline || req.signal?.aborted) {
        throw limited(status, wait, cause);
      }
      try {
        await sleep(wait * 1000, req.signal);
      } catch {
        throw limited(status, wait, cause);
      }
    }
  };
}
