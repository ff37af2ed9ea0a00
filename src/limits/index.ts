// The request limits as Yoga plugins, in the order they act: the client's requests per minute, the parser's token limit,
// before graphql-js's validation the document rules (depth, aliases, directives) and the operation's ids and cost,
// then during execution the answer's values and bytes as it grows, the objects resolved, and the response's size. Upstream calls are limited in each source's middleware
// (upstream-budget-middleware.ts) with the budget created per request (request-budget.ts).
import type { Plugin } from 'graphql-yoga';
import type { RateLimitStore } from '../state/rate-limit-store.js';
import type { ClientAddresses } from './client-address.js';
import type { LimitSettings, RateLimitSettings } from './limit-settings.js';
import { useLimitsBeforeValidation } from './limits-before-validation.js';
import { useMaxTokens } from './max-tokens.js';
import { useObjectBudgetErrors } from './objects-resolved.js';
import { useRequestRateLimit, type ClientOf } from './request-rate.js';
import { useMaxResponseBytes } from './response-bytes.js';
import { useAnswerBudget } from './use-answer-budget.js';

export { DEFAULT_ID_LIMITS, DEFAULT_LIMITS, DEFAULT_RATE_LIMIT, type LimitSettings, type RateLimitSettings } from './limit-settings.js';
export { meterAnswer } from './metered-fields.js';
export { boundedParserCache } from './document-cache.js';
export { createRequestBudget, type RequestBudget } from './request-budget.js';
export { createClientAddresses, type ClientAddresses } from './client-address.js';
export { createAddressCounter, type AddressCounter } from './address-counter.js';
export { createAuthFailureLimit } from './auth-failures.js';
export { DEFAULT_ADDRESS_LIMITS, type AddressLimits } from './address-limits.js';
export { useRequestsInFlightPerAddress } from './requests-in-flight.js';
export { upstreamBudgetMiddleware } from './upstream-budget-middleware.js';

/**
 * The Yoga plugins enforcing `limits` and the per-client rate limits kept in `store`; `clientOf` is the client a request
 * was authenticated as, `addresses` where it came from.
 */
export function createLimitPlugins(
  limits: LimitSettings,
  rateLimit: RateLimitSettings,
  store: RateLimitStore,
  clientOf: ClientOf,
  addresses: ClientAddresses,
): Plugin[] {
  return [
    useRequestRateLimit(store, rateLimit, clientOf, addresses),
    useMaxTokens(limits.maxTokens),
    useLimitsBeforeValidation(limits),
    useAnswerBudget(),
    useObjectBudgetErrors(),
    useMaxResponseBytes(limits.maxResponseBytes),
  ];
}
