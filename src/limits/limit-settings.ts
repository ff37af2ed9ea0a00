// The limits on what one request may cost, their defaults and the variables that set them. One table, so the config,
// the error messages and the reference (docs/configuration.md, docs/limits.md) say the same thing.
import { z } from 'zod';
import { int, settingsRoom, type RoomValues } from '../settings-room.js';
import { DEFAULT_ADDRESS_LIMITS, type AddressLimits } from './address-limits.js';
import { parseTrustedProxies } from './client-address.js';

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
  providerSharePercent: 'GATEWAY_PROVIDER_SHARE_PERCENT',
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
    .describe('The values an answer may hold (every field, leaf, object or `__typename`, and every list item, times the lists above it: the ids passed, `first`, or GATEWAY_COST_LIST_SIZE): estimated from the document before execution, and counted again as the answer is built.'),
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
  GATEWAY_PROVIDER_SHARE_PERCENT: int(1, 100)
    .default(DEFAULT_RATE_LIMIT.providerSharePercent)
    .describe('The part of a provider\'s published per-minute quota (Xero: 60 per tenant) one client may spend, in percent (a client\'s own `rateLimit.providerSharePercent` overrides it); past it that client\'s lookups answer `RATE_LIMITED`, the others are served.'),
  GATEWAY_MAX_REQUESTS_IN_FLIGHT_PER_ADDRESS: int(1, 1_000_000)
    .default(DEFAULT_ADDRESS_LIMITS.maxRequestsInFlight)
    .describe('GraphQL requests one client address may have in flight (subscriptions apart); past it, HTTP 429 `RATE_LIMITED`.'),
  GATEWAY_AUTH_FAILURES_PER_MINUTE: int(1, 1_000_000)
    .default(DEFAULT_ADDRESS_LIMITS.authFailuresPerMinute)
    .describe('Refused credentials from one client address a minute; past it the address\'s refused credentials answer 429 `RATE_LIMITED` (a valid key always gets in).'),
  GATEWAY_TRUSTED_PROXIES: z
    .string()
    .optional()
    .describe('Proxies (addresses and CIDR ranges, comma separated: `10.0.0.0/8,::1`) whose `X-Forwarded-For` says who the client is; read from the right, past the listed proxies. Unset, the socket\'s address is the client\'s.'),
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
  /** What one client address may hold, and which proxies say who the client is (src/limits/address-limits.ts). */
  perAddress: AddressLimits;
}

/** The limits from validated variables; a malformed GATEWAY_TRUSTED_PROXIES goes to `problems`. */
export function limitSettingsFrom(v: RoomValues<typeof LIMIT_SETTINGS>, problems: string[] = []): LimitsConfig {
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
      providerSharePercent: v.GATEWAY_PROVIDER_SHARE_PERCENT,
    },
    perAddress: {
      trustedProxies: parseTrustedProxies(v.GATEWAY_TRUSTED_PROXIES, problems),
      maxRequestsInFlight: v.GATEWAY_MAX_REQUESTS_IN_FLIGHT_PER_ADDRESS,
      authFailuresPerMinute: v.GATEWAY_AUTH_FAILURES_PER_MINUTE,
    },
  };
}
