// Upstream failures in the log without flooding it: during an outage every request fails the same way, and a line (with
// a stack) per failure would bury everything else. Each cause (source, code, HTTP status) is logged at `warn` the first
// time it is seen in an interval; the repeats are counted and reported once when the interval ends. Each failure's
// detail (the error and its stack, the request id) is logged at `debug`.
import type { Logger } from 'pino';
import { AdapterError } from '../../adapters/kit/errors.js';
import { errorCodeOf } from '../errors.js';

/** How long repeats of one cause are counted before they are reported: one line per cause per minute at most. */
export const UPSTREAM_FAILURE_LOG_INTERVAL_MS = 60_000;

export interface UpstreamFailureLog {
  /**
   * One failure of `source` that reached a response; `logger` is the request's (it carries the request id). `code`
   * names the cause when the error carries none of its own (the identity provider's JWKS, say).
   */
  record(logger: Logger, source: string, error: unknown, code?: string): void;
  /** Reports the repeats counted so far and stops the timer. */
  close(): void;
}

interface Cause {
  source: string;
  code: string;
  status?: number;
  /** Failures seen after the first one of this interval. */
  repeats: number;
  firstAt: string;
}

/** Creates the log of upstream failures; `intervalMs` is how long repeats of one cause are counted. */
export function createUpstreamFailureLog(logger: Logger, intervalMs = UPSTREAM_FAILURE_LOG_INTERVAL_MS): UpstreamFailureLog {
  return createFailureLog(logger, { intervalMs, what: 'upstream failure' });
}

/**
 * The same for failures of any one kind (`what`: "upstream failure", "trace export failure"): one warn line per cause,
 * then a count per interval.
 */
export function createFailureLog(logger: Logger, options: { what: string; intervalMs?: number }): UpstreamFailureLog {
  const { what } = options;
  const intervalMs = options.intervalMs ?? UPSTREAM_FAILURE_LOG_INTERVAL_MS;
  const causes = new Map<string, Cause>();
  const flush = () => {
    for (const cause of causes.values()) {
      if (cause.repeats === 0) continue;
      const { repeats, ...which } = cause;
      logger.warn({ ...which, count: repeats + 1, intervalMs }, `${what}, repeated`);
    }
    // A cause seen again after this starts a new interval, with a line of its own at once.
    causes.clear();
  };
  const timer = setInterval(flush, intervalMs);
  timer.unref();

  return {
    record(requestLogger, source, error, given) {
      const code = given ?? errorCodeOf(error);
      const status = error instanceof AdapterError ? error.status : undefined;
      requestLogger.debug({ source, code, status, err: error }, what);
      const key = `${source}\u0000${code}\u0000${status ?? ''}`;
      const known = causes.get(key);
      if (known) {
        known.repeats += 1;
        return;
      }
      causes.set(key, { source, code, status, repeats: 0, firstAt: new Date().toISOString() });
      const message = error instanceof Error ? error.message : String(error);
      // The cause's own words too when they are not ours (a network error under a JWKS fetch, say): never a body.
      const cause = error instanceof Error && error.cause instanceof Error && given ? { cause: error.cause.message } : {};
      requestLogger.warn({ source, code, status, message, ...cause }, `${what} (repeats of this cause are counted and reported once per interval)`);
    },
    close() {
      clearInterval(timer);
      flush();
    },
  };
}
