// A source's health as the schema shows it, read from its circuit breaker.
import type { CircuitBreaker } from '../adapters/kit/circuit-breaker.js';

export type HealthStatus = 'UP' | 'DEGRADED' | 'DOWN';

export interface SourceHealth {
  status: HealthStatus;
  circuit: 'CLOSED' | 'OPEN' | 'HALF_OPEN';
  consecutiveFailures: number;
  lastErrorCode: string | null;
  lastFailureAt: string | null;
}

export interface SourceHealthTracker {
  current(): SourceHealth;
}

/** Health from a breaker: DOWN while open, DEGRADED while failures are piling up, else UP. */
export function healthFromBreaker(breaker: CircuitBreaker): SourceHealthTracker {
  return {
    current() {
      const snap = breaker.snapshot();
      const status: HealthStatus =
        snap.state === 'OPEN' ? 'DOWN' : snap.state === 'HALF_OPEN' || snap.consecutiveFailures > 0 ? 'DEGRADED' : 'UP';
      return {
        status,
        circuit: snap.state,
        consecutiveFailures: snap.consecutiveFailures,
        lastErrorCode: snap.lastErrorCode,
        lastFailureAt: snap.lastFailureAt === null ? null : new Date(snap.lastFailureAt).toISOString(),
      };
    },
  };
}
