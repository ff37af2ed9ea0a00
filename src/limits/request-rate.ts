// Requests per minute per client (or per address when GATEWAY_AUTH=none): over the budget, HTTP 429 with Retry-After
// and a RATE_LIMITED error carrying `retryAfter` in seconds. Checked as soon as the request's parameters are read,
// before parsing or validation, so documents refused by the other limits count too and nothing is executed.
import type { Plugin } from 'graphql-yoga';
import type { ClientIdentity } from '../access/client.js';
import { userError } from '../errors.js';
import type { RateLimitStore } from '../state/rate-limit-store.js';
import type { ClientAddresses } from './client-address.js';
import { describeCaller, rateLimitKey } from './client-key.js';
import type { RateLimitSettings } from './limit-settings.js';

const MINUTE_MS = 60_000;

/** The client a request was authenticated as (the same the request's context gets). */
export type ClientOf = (request: Request) => ClientIdentity;

export function useRequestRateLimit(store: RateLimitStore, defaults: RateLimitSettings, clientOf: ClientOf, addresses: ClientAddresses): Plugin {
  return {
    async onParams({ request, context, setResult }) {
      const client = clientOf(request);
      const address = addresses.of(context);
      const limit = client.rateLimit?.requestsPerMinute ?? defaults.requestsPerMinute;
      let decision;
      try {
        decision = await store.consume(`requests:${rateLimitKey(client, address)}`, 1, limit, MINUTE_MS);
      } catch {
        return; // a shared store that cannot answer must not fail requests (see upstream-budget.ts)
      }
      if (decision.allowed) return;
      const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      const error = userError('RATE_LIMITED', `${describeCaller(client, address)} sent more than ${limit} requests this minute; retry in ${retryAfter} s`, {
        retryAfter,
        http: { status: 429, headers: { 'Retry-After': String(retryAfter) } },
      });
      setResult({ errors: [error] });
    },
  };
}
