// The shared state's settings: Redis for what must hold across replicas (limits, budgets, the entity cache, events,
// idempotency records), the entity cache, and the token store (GATEWAY_TOKEN_*, read by `npm run connect` too, through
// token-store-settings.ts). docs/operations.md ("Several replicas") and docs/providers.md (the token store) explain them.
import { z } from 'zod';
import { defaultsOf, int, settingsRoom, type RoomValues } from '../settings-room.js';
import { DEFAULT_REDIS_COMMAND_TIMEOUT_MS } from './redis-connection.js';

export const STATE_SETTINGS = settingsRoom({ title: 'Shared state, entity cache and token store', guide: 'operations.md#several-replicas', source: import.meta.url }, {
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })
    .optional()
    .describe('`redis://[:password@]host:port[/db]` or `rediss://` (TLS): the state that must hold across replicas lives there (Redis 5 or newer). Unset, everything stays in this process (one replica). Only its host is ever logged.'),
  REDIS_KEY_PREFIX: z.string().min(1).max(100).default('invoice-gateway:').describe('The prefix of every key, so several deployments can share one Redis.'),
  REDIS_LEASE_MS: int(500, 600_000).default(10_000).describe('A Xero slot (or a poller\'s turn) held by a replica that dies comes back to the others within this time.'),
  REDIS_COMMAND_TIMEOUT_MS: int(10, 10_000)
    .default(DEFAULT_REDIS_COMMAND_TIMEOUT_MS)
    .describe('How long one Redis command may take: past it (a Redis that hangs) the replica counts Redis as gone, its stores use their per-process fallback, and /ready and `gateway_shared_state_up` say so, until a heartbeat answers again.'),
  GATEWAY_REPLICAS: int(1, 1000)
    .default(3)
    .describe('How many replicas you run: while Redis is unreachable each keeps 1/GATEWAY_REPLICAS of every shared limit.'),
  GATEWAY_CACHE_TTL_MS: int(0, 86_400_000).default(0).describe('How long a cached invoice, payment or batch payment is served without asking its provider (0: the cache is off).'),
  GATEWAY_STALE_IF_ERROR_MS: int(0, 7 * 86_400_000)
    .default(0)
    .describe('How much longer a copy is kept, to be served (marked in `extensions.stale`) when its provider fails (0: never).'),
  GATEWAY_CACHE_MAX_ENTRIES: int(1, 10_000_000).default(10_000).describe('The in-memory cache\'s size (without Redis); the oldest written entries go first.'),
  GATEWAY_TOKEN_KEY: z
    .string()
    .min(1)
    .optional()
    .describe('32 bytes as hex or base64 (`openssl rand -hex 32`): rotating refresh tokens are sealed under it (AES-256-GCM) in the token store. Required whenever a connection stores refresh tokens; the same for the gateway and `npm run connect`.'),
  GATEWAY_TOKEN_STORE_FILE: z
    .string()
    .min(1)
    .default('.invoice-gateway/tokens.json')
    .describe('The token store without REDIS_URL: a file written atomically with mode 0600 (with REDIS_URL the tokens are kept in Redis).'),
});

/** The variables' values when none is set; the state's own options fall back to them. */
export const STATE_DEFAULTS = defaultsOf(STATE_SETTINGS);

/** The shared state's part of the configuration (the token store's is read by token-store-config.ts). */
export interface StateConfig {
  /** Shared state: absent `redisUrl` keeps everything in this process. */
  sharedState: { redisUrl?: string; keyPrefix: string; replicas: number; leaseMs: number; commandTimeoutMs: number };
  cache: { ttlMs: number; staleIfErrorMs: number; maxEntries: number };
}

/** The shared state and the entity cache from validated variables. */
export function stateSettingsFrom(v: RoomValues<typeof STATE_SETTINGS>): StateConfig {
  return {
    sharedState: {
      redisUrl: v.REDIS_URL,
      keyPrefix: v.REDIS_KEY_PREFIX,
      replicas: v.GATEWAY_REPLICAS,
      leaseMs: v.REDIS_LEASE_MS,
      commandTimeoutMs: v.REDIS_COMMAND_TIMEOUT_MS,
    },
    cache: { ttlMs: v.GATEWAY_CACHE_TTL_MS, staleIfErrorMs: v.GATEWAY_STALE_IF_ERROR_MS, maxEntries: v.GATEWAY_CACHE_MAX_ENTRIES },
  };
}
