// /ready answers 200 while at least one source can be called (its circuit is not open), else 503 with the reasons.
import type { Plugin } from 'graphql-yoga';
import type { SourceRegistry } from '../source-registry.js';

export function useReadiness(sources: SourceRegistry): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/ready') return;
      const states = sources.list().map((s) => ({ source: s.name, ...s.health.current() }));
      const ready = states.some((s) => s.circuit !== 'OPEN');
      endResponse(fetchAPI.Response.json({ ready, sources: states }, { status: ready ? 200 : 503 }));
    },
  };
}
