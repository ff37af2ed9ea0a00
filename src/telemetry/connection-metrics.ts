// `gateway_source_connection_up{source}`: 0 while a source's credentials can no longer be renewed (its consent revoked,
// its organisation disconnected: someone must run `npm run connect`), 1 otherwise. Never a token or a tenant in a label.
import { Gauge, type Registry } from 'prom-client';
import type { SourceRegistry } from '../source-registry.js';

/** Registers the gauge on `registry`, read from each source's adapter when scraped. */
export function registerConnectionGauge(registry: Registry, sources: SourceRegistry): void {
  new Gauge({
    name: 'gateway_source_connection_up',
    help: '0 while the source needs reconnecting (its refresh token or consent was refused), else 1',
    labelNames: ['source'],
    registers: [registry],
    collect() {
      for (const source of sources.list()) {
        this.set({ source: source.name }, source.adapter.connectionState?.()?.status === 'reconnect-required' ? 0 : 1);
      }
    },
  });
}
