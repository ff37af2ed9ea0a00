// The gateway's Prometheus instruments (prom-client), on one registry per gateway. Every label value is bounded: an
// operation name from a capped set, a configured source name, an outcome or error code from a fixed list; never an id.
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { createLabelLimiter } from './label-limiter.js';

export type CacheResult = 'hit' | 'miss' | 'stale';

export interface GatewayMetrics {
  readonly registry: Registry;
  /** One GraphQL request answered: its operation's name, outcome and duration. */
  observeRequest(operation: string | undefined, outcome: string, seconds: number): void;
  /** One HTTP call to a provider: `outcome` is `ok` or the call's error code. */
  observeUpstreamCall(source: string, outcome: string, seconds: number, status: number | null): void;
  /** A call re-sent after a failure (the gateway's retries and a provider layer's own, such as Xero's 429 waits). */
  countRetry(source: string): void;
  /** A circuit breaker moved to `state`. */
  countCircuitTransition(source: string, state: string): void;
  /** A client was refused for spending its own budget (RATE_LIMITED). */
  countClientRateLimited(): void;
  /** Entity-cache lookups (the cache is optional; without one these stay 0). */
  countCacheLookup(source: string, result: CacheResult, count?: number): void;
}

export interface GatewayMetricsOptions {
  /** The process's CPU, memory, event-loop and GC metrics; on unless `false`. */
  defaultMetrics?: boolean;
  /** The most distinct operation names kept as label values; others count as `other`. */
  maxOperationNames?: number;
}

const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const UPSTREAM_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Creates the gateway's instruments on a registry of their own. */
export function createGatewayMetrics(options: GatewayMetricsOptions = {}): GatewayMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const operationLabel = createLabelLimiter(options.maxOperationNames ?? 200);

  const requestDuration = new Histogram({
    name: 'gateway_request_duration_seconds',
    help: 'GraphQL requests by operation name (capped; "anonymous" when unnamed) and outcome (success, partial, error, rejected)',
    labelNames: ['operation', 'outcome'],
    buckets: REQUEST_BUCKETS,
    registers,
  });
  const upstreamDuration = new Histogram({
    name: 'gateway_upstream_request_duration_seconds',
    help: 'HTTP calls to providers by source and outcome ("ok" or the error code)',
    labelNames: ['source', 'outcome'],
    buckets: UPSTREAM_BUCKETS,
    registers,
  });
  const retries = new Counter({
    name: 'gateway_upstream_retries_total',
    help: 'Upstream calls re-sent after a failure, per source',
    labelNames: ['source'],
    registers,
  });
  const upstreamRateLimited = new Counter({
    name: 'gateway_upstream_rate_limited_total',
    help: 'Upstream calls a provider refused with HTTP 429, per source',
    labelNames: ['source'],
    registers,
  });
  const circuitTransitions = new Counter({
    name: 'gateway_circuit_transitions_total',
    help: 'Circuit breaker state changes, per source and new state',
    labelNames: ['source', 'state'],
    registers,
  });
  const clientRateLimited = new Counter({
    name: 'gateway_client_rate_limited_total',
    help: 'Requests refused because the client used up its own budget (RATE_LIMITED)',
    registers,
  });
  const cacheLookups = new Counter({
    name: 'gateway_cache_lookups_total',
    help: 'Entity-cache lookups, per source and result (hit, miss, stale)',
    labelNames: ['source', 'result'],
    registers,
  });

  return {
    registry,
    observeRequest: (operation, outcome, seconds) =>
      requestDuration.observe({ operation: operationLabel(operation ?? 'anonymous'), outcome }, seconds),
    observeUpstreamCall(source, outcome, seconds, status) {
      upstreamDuration.observe({ source, outcome }, seconds);
      if (status === 429) upstreamRateLimited.inc({ source });
    },
    countRetry: (source) => retries.inc({ source }),
    countCircuitTransition: (source, state) => circuitTransitions.inc({ source, state }),
    countClientRateLimited: () => clientRateLimited.inc(),
    countCacheLookup: (source, result, count = 1) => cacheLookups.inc({ source, result }, count),
  };
}
