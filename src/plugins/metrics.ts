// Prometheus metrics at /metrics (prom-client): GraphQL requests, and per source the upstream calls, time and errors.
import type { Plugin } from 'graphql-yoga';
import { Counter, Gauge, Registry } from 'prom-client';
import type { GatewayContext } from '../context.js';
import type { SourceRegistry } from '../source-registry.js';
import type { EntityCacheStats } from '../state/entity-cache.js';
import type { SharedStateReport } from '../state/shared-state.js';

/** What /metrics reports beside the requests: the shared state and the entity cache, when the gateway has them. */
export interface StateMetricsSources {
  sharedState?: () => SharedStateReport;
  cacheStats?: () => EntityCacheStats;
}

export function useMetrics(sources: SourceRegistry, state: StateMetricsSources = {}): Plugin<GatewayContext> {
  const registry = new Registry();
  const requests = new Counter({ name: 'gateway_graphql_requests_total', help: 'GraphQL operations executed', registers: [registry] });
  const calls = new Counter({
    name: 'gateway_upstream_calls_total',
    help: 'Upstream calls, per source',
    labelNames: ['source'],
    registers: [registry],
  });
  const seconds = new Counter({
    name: 'gateway_upstream_seconds_total',
    help: 'Time spent in upstream calls, per source',
    labelNames: ['source'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'gateway_upstream_errors_total',
    help: 'Upstream errors, per source and code',
    labelNames: ['source', 'code'],
    registers: [registry],
  });
  new Gauge({
    name: 'gateway_source_up',
    help: '1 while the source circuit is closed or half-open, 0 while open',
    labelNames: ['source'],
    registers: [registry],
    collect() {
      for (const source of sources.list()) this.set({ source: source.name }, source.health.current().circuit === 'OPEN' ? 0 : 1);
    },
  });

  if (state.sharedState) {
    const report = state.sharedState;
    new Gauge({
      name: 'gateway_shared_state_up',
      help: '1 while limits and cache are shared through Redis (or kept in memory without REDIS_URL), 0 while Redis is unreachable and this replica runs on per-process limits',
      labelNames: ['backend'],
      registers: [registry],
      collect() {
        const current = report();
        this.set({ backend: current.backend }, current.status === 'degraded' ? 0 : 1);
      },
    });
  }
  if (state.cacheStats) {
    const stats = state.cacheStats;
    let counted = { hits: 0, misses: 0, stale: 0 };
    new Counter({
      name: 'gateway_entity_cache_lookups_total',
      help: 'Entity cache lookups: hit (fresh, no provider call), miss, stale (served because the provider failed)',
      labelNames: ['result'],
      registers: [registry],
      // The cache counts by itself; each scrape adds what it counted since the last one.
      collect() {
        const current = stats();
        this.inc({ result: 'hit' }, current.hits - counted.hits);
        this.inc({ result: 'miss' }, current.misses - counted.misses);
        this.inc({ result: 'stale' }, current.stale - counted.stale);
        counted = current;
      },
    });
  }

  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/metrics') return;
      endResponse(new fetchAPI.Response(await registry.metrics(), { headers: { 'content-type': registry.contentType } }));
    },
    onExecute({ args }) {
      const ctx = args.contextValue as GatewayContext;
      return {
        onExecuteDone() {
          requests.inc();
          for (const [source, summary] of Object.entries(ctx.upstream.toJSON())) {
            calls.inc({ source }, summary.calls);
            seconds.inc({ source }, summary.timeMs / 1000);
            for (const code of summary.errors) errors.inc({ source, code });
          }
        },
      };
    },
  };
}
