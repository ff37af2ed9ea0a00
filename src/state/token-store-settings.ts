// The token store's settings, read by the gateway (src/config.ts) and by `npm run connect` alike, so both always open
// the same store: REDIS_URL and REDIS_KEY_PREFIX (as the shared state), GATEWAY_TOKEN_STORE_FILE, GATEWAY_TOKEN_KEY.
import { STATE_DEFAULTS } from './state-settings.js';
import { parseTokenKey } from './token-crypto.js';

export interface TokenStoreSettings {
  /** Tokens in Redis (shared by replicas) when set, else in `file`. */
  redisUrl?: string;
  keyPrefix: string;
  file: string;
  /** GATEWAY_TOKEN_KEY, decoded; required whenever a refresh token is to be stored. */
  key?: Buffer;
  /** A Redis command unanswered for this long fails (and no token is rotated meanwhile). */
  commandTimeoutMs?: number;
}

/** The token store's settings from the environment; problems (a malformed key) are pushed to `problems`. */
export function tokenStoreSettingsFromEnv(env: Record<string, string | undefined>, problems: string[]): TokenStoreSettings {
  let key: Buffer | undefined;
  if (env.GATEWAY_TOKEN_KEY) {
    const parsed = parseTokenKey(env.GATEWAY_TOKEN_KEY);
    if (typeof parsed === 'string') problems.push(`GATEWAY_TOKEN_KEY: ${parsed}`);
    else key = parsed;
  }
  return {
    redisUrl: env.REDIS_URL || undefined,
    keyPrefix: env.REDIS_KEY_PREFIX || STATE_DEFAULTS.REDIS_KEY_PREFIX,
    file: env.GATEWAY_TOKEN_STORE_FILE || STATE_DEFAULTS.GATEWAY_TOKEN_STORE_FILE,
    key,
  };
}

/** Where the tokens are, in words for logs and the start summary (a Redis URL without its password). */
export function describeTokenStore(settings: TokenStoreSettings): string {
  return settings.redisUrl ? `Redis at ${new URL(settings.redisUrl).host}` : `file ${settings.file}`;
}
