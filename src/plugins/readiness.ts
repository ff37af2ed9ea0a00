// /ready answers 200 while the process can serve, whatever its providers' health: a provider outage hits every replica
// alike, and taking them all out of rotation would turn a partial outage into a total one. Each source's health is in
// the JSON body for whoever wants it. It answers 503 only once the gateway is closing.
import type { Plugin } from 'graphql-yoga';
import type { SourceRegistry } from '../source-registry.js';
import type { SharedStateReport } from '../state/shared-state.js';
import type { ConnectionState } from '../../adapters/kit/token-store.js';

/** A source's connection as /ready shows it (name, status, since when, why). */
const connectionOf = (state: ConnectionState | undefined) =>
  state
    ? { connection: { name: state.connection, status: state.status, since: new Date(state.since).toISOString(), ...(state.reason && { reason: state.reason }) } }
    : {};

/** `state()` adds the shared state's report (`sharedState`): Redis connected, or degraded to per-process limits. */
export function useReadiness(sources: SourceRegistry, canServe: () => boolean = () => true, state?: () => SharedStateReport): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/ready') return;
      const states = sources.list().map((s) => ({ source: s.name, ...s.health.current(), ...connectionOf(s.adapter.connectionState?.()) }));
      const ready = canServe();
      // A source that needs reconnecting (its consent revoked) is named; its tokens never are.
      const reconnectRequired = states.filter((s) => s.connection?.status === 'reconnect-required').map((s) => s.source);
      const degraded = states.some((s) => s.status !== 'UP') || reconnectRequired.length > 0;
      // A degraded shared state never makes the replica unready: it keeps serving on per-process limits.
      const sharedState = state?.();
      const body = { ready, degraded, sources: states, ...(reconnectRequired.length > 0 && { reconnectRequired }), ...(sharedState && { sharedState }) };
      endResponse(fetchAPI.Response.json(body, { status: ready ? 200 : 503 }));
    },
  };
}
