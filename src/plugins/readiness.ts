// /ready answers 200 while at least one source can be called (its circuit is not open), else 503 with the reasons.
import type { Plugin } from 'graphql-yoga';
import type { SourceRegistry } from '../source-registry.js';
import type { SharedStateReport } from '../state/shared-state.js';

/** `state()` adds the shared state's report (`sharedState`): Redis connected, or degraded to per-process limits. */
export function useReadiness(sources: SourceRegistry, state?: () => SharedStateReport): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/ready') return;
      const states = sources.list().map((s) => ({ source: s.name, ...s.health.current() }));
      const ready = states.some((s) => s.circuit !== 'OPEN');
      // A degraded shared state never makes the replica unready: it keeps serving on per-process limits.
      const sharedState = state?.();
      endResponse(fetchAPI.Response.json({ ready, sources: states, ...(sharedState && { sharedState }) }, { status: ready ? 200 : 503 }));
    },
  };
}
