// Prometheus metrics at /metrics (prom-client): the gateway's histograms and counters (src/telemetry/metrics.ts), the
// process's default metrics, and per source the upstream calls, time, errors and circuit state.
import type { Plugin } from 'graphql-yoga';
import { Counter, Gauge } from 'prom-client';
import type { GatewayContext } from '../context.js';
import type { SourceRegistry } from '../source-registry.js';
import type { GatewayMetrics } from '../telemetry/metrics.js';

export function useMetrics(sources: SourceRegistry, metrics: GatewayMetrics): Plugin<GatewayContext> {
  const { registry } = metrics;
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
            for (const { code, count } of summary.errors) errors.inc({ source, code }, count);
          }
        },
      };
    },
  };
}
