// Failed authentications per client address (GATEWAY_AUTH_FAILURES_PER_MINUTE): past the budget, a request whose
// credential is refused answers HTTP 429 RATE_LIMITED with Retry-After instead of 401, and is not logged one line each.
// Only failures count, and only a failure is refused: a valid key or token is let in whatever its address's failures
// (callers behind one NAT or proxy share an address). Kept in the clients' rate-limit store (Redis with REDIS_URL).
import type { RateLimitStore } from '../state/rate-limit-store.js';
import type { ClientAddresses } from './client-address.js';

const MINUTE_MS = 60_000;

/** Decides what a refused authentication answers: undefined (the usual 401) or the 429 that replaces it. */
export type AuthFailureLimit = (serverContext: unknown, fetchAPI: { Response: typeof Response }) => Promise<Response | undefined>;

export function createAuthFailureLimit(store: RateLimitStore, perMinute: number, addresses: ClientAddresses): AuthFailureLimit {
  return async (serverContext, fetchAPI) => {
    const address = addresses.of(serverContext);
    let decision;
    try {
      decision = await store.consume(`auth-failures:address:${address}`, 1, perMinute, MINUTE_MS);
    } catch {
      return undefined; // a store that cannot answer changes nothing: the 401 stands
    }
    if (decision.allowed) return undefined;
    const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    return fetchAPI.Response.json(
      {
        errors: [
          {
            message: `address ${address} failed authentication more than ${perMinute} times this minute; retry in ${retryAfter} s`,
            extensions: { code: 'RATE_LIMITED', retryAfter, limit: 'GATEWAY_AUTH_FAILURES_PER_MINUTE', maximum: perMinute },
          },
        ],
      },
      { status: 429, headers: { 'retry-after': String(retryAfter) } },
    );
  };
}
