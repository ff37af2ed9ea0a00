// The limits on what one request may cost, their defaults and the variables that set them. One table, so the config,
// the error messages and the reference (docs/configuration.md, docs/limits.md) say the same thing.
import { int, settingsRoom, type RoomValues } from '../settings-room.js';

export interface LimitSettings {
  /** Deepest selection nesting of an operation (fragments counted where they are spread). */
  maxDepth: number;
  /** Aliased fields in an operation. */
  maxAliases: number;
  /** Lexical tokens in a document; the parser stops reading past it. */
  maxTokens: number;
  /** Directives in an operation. */
  maxDirectives: number;
  /** Estimated objects an operation resolves, from the document, its ids and page sizes (see operation-cost.ts). */
  maxCost: number;
  /** Ids over every id argument of an operation (not counting `_entities` representations). */
  maxIdsPerOperation: number;
  /** The size assumed for a list whose length the document does not say (an invoice's payments, a batch's payments). */
  assumedListSize: number;
  /** Upstream calls one operation may make to one source. */
  maxUpstreamCallsPerSource: number;
  /** Objects (composite field values and list items) one operation may resolve. */
  maxObjects: number;
  /** Bytes of one serialized GraphQL response. */
  maxResponseBytes: number;
}

/** A client's budgets per minute (a client's own `rateLimit` overrides them). */
export interface RateLimitSettings {
  requestsPerMinute: number;
  upstreamCallsPerMinute: number;
}

/**
 * The defaults let the documented uses through (1000 ids in one list, 450 aliased lookups, a page of 100 batch payments
 * with their payments and invoices) and stop the abusive ones (a 20-level payments/batch cycle, 100,000 aliases,
 * 100 aliases of 1000 ids) before any provider is called.
 */
export const DEFAULT_LIMITS: LimitSettings = {
  maxDepth: 15,
  maxAliases: 500,
  maxTokens: 20_000,
  maxDirectives: 50,
  maxCost: 250_000,
  maxIdsPerOperation: 2_000,
  assumedListSize: 10,
  maxUpstreamCallsPerSource: 25,
  maxObjects: 100_000,
  maxResponseBytes: 16 * 1024 * 1024,
};

export const DEFAULT_RATE_LIMIT: RateLimitSettings = {
  requestsPerMinute: 600,
  upstreamCallsPerMinute: 1_200,
};

/** The bounds of one list argument and of one `_entities` fetch. */
export const DEFAULT_ID_LIMITS = { maxIds: 1000, maxEntities: 10_000 } as const;

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
};

export const LIMIT_SETTINGS = settingsRoom({ title: 'Limits', guide: 'limits.md', source: import.meta.url }, {
  GATEWAY_MAX_IDS: int(1, 10_000).default(DEFAULT_ID_LIMITS.maxIds).describe('Ids one list argument takes; more answer `BAD_USER_INPUT` for that field.'),
  GATEWAY_MAX_ENTITIES: int(1, 100_000)
    .default(DEFAULT_ID_LIMITS.maxEntities)
    .describe('Representations one Federation `_entities` fetch takes (routers do not split entity fetches); what it serves per source: docs/federation.md.'),
  GATEWAY_MAX_DEPTH: int(1, 1000).default(DEFAULT_LIMITS.maxDepth).describe('How deep selections nest (fragments counted where spread); refused before execution.'),
  GATEWAY_MAX_ALIASES: int(0, 1_000_000).default(DEFAULT_LIMITS.maxAliases).describe('Aliased fields of an operation; refused before execution.'),
  GATEWAY_MAX_TOKENS: int(10, 10_000_000).default(DEFAULT_LIMITS.maxTokens).describe('Lexical tokens of a document; the parser stops reading there.'),
  GATEWAY_MAX_DIRECTIVES: int(0, 1_000_000).default(DEFAULT_LIMITS.maxDirectives).describe('Directives of an operation; refused before execution.'),
  GATEWAY_MAX_COST: int(1, Number.MAX_SAFE_INTEGER)
    .default(DEFAULT_LIMITS.maxCost)
    .describe('The objects an operation would resolve, estimated from the document: each object field counts 1 per object, times its list\'s size (the ids passed, `first`, or GATEWAY_COST_LIST_SIZE).'),
  GATEWAY_MAX_IDS_PER_OPERATION: int(1, 10_000_000)
    .default(DEFAULT_LIMITS.maxIdsPerOperation)
    .describe('Ids over every id argument of an operation, literal or in variables (`_entities` representations are not counted here).'),
  GATEWAY_COST_LIST_SIZE: int(1, 10_000)
    .default(DEFAULT_LIMITS.assumedListSize)
    .describe('The size the cost assumes for a list the document does not size (an invoice\'s payments, a batch\'s payments).'),
  GATEWAY_MAX_UPSTREAM_CALLS_PER_SOURCE: int(1, 1_000_000)
    .default(DEFAULT_LIMITS.maxUpstreamCallsPerSource)
    .describe('Upstream calls one operation makes to one source; past it that source\'s lookups answer `QUERY_TOO_COMPLEX` and the rest of the response stands.'),
  GATEWAY_MAX_OBJECTS: int(1, 100_000_000).default(DEFAULT_LIMITS.maxObjects).describe('Objects one operation resolves (every object-typed value and list item), counted during execution.'),
  GATEWAY_MAX_RESPONSE_BYTES: int(1024, 2_000_000_000).default(DEFAULT_LIMITS.maxResponseBytes).describe('Bytes of one JSON answer; a larger one is replaced by one `QUERY_TOO_COMPLEX` error.'),
  GATEWAY_RATE_LIMIT_REQUESTS_PER_MINUTE: int(1, 100_000_000)
    .default(DEFAULT_RATE_LIMIT.requestsPerMinute)
    .describe('Requests per client per minute (per remote address when GATEWAY_AUTH=none), unless the client has its own `rateLimit`; past it, HTTP 429 `RATE_LIMITED`.'),
  GATEWAY_RATE_LIMIT_UPSTREAM_CALLS_PER_MINUTE: int(1, 100_000_000)
    .default(DEFAULT_RATE_LIMIT.upstreamCallsPerMinute)
    .describe('Upstream calls per client per minute (the same key); the lookups past it answer `RATE_LIMITED` with `retryAfter`.'),
});

/** The limits' part of the configuration. */
export interface LimitsConfig {
  maxIds: number;
  /** The most representations one `_entities` fetch takes. */
  maxEntities: number;
  /** What one request may cost. */
  limits: LimitSettings;
  /** Per-client budgets per minute, for clients without their own. */
  rateLimit: RateLimitSettings;
}

/** The limits from validated variables. */
export function limitSettingsFrom(v: RoomValues<typeof LIMIT_SETTINGS>): LimitsConfig {
  return {
    maxIds: v.GATEWAY_MAX_IDS,
    maxEntities: v.GATEWAY_MAX_ENTITIES,
    limits: {
      maxDepth: v.GATEWAY_MAX_DEPTH,
      maxAliases: v.GATEWAY_MAX_ALIASES,
      maxTokens: v.GATEWAY_MAX_TOKENS,
      maxDirectives: v.GATEWAY_MAX_DIRECTIVES,
      maxCost: v.GATEWAY_MAX_COST,
      maxIdsPerOperation: v.GATEWAY_MAX_IDS_PER_OPERATION,
      assumedListSize: v.GATEWAY_COST_LIST_SIZE,
      maxUpstreamCallsPerSource: v.GATEWAY_MAX_UPSTREAM_CALLS_PER_SOURCE,
      maxObjects: v.GATEWAY_MAX_OBJECTS,
      maxResponseBytes: v.GATEWAY_MAX_RESPONSE_BYTES,
    },
    rateLimit: {
      requestsPerMinute: v.GATEWAY_RATE_LIMIT_REQUESTS_PER_MINUTE,
      upstreamCallsPerMinute: v.GATEWAY_RATE_LIMIT_UPSTREAM_CALLS_PER_MINUTE,
    },
  };
}
