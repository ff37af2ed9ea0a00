// Upstream calls of one operation: at most `maxCallsPerSource` per source (like Apollo's
// max_requests_per_operation_per_source), and every call also spends the client's calls-per-minute budget and, for a
// source whose provider publishes a quota per minute (Xero: 60 per tenant), the client's share of it, so one client
// cannot spend a tenant's whole minute for everyone. A call past any of them is not made; the lookups that needed it answer QUERY_TOO_COMPLEX or RATE_LIMITED with their source, and
// the rest of the response stands. The refusals are not UPSTREAM_* codes: the provider did nothing wrong, so no
// retry is attempted and no circuit counts them.
import { AdapterError } from '../../adapters/kit/errors.js';
import type { RateLimitStore } from '../state/rate-limit-store.js';
import { LIMIT_VARIABLES } from './limit-settings.js';

export interface UpstreamBudgetOptions {
  maxCallsPerSource: number;
  store: RateLimitStore;
  /** The client's rate-limit key (see client-key.ts) and how the refusal names the client. */
  clientKey: string;
  caller: string;
  callsPerMinute: number;
  /** The calls per minute a source's provider allows, when it publishes a quota (Adapter.callsPerMinute). */
  quotaOf?: (source: string) => number | undefined;
  /** The part of such a quota this client may spend, in percent. */
  sharePercent?: number;
}

/** A client's calls per minute out of a provider's `quota`: `percent` of it, at least one. */
export function shareOfQuota(quota: number, percent: number): number {
  return Math.max(1, Math.floor((quota * percent) / 100));
}

const MINUTE_MS = 60_000;

/** The admission of one operation's upstream calls: resolves when the call may be made, rejects with the refusal. */
export function createUpstreamBudget(options: UpstreamBudgetOptions): (source: string) => Promise<void> {
  const calls = new Map<string, number>();
  return async (source) => {
    const made = calls.get(source) ?? 0;
    if (made >= options.maxCallsPerSource) {
      throw new AdapterError(
        'QUERY_TOO_COMPLEX',
        `the operation needs more than ${options.maxCallsPerSource} calls to ${source} (limit ${options.maxCallsPerSource}, ${LIMIT_VARIABLES.maxUpstreamCallsPerSource}): the rest of its ${source} lookups were not made`,
        { source, retryable: false },
      );
    }
    // Reserved before the shared budget is asked, so concurrent lookups of one operation cannot overshoot.
    calls.set(source, made + 1);
    const quota = options.quotaOf?.(source);
    if (quota !== undefined && options.sharePercent !== undefined && options.sharePercent < 100) {
      const share = shareOfQuota(quota, options.sharePercent);
      let shared;
      try {
        shared = await options.store.consume(`share:${source}:${options.clientKey}`, 1, share, MINUTE_MS);
      } catch {
        shared = undefined; // as below: a store that cannot answer fails no request
      }
      if (shared && !shared.allowed) {
        calls.set(source, (calls.get(source) ?? 1) - 1);
        throw new AdapterError(
          'RATE_LIMITED',
          `${options.caller} used its share of ${source}'s calls this minute (${share} of ${quota}, ${options.sharePercent}%, ${LIMIT_VARIABLES.providerSharePercent}): this ${source} lookup was not made`,
          { source, retryable: false, retryAfter: Math.max(1, Math.ceil(shared.retryAfterMs / 1000)) },
        );
      }
    }
    let decision;
    try {
      decision = await options.store.consume(`upstream:${options.clientKey}`, 1, options.callsPerMinute, MINUTE_MS);
    } catch {
      // A store that cannot answer (a shared store that went away) must not fail the request: the per-operation
      // limit above still holds.
      return;
    }
    if (!decision.allowed) {
      calls.set(source, (calls.get(source) ?? 1) - 1);
      throw new AdapterError(
        'RATE_LIMITED',
        `${options.caller} used up its ${options.callsPerMinute} upstream calls per minute: this ${source} lookup was not made`,
        { source, retryable: false, retryAfter: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)) },
      );
    }
  };
}
