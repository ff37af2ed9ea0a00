// What request code reports that the HTTP and GraphQL hooks cannot see by themselves (today: entity-cache lookups).
import { trace } from '@opentelemetry/api';
import type { CacheResult, GatewayMetrics } from './metrics.js';

export interface RequestTelemetry {
  /** Entity-cache lookups of `source` answered `result`; counted, and noted on the operation's span while tracing. */
  cacheLookup(source: string, result: CacheResult, count?: number): void;
}

/** Creates the hooks a request's context carries. */
export function createRequestTelemetry(metrics: GatewayMetrics): RequestTelemetry {
  return {
    cacheLookup(source, result, count = 1) {
      metrics.countCacheLookup(source, result, count);
      trace.getActiveSpan()?.addEvent('cache lookup', { 'gateway.source': source, 'gateway.cache.result': result, 'gateway.cache.count': count });
    },
  };
}
