// A circuit breaker per source: after consecutive failures it refuses calls at once, lets one probe through after a
// cool-down, and closes again when the probe succeeds. Only the provider's own failures count: a call the caller
// stopped (client gone, deadline, limit) says nothing about the provider, and neither does a call that started before
// the circuit last opened and ends after it.
import { AdapterError, CallAbortedError } from './errors.js';
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
  /** While open: milliseconds until a probe may go through (0 once the cool-down has passed); else undefined. */
  probeDueInMs(): number | undefined;
  /** Calls `listener` on every change of state; answers the function that unsubscribes it. */
  onChange(listener: (state: CircuitState) => void): () => void;
}

/** Failures that say the source is down or too slow; a 4xx or a rate limit is an answer, not an outage. */
function countsAsFailure(error: unknown): error is AdapterError {
  return (
    error instanceof AdapterError &&
    !(error instanceof CallAbortedError) &&
    (error.code === 'UPSTREAM_UNAVAILABLE' || error.code === 'UPSTREAM_TIMEOUT')
  );
}

/** True when the provider answered (a 4xx, a 429): it is up, whatever it said. */
function isAnswer(error: unknown): boolean {
  return error instanceof AdapterError && error.status !== undefined;
}

/** Creates a circuit breaker whose middleware guards every call of one source. */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const now = options.now ?? Date.now;
  let state: CircuitState = 'CLOSED';
  let consecutiveFailures = 0;
  let openedAt = 0;
  // Bumped each time the circuit opens: an outcome of an older epoch is stale.
  let epoch = 0;
  let probing = false;
  let lastErrorCode: string | null = null;
  let lastFailureAt: number | null = null;
  const listeners = new Set<(state: CircuitState) => void>();

  const setState = (next: CircuitState) => {
    if (next === state) return;
    state = next;
    options.onStateChange?.(next);
    for (const listener of listeners) listener(next);
  };
  const open = () => {
    epoch += 1;
    openedAt = now();
    setState('OPEN');
  };
  const close = () => {
    consecutiveFailures = 0;
    setState('CLOSED');
  };

  const refuse = (): never => {
    const retryAfter = Math.max(0, Math.ceil((openedAt + options.coolDownMs - now()) / 1000));
    throw new CircuitOpenError('UPSTREAM_UNAVAILABLE', `${options.source} is unavailable (circuit open)`, {
      source: options.source,
      retryAfter,
      retryable: false,
    });
  };

  const middleware: HttpMiddleware = async (req, next) => {
    let probe = false;
    if (state === 'OPEN') {
      if (now() - openedAt < options.coolDownMs) refuse();
      setState('HALF_OPEN');
    }
    if (state === 'HALF_OPEN') {
      if (probing) refuse();
      probing = true;
      probe = true;
    }
    const startedIn = epoch;
    try {
      const response = await next(req);
      // A call that started before the circuit opened proves nothing about the provider now; the probe decides.
      if (probe || (state === 'CLOSED' && startedIn === epoch)) close();
      return response;
    } catch (error) {
      if (countsAsFailure(error)) {
        if (probe || startedIn === epoch) {
          consecutiveFailures += 1;
          lastErrorCode = error.code;
          lastFailureAt = now();
          if (probe || (state === 'CLOSED' && consecutiveFailures >= options.failureThreshold)) open();
        }
      } else if (probe) {
        if (isAnswer(error)) close();
        // Stopped by the caller or a limit: the probe learnt nothing, and the next call may probe at once.
        else setState('OPEN');
      }
      throw error;
    } finally {
      if (probe) probing = false;
    }
  };

  return {
    middleware,
    snapshot: () => ({ state, consecutiveFailures, lastErrorCode, lastFailureAt }),
    probeDueInMs: () => (state === 'OPEN' ? Math.max(0, openedAt + options.coolDownMs - now()) : undefined),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
