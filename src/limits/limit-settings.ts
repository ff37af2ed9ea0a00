// The limits on what one request may cost, their defaults and the variables that set them. One table, so the config,
// the error messages and the README say the same thing.

export interface LimitSettings {
  /** Deepest selection nesting of an operation (a fragment's fields count at the depth where it is spread). */
  maxDepth: number;
  /** Aliased fields in an operation, `__typename` included. */
  maxAliases: number;
  /** Lexical tokens in a document; the parser stops reading past it. */
  maxTokens: number;
  /** Directives in an operation. */
  maxDirectives: number;
  /**
   * Values an answer may hold (every field, leaf or object, and every list item): estimated before execution from the
   * document, its ids and page sizes (operation-cost.ts), and counted again as the answer is built (answer-budget.ts).
   */
  maxCost: number;
  /** Ids over every id argument of an operation (not counting `_entities` representations). */
  maxIdsPerOperation: number;
  /** The size assumed for a list whose length the document does not say (an invoice's payments, a batch's payments). */
  assumedListSize: number;
  /** Upstream calls one operation may make to one source. */
  maxUpstreamCallsPerSource: number;
  /** Objects (composite field values and list items) one operation may resolve. */
  maxObjects: number;
  /** Bytes of one serialized GraphQL response: counted as the answer is built, and checked once more on the body. */
  maxResponseBytes: number;
}

/** A client's budgets per minute (a client's own `rateLimit` overrides them). */
export interface RateLimitSettings {
  requestsPerMinute: number;
  upstreamCallsPerMinute: number;
  /** The part of a provider's calls per minute (Xero: 60 per tenant) one client may spend, in percent. */
  providerSharePercent: number;
}

/**
 * The defaults let the documented uses through (1000 ids in one list: about 59,000 values estimated; 120 aliased
 * lookups: 240; a page of 100 batch payments with their payments and invoices: about 11,700) and stop the abusive ones
 * (a 20-level payments/batch cycle, 100,000 aliases, 100 aliases of 1000 ids, 1000 copies of a batch id fanned out
 * through its payments) before any provider is called. docs/limits.md gives the reasoning.
 */
export const DEFAULT_LIMITS: LimitSettings = {
  maxDepth: 15,
  maxAliases: 500,
  maxTokens: 20_000,
  maxDirectives: 50,
  maxCost: 200_000,
  maxIdsPerOperation: 2_000,
  assumedListSize: 10,
  maxUpstreamCallsPerSource: 25,
  maxObjects: 100_000,
  maxResponseBytes: 16 * 1024 * 1024,
};

export const DEFAULT_RATE_LIMIT: RateLimitSettings = {
  requestsPerMinute: 600,
  upstreamCallsPerMinute: 1_200,
  providerSharePercent: 50,
};

/** The environment variable of each limit, named in refusals so an operator knows what to raise. */
export const LIMIT_VARIABLES: Record<keyof LimitSettings | keyof RateLimitSettings, string> = {
  maxDepth: 'GATEWAY_MAX_DEPTH',
  maxAliases: 'GATEWAY_MAX_ALIASES',
  maxTokens: 'GATEWAY_MAX_TOKENS',
  maxDirectives: 'GATEWAY_MAX_DIRECTIVES',
  maxCost: 'GATEWAY_MAX_COST',
  maxIdsPerOperation: 'GATEWAY_MAX_IDS_PER_OPERATION',
  assumedListSize: 'GATEWAY_COST_LIST_SIZE',
  maxUpstreamCallsPerSource: 'GATEWAY_MAX_UPSTREAM_CALLS_PER_SOURCE',
  maxObjects: 'GATEWAY_MAX_OBJECTS',
  maxResponseBytes: 'GATEWAY_MAX_RESPONSE_BYTES',
  requestsPerMinute: 'GATEWAY_RATE_LIMIT_REQUESTS_PER_MINUTE',
  upstreamCallsPerMinute: 'GATEWAY_RATE_LIMIT_UPSTREAM_CALLS_PER_MINUTE',
  providerSharePercent: 'GATEWAY_PROVIDER_SHARE_PERCENT',
};
