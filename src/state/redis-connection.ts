// One ioredis connection per replica, shared by the tenant limiter, the clients' rate limits and the entity cache. It
// never queues commands while Redis is away (they fail at once, and the callers fall back to per-process state), and it
// reconnects by itself. Its URL may hold a password: it is never logged, and no Redis error reaches a client.
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export type SharedStateStatus = 'connected' | 'degraded';

export interface RedisConnection {
  readonly client: Redis;
  /** `connected` while commands can be sent; `degraded` while the replica runs on per-process state. */
  status(): SharedStateStatus;
  /** Epoch ms since which the status holds. */
  since(): number;
  close(): Promise<void>;
}

export interface RedisConnectionOptions {
  logger?: Logger;
  /** A command unanswered for this long fails (and its caller falls back). */
  commandTimeoutMs?: number;
}

/** Connects to `url`; the connection is made in the background, and the replica starts degraded until it is. */
export function connectRedis(url: string, options: RedisConnectionOptions = {}): RedisConnection {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 1_000,
    connectTimeout: 2_000,
    // Reconnect forever, backing off to one attempt every 2 s.
    retryStrategy: (times) => Math.min(100 * times, 2_000),
  });
  let current: SharedStateStatus = 'degraded';
  let since = Date.now();
  const set = (next: SharedStateStatus, detail?: Record<string, unknown>) => {
    if (next === current) return;
    current = next;
    since = Date.now();
    if (next === 'connected') options.logger?.info('shared state: Redis connected, limits shared across replicas');
    else options.logger?.warn(detail ?? {}, 'shared state: Redis unreachable, running on per-process limits');
  };
  client.on('ready', () => set('connected'));
  client.on('close', () => set('degraded'));
  client.on('end', () => set('degraded'));
  // Without a listener ioredis prints every failed attempt; the status change is logged once instead.
  client.on('error', (error: NodeJS.ErrnoException) => set('degraded', { code: error.code ?? error.name }));
  return {
    client,
    status: () => (client.status === 'ready' ? 'connected' : 'degraded'),
    since: () => since,
    async close() {
      client.disconnect();
    },
  };
}
