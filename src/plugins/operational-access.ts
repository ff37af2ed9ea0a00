// /metrics and /ready's body on the public port with authentication on: they tell how every source is doing (sources a
// client may not read included), so they need a client granted `observe`. /health stays open, and /ready's status code
// too (a load balancer sends no credential): without `observe` /ready answers `{ ready }` alone. With
// GATEWAY_ADMIN_PORT the endpoints live on the admin port only, where this plugin is not installed.
import type { Plugin } from 'graphql-yoga';
import { canObserve } from '../access/client.js';
import type { Authenticator } from '../access/authenticate.js';
import { keysUnavailableResponse } from './authentication.js';

export interface OperationalAccessOptions {
  authenticator: Authenticator;
  /** False once the gateway is closing (/ready's status). */
  canServe: () => boolean;
}

function refusal(fetchAPI: { Response: typeof Response }, status: 401 | 403, message: string): Response {
  const code = status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN';
  const headers: Record<string, string> = status === 401 ? { 'www-authenticate': 'Bearer realm="invoice-gateway"' } : {};
  return fetchAPI.Response.json({ errors: [{ message, extensions: { code } }] }, { status, headers });
}

/** Guards /metrics and /ready's body with the `observe` grant; put it before the plugins that serve them. */
export function useObserveGrant(options: OperationalAccessOptions): Plugin {
  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      const path = url.pathname;
      if (path !== '/metrics' && path !== '/ready') return;
      const outcome = await options.authenticator.authenticate(request.headers);
      if ('client' in outcome && canObserve(outcome.client)) return;
      if (path === '/ready') {
        const ready = options.canServe();
        endResponse(fetchAPI.Response.json({ ready }, { status: ready ? 200 : 503 }));
        return;
      }
      if ('client' in outcome) {
        endResponse(refusal(fetchAPI, 403, `client "${outcome.client.name}" is not granted "observe" (needed for /metrics)`));
      } else if (outcome.failure.unavailable) {
        endResponse(keysUnavailableResponse(fetchAPI, outcome.failure.message, outcome.failure.unavailable.retryAfterS));
      } else {
        endResponse(refusal(fetchAPI, 401, `/metrics needs a client granted "observe": ${outcome.failure.message}`));
      }
    },
  };
}
