// /ready answers 200 while the process can serve, whatever its providers' health: a provider outage hits every replica
// alike, and taking them all out of rotation would turn a partial outage into a total one. Each source's health is in
// the JSON body for whoever wants it. It answers 503 only once the gateway is closing.
import type { Plugin } from 'graphql-yoga';
import type { SourceRegistry } from '../source-registry.js';

export function useReadiness(sources: SourceRegistry, canServe: () => boolean = () => true): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/ready') return;
      const states = sources.list().map((s) => ({ source: s.name, ...s.health.current() }));
      const ready = canServe();
      const degraded = states.some((s) => s.status !== 'UP');
      endResponse(fetchAPI.Response.json({ ready, degraded, sources: states }, { status: ready ? 200 : 503 }));
    },
  };
}
