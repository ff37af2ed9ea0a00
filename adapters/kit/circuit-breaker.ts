// A circuit breaker per source: after consecutive failures it refuses calls at once, lets one probe through after a
// cool-down, and closes again when the probe succeeds.
import { AdapterError } from './errors.js';
import type { HttpMiddleware } from './http.js';

/** The refusal of an open circuit: no call was made, so it is not worth retrying. */
export class CircuitOpenError extends AdapterError {
  override name = 'CircuitOpenError';
}

export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface CircuitBreakerOptions {
  source: string;
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before a probe is let through. */
  coolDownMs: number;
  now?: () => number;
  /** Told of every state change (metrics). */
  onStateChange?: (state: CircuitState) => void;
}

export interface CircuitSnapshot {
  state: CircuitState;
  consecutiveFailures: number;
  lastErrorCode: string | null;
  lastFailureAt: number | null;
}

export interface CircuitBreaker {
  readonly middleware: HttpMiddleware;
  snapshot(): CircuitSnapshot;
}

/** Failures that say the source is down or too slow; a 4xx or a rate limit is an answer, not an outage. */
function countsAsFailure(error: unknown): boolean {
  return error instanceof AdapterError && (error.code === 'UPSTREAM_UNAVAILABLE' || error.code === 'UPSTREAM_TIMEOUT');
}

/** Creates a circuit breaker whose middleware guards every call of one source. */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const now = options.now ?? Date.now;
  let state: CircuitState = 'CLOSED';
  let consecutiveFailures = 0;
  let openedAt = 0;
  let probing = false;
  let lastErrorCode: string | null = null;
  let lastFailureAt: number | null = null;
  const moveTo = (next: CircuitState) => {
    if (next === state) return;
    state = next;
    options.onStateChange?.(next);
  };

  const refuse = (): never => {
    const retryAfter = Math.max(0, Math.ceil((openedAt + options.coolDownMs - now()) / 1000));
    throw new CircuitOpenError('UPSTREAM_UNAVAILABLE', `${options.source} is unavailable (circuit open)`, {
      source: options.source,
      retryAfter,
    });
  };

  const middleware: HttpMiddleware = async (req, next) => {
    let probe = false;
    if (state === 'OPEN') {
      if (now() - openedAt < options.coolDownMs) refuse();
      moveTo('HALF_OPEN');
    }
    if (state === 'HALF_OPEN') {
      if (probing) refuse();
      probing = true;
      probe = true;
    }
    try {
      const response = await next(req);
      consecutiveFailures = 0;
      moveTo('CLOSED');
      return response;
    } catch (error) {
      if (countsAsFailure(error)) {
        consecutiveFailures += 1;
        lastErrorCode = (error as AdapterError).code;
        lastFailureAt = now();
        if (probe || consecutiveFailures >= options.failureThreshold) {
          moveTo('OPEN');
          openedAt = now();
        }
      } else if (probe) {
        // The source answered (with a 4xx, say): it is up.
        consecutiveFailures = 0;
        moveTo('CLOSED');
      }
      throw error;
    } finally {
      if (probe) probing = false;
    }
  };

  return {
    middleware,
    snapshot: () => ({ state, consecutiveFailures, lastErrorCode, lastFailureAt }),
  };
}
