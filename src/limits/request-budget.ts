// What one request may still spend while it executes: the answer's values and bytes, objects resolved, and upstream
// calls per source and per minute (and per provider's quota).
import type { ClientIdentity } from '../access/client.js';
import type { RateLimitStore } from '../state/rate-limit-store.js';
import { describeCaller, rateLimitKey } from './client-key.js';
import type { LimitSettings, RateLimitSettings } from './limit-settings.js';
import { createAnswerBudget, type AnswerBudget } from './answer-budget.js';
import { createObjectBudget, type ObjectBudget } from './objects-resolved.js';
import { createUpstreamBudget } from './upstream-budget.js';

export interface RequestBudget {
  /** Whose rate limits the request spends (`client:<name>` or `address:<ip>`). */
  readonly clientKey: string;
  /** How refusals name the caller. */
  readonly caller: string;
  readonly objects: ObjectBudget;
  /** The answer's values and bytes, counted as it grows (answer-budget.ts). */
  readonly answer: AnswerBudget;
  /** Admits one upstream call to `source`, or rejects with QUERY_TOO_COMPLEX / RATE_LIMITED (CallContext.admit). */
  readonly admitUpstream: (source: string) => Promise<void>;
}

export interface RequestBudgetOptions {
  limits: LimitSettings;
  rateLimit: RateLimitSettings;
  store: RateLimitStore;
  client: ClientIdentity;
  /** The remote address (see client-key.ts). */
  address: string;
  /** Stops the request's upstream calls still running (the request signal's abort with cause `limit`). */
  stopUpstream?: (message: string) => void;
  /** The calls per minute a source's provider allows, when it publishes a quota. */
  quotaOf?: (source: string) => number | undefined;
}

/** Creates the budget of one request, for its authenticated client. */
export function createRequestBudget(options: RequestBudgetOptions): RequestBudget {
  const clientKey = rateLimitKey(options.client, options.address);
  const caller = describeCaller(options.client, options.address);
  return {
    clientKey,
    caller,
    // Once the objects are spent nothing more is resolved, so the calls still running are stopped too.
    objects: createObjectBudget(options.limits.maxObjects, options.stopUpstream),
    answer: createAnswerBudget({
      maxValues: options.limits.maxCost,
      maxBytes: options.limits.maxResponseBytes,
      onExceeded: options.stopUpstream,
    }),
    admitUpstream: createUpstreamBudget({
      maxCallsPerSource: options.limits.maxUpstreamCallsPerSource,
      store: options.store,
      clientKey,
      caller,
      callsPerMinute: options.client.rateLimit?.upstreamCallsPerMinute ?? options.rateLimit.upstreamCallsPerMinute,
      quotaOf: options.quotaOf,
      sharePercent: options.client.rateLimit?.providerSharePercent ?? options.rateLimit.providerSharePercent,
    }),
  };
}
