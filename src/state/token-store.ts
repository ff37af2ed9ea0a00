// Where connections' tokens live (the kit's TokenStore): Redis when REDIS_URL is set, shared by every replica; else the
// file GATEWAY_TOKEN_STORE_FILE. Either way the tokens are sealed (token-crypto.ts) under GATEWAY_TOKEN_KEY before they
// leave the process; a connection's tokens are one sealed JSON value, keyed by the connection's name.
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  TokenStoreKeyError,
  type ConnectionTokens,
  type TokenLock,
  type TokenStore,
} from '../../adapters/kit/token-store.js';
import { connectRedis, type RedisConnection } from './redis-connection.js';
import { openTokens, sealTokens } from './token-crypto.js';
import { createFileTokenBackend } from './token-store-file.js';
import { createRedisTokenBackend } from './token-store-redis.js';
import type { TokenStoreSettings } from './token-store-settings.js';

/** Where sealed values are kept: a file or Redis. */
export interface SealedTokenBackend {
  readonly kind: string;
  get(connection: string): Promise<string | undefined>;
  set(connection: string, sealed: string): Promise<void>;
  tryLock(connection: string, leaseMs: number): Promise<TokenLock | undefined>;
}

/** The gateway's token store: the kit's contract, plus waiting for Redis at start and closing. */
export interface GatewayTokenStore extends TokenStore {
  /** Resolves true once the store answers (Redis connected), false after `timeoutMs`. */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

const StoredTokens = z.object({
  refreshToken: z.string().optional(),
  accessToken: z.string().optional(),
  accessTokenExpiresAt: z.number().optional(),
  accessTokenLifetimeMs: z.number().optional(),
  reconnectRequiredSince: z.number().optional(),
  updatedAt: z.number(),
  writtenBy: z.enum(['refresh', 'connect', 'invalid-grant']).optional(),
});

/** A store over `backend`, sealing under `key`. */
export function createSealedTokenStore(backend: SealedTokenBackend, key: Buffer, extra: Partial<GatewayTokenStore> = {}): GatewayTokenStore {
  return {
    kind: backend.kind,
    async read(connection) {
      const sealed = await backend.get(connection);
      if (sealed === undefined) return undefined;
      const parsed = StoredTokens.safeParse(JSON.parse(openTokens(key, connection, sealed)));
      if (!parsed.success) throw new TokenStoreKeyError(`the stored tokens of "${connection}" are not in a shape this gateway writes`);
      return parsed.data;
    },
    write: (connection, tokens) => backend.set(connection, sealTokens(key, connection, JSON.stringify(tokens))),
    tryLock: (connection, leaseMs) => backend.tryLock(connection, leaseMs),
    ready: extra.ready ?? (async () => true),
    close: extra.close ?? (async () => undefined),
  };
}

/** Tokens in this process only (tests, and sources that store nothing): never written anywhere. */
export function createMemoryTokenStore(): GatewayTokenStore {
  const tokens = new Map<string, ConnectionTokens>();
  const locks = new Map<string, number>();
  return {
    kind: 'memory',
    read: async (connection) => {
      const found = tokens.get(connection);
      return found && { ...found };
    },
    write: async (connection, value) => void tokens.set(connection, { ...value }),
    async tryLock(connection, leaseMs) {
      const until = locks.get(connection);
      if (until !== undefined && until > Date.now()) return undefined;
      const mine = Date.now() + leaseMs;
      locks.set(connection, mine);
      return {
        release: async () => {
          if (locks.get(connection) === mine) locks.delete(connection);
        },
      };
    },
    ready: async () => true,
    close: async () => undefined,
  };
}

/** Waits until `connection` is connected, or `timeoutMs` passed. */
async function redisReady(connection: RedisConnection, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (connection.status() !== 'connected') {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

/**
 * The token store the settings ask for: Redis with REDIS_URL (a connection of its own, whose commands fail after
 * `commandTimeoutMs` rather than queue), else the file. `key` is required: nothing is stored unsealed.
 */
export function createTokenStore(settings: TokenStoreSettings & { key: Buffer }, logger?: Logger): GatewayTokenStore {
  if (settings.redisUrl) {
    const connection = connectRedis(settings.redisUrl, { logger, commandTimeoutMs: settings.commandTimeoutMs ?? 1_000 });
    return createSealedTokenStore(createRedisTokenBackend(connection.client, settings.keyPrefix), settings.key, {
      ready: (timeoutMs) => redisReady(connection, timeoutMs),
      close: () => connection.close(),
    });
  }
  return createSealedTokenStore(createFileTokenBackend(settings.file), settings.key);
}
