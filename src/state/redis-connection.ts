// One ioredis connection per replica, shared by everything kept in Redis (the tenant limiter, the clients' rate limits,
// the entity cache, and whatever else a room keeps there). It never queues commands while Redis is away (they fail at
// once, and the callers fall back to per-process state), and it reconnects by itself. Its URL may hold a password: it
// is never logged, and no Redis error reaches a client.
//
// A Redis that hangs (a paused process, a full network buffer) is treated as one that is gone: every command has a
// short deadline (REDIS_COMMAND_TIMEOUT_MS, ioredis's `commandTimeout`), and a heartbeat reads Redis's clock every
// `heartbeatMs`. A heartbeat that misses its deadline, or a caller's command that does (`noteFailure`), makes the
// connection `degraded` at once: `available()` turns false, so callers stop sending and use their per-process fallback
// without waiting, and /ready and `gateway_shared_state_up` say so. The first heartbeat answered makes it `connected`
// again. The heartbeat also measures Redis's clock against ours (`redisNow`), so a command can carry a deadline Redis
// itself checks: a command that arrives after its caller gave up takes nothing (redis-limiter-store.ts).
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export type SharedStateStatus = 'connected' | 'degraded';

/** What a store kept in Redis asks of the connection beside its client (every store takes one: the token store, streams). */
export interface RedisHealth {
  /** True while commands are worth sending (connected, and answering within their deadline); else fall back at once. */
  available(): boolean;
  /** Tells the connection a command failed: a missed deadline makes it degraded at once. */
  noteFailure(error: unknown): void;
  /** Now on Redis's clock (epoch ms), as measured by the heartbeat: for deadlines Redis itself checks. */
  redisNow(): number;
  /** How long a command may take before it fails (and its caller falls back). */
  readonly commandTimeoutMs: number;
}

/** The health of a bare client (tests): available while ready, our clock for Redis's. */
export function clientHealth(client: Redis, commandTimeoutMs = DEFAULT_REDIS_COMMAND_TIMEOUT_MS): RedisHealth {
  return { available: () => client.status === 'ready', noteFailure: () => undefined, redisNow: () => Date.now(), commandTimeoutMs };
}

export interface RedisConnection extends RedisHealth {
  readonly client: Redis;
  /** `connected` while commands answer in time; `degraded` while the replica runs on per-process state. */
  status(): SharedStateStatus;
  /** Epoch ms since which the status holds. */
  since(): number;
  close(): Promise<void>;
}

export interface RedisConnectionOptions {
  logger?: Logger;
  /** A command unanswered for this long fails (and its caller falls back); REDIS_COMMAND_TIMEOUT_MS. */
  commandTimeoutMs?: number;
  /** How often Redis's clock is read to tell a hung Redis from a live one. */
  heartbeatMs?: number;
}

export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 250;

/** True for ioredis's error when a command missed its `commandTimeout`. */
export function isCommandTimeout(error: unknown): boolean {
  return error instanceof Error && /command timed out/i.test(error.message);
}

/** Connects to `url`; the connection is made in the background, and the replica starts degraded until it is. */
export function connectRedis(url: string, options: RedisConnectionOptions = {}): RedisConnection {
  const commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS;
  const heartbeatMs = options.heartbeatMs ?? Math.max(50, commandTimeoutMs);
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2_000,
    // Reconnect forever, backing off to one attempt every 2 s.
    retryStrategy: (times) => Math.min(100 * times, 2_000),
  });
  // `answering`: the last heartbeat (or command) was answered in time. Connected = ready and answering.
  let answering = true;
  let current: SharedStateStatus = 'degraded';
  let since = Date.now();
  let offsetMs = 0;
  let beating = false;
  let closed = false;

  const update = (detail?: Record<string, unknown>) => {
    const next: SharedStateStatus = client.status === 'ready' && answering ? 'connected' : 'degraded';
    if (next === current) return;
    current = next;
    since = Date.now();
    if (next === 'connected') options.logger?.info('shared state: Redis connected, limits shared across replicas');
    else options.logger?.warn(detail ?? {}, 'shared state: Redis unreachable, running on per-process limits');
  };

  const heartbeat = async () => {
    if (beating || closed || client.status !== 'ready') return;
    beating = true;
    const sentAt = Date.now();
    try {
      const [seconds, micros] = await client.time();
      const receivedAt = Date.now();
      offsetMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - (sentAt + receivedAt) / 2;
      answering = true;
      update();
    } catch (error) {
      answering = false;
      update({ code: isCommandTimeout(error) ? 'TIMEOUT' : error instanceof Error ? error.name : 'error' });
    } finally {
      beating = false;
    }
  };
  const timer = setInterval(() => void heartbeat(), heartbeatMs);
  timer.unref();

  client.on('ready', () => {
    // A fresh connection is trusted once it answers.
    answering = false;
    void heartbeat();
  });
  client.on('close', () => update());
  client.on('end', () => update());
  // Without a listener ioredis prints every failed attempt; the status change is logged once instead.
  client.on('error', (error: NodeJS.ErrnoException) => update({ code: error.code ?? error.name }));
  return {
    client,
    commandTimeoutMs,
    status: () => {
      update();
      return current;
    },
    available: () => client.status === 'ready' && answering,
    since: () => since,
    redisNow: () => Date.now() + offsetMs,
    noteFailure(error) {
      if (!isCommandTimeout(error)) return;
      answering = false;
      update({ code: 'TIMEOUT' });
    },
    async close() {
      closed = true;
      clearInterval(timer);
      client.disconnect();
    },
  };
}
