// Requests per minute per client (or per address when GATEWAY_AUTH=none): over the budget, HTTP 429 with Retry-After
// and a RATE_LIMITED error carrying `retryAfter` in seconds; nothing is executed. Checked once the context (and so the
// client) is known.
import type { Plugin } from 'graphql-yoga';
import type { ClientIdentity } from '../access/client.js';
import { userError } from '../errors.js';
import type { RateLimitStore } from '../state/rate-limit-store.js';
import type { RateLimitSettings } from './limit-settings.js';
import type { RequestBudget } from './request-budget.js';

const MINUTE_MS = 60_000;

interface RateLimitedContext {
  client: ClientIdentity;
  budget: RequestBudget;
}

export function useRequestRateLimit(store: RateLimitStore, defaults: RateLimitSettings): Plugin {
  return {
    onContextBuilding() {
      return async ({ context }) => {
        const { client, budget } = context as unknown as RateLimitedContext;
        const limit = client.rateLimit?.requestsPerMinute ?? defaults.requestsPerMinute;
        let decision;
        try {
          decision = await store.consume(`requests:${budget.clientKey}`, 1, limit, MINUTE_MS);
        } catch {
          return; // a shared store that cannot answer must not fail requests (see upstream-budget.ts)
        }
        if (decision.allowed) return;
        const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
        throw userError('RATE_LIMITED', `${budget.caller} sent more than ${limit} requests this minute; retry in ${retryAfter} s`, {
          retryAfter,
          http: { status: 429, headers: { 'Retry-After': String(retryAfter) } },
        });
      };
    },
  };
}
