// A provider's quota kept in Redis for every replica (the kit's LimiterStore): in-flight slots are leases that expire
// unless their holder refreshes them (a replica that dies holding slots gives them back within the lease time), and each
// window is a log of starts (a sorted set by time), so "60 in any rolling minute" holds exactly, not per fixed minute.
// Slot and starts are taken by one Lua script, atomically, on Redis's clock (replicas' clocks may differ). A start is
// stamped when granted and stamped again when its call ends: the provider counted it somewhere in between, so it keeps
// counting here until a full window after the provider's own stamp, however late a busy replica sent the call.
//
// A caller that gave up never holds a slot: each attempt carries its deadline on Redis's clock (measured by the
// connection's heartbeat), and the script takes nothing once it has passed (a Redis that hung runs the attempts queued
// during the hang when it resumes); an attempt whose answer came too late is abandoned (its slot and starts taken back)
// by a command sent on the same connection, which Redis runs right after it.
//
// Why not redis-semaphore for the slots: a slot and a window start must be taken together (holding a slot while the
// window is full starves the others), its refresh timer rejects unhandled when Redis is unreachable, and it stamps leases
// with each replica's own clock. The script below is its lease algorithm plus the windows, in one step.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { LimiterStore, SharedAttempt, SharedLimits, SharedWindow } from '../../adapters/kit/shared-limiter.js';
import { clientHealth, type RedisHealth } from './redis-connection.js';

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// KEYS: leases, blocked-until, then one log per window. ARGV: maxInFlight, leaseMs, member, then limit and windowMs per
// window, then the caller's deadline (Redis clock, ms; 0 for none).
// Answers {1, 0} when granted, {0, ms} when a window or a deferral opens in ms, {0, -1} when every slot is held, {0, -2}
// when the caller's deadline has passed (nothing taken).
const ACQUIRE = `${NOW}
local deadline = tonumber(ARGV[#ARGV])
if deadline > 0 and now > deadline then return {0, -2} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local blocked = tonumber(redis.call('GET', KEYS[2]) or '0')
if blocked > now then return {0, blocked - now} end
local wait = 0
for i = 3, #KEYS do
  local limit = tonumber(ARGV[2 * i - 2])
  local windowMs = tonumber(ARGV[2 * i - 1])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - windowMs)
  local count = redis.call('ZCARD', KEYS[i])
  if count >= limit then
    local oldest = redis.call('ZRANGE', KEYS[i], count - limit, count - limit, 'WITHSCORES')
    wait = math.max(wait, tonumber(oldest[2]) + windowMs - now, 1)
  end
end
if wait > 0 then return {0, wait} end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return {0, -1} end
local leaseMs = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now + leaseMs, ARGV[3])
redis.call('PEXPIRE', KEYS[1], leaseMs)
for i = 3, #KEYS do
  redis.call('ZADD', KEYS[i], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[2 * i - 1]))
end
return {1, 0}`;

// KEYS: leases. ARGV: member, leaseMs. Answers 1 while the lease is still held.
const REFRESH = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1`;

// KEYS: leases, then one log per window. ARGV: member, then windowMs per window. Frees the slot, re-stamps the starts.
const RELEASE = `${NOW}
redis.call('ZREM', KEYS[1], ARGV[1])
for i = 2, #KEYS do
  if redis.call('ZSCORE', KEYS[i], ARGV[1]) then
    redis.call('ZADD', KEYS[i], 'XX', now, ARGV[1])
    redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[i]))
  end
end
return 1`;

// KEYS: leases, then one log per window. ARGV: member. Takes back an attempt its caller gave up on (slot and starts).
const ABANDON = `
for i = 1, #KEYS do redis.call('ZREM', KEYS[i], ARGV[1]) end
return 1`;

// KEYS: blocked-until. ARGV: waitMs.
const DEFER = `${NOW}
local untilMs = now + tonumber(ARGV[1])
if untilMs > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1]))
end
return 1`;

// KEYS: a window's log. ARGV: limit, windowMs, remaining, member prefix. Adds the starts the provider counted beyond ours.
const OBSERVE = `${NOW}
local windowMs = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs)
local implied = tonumber(ARGV[1]) - tonumber(ARGV[3])
local count = redis.call('ZCARD', KEYS[1])
for i = count + 1, implied do redis.call('ZADD', KEYS[1], now, ARGV[4] .. i) end
redis.call('PEXPIRE', KEYS[1], windowMs)
return implied - count`;

type Scripted = Redis & {
  igLimiterAcquire(...args: Array<string | number>): Promise<[number, number]>;
  igLimiterRefresh(...args: Array<string | number>): Promise<number>;
  igLimiterRelease(...args: Array<string | number>): Promise<number>;
  igLimiterDefer(...args: Array<string | number>): Promise<number>;
  igLimiterObserve(...args: Array<string | number>): Promise<number>;
  igLimiterAbandon(...args: Array<string | number>): Promise<number>;
};

export interface RedisLimiterStoreOptions {
  keyPrefix: string;
  /** The part of each limit one replica keeps while Redis is unreachable. */
  fallbackShare: number;
  /** Whether to send at all, deadlines on Redis's clock (the connection's); a bare client's status when absent. */
  health?: RedisHealth;
}

/** Why an attempt got no slot although Redis answered: it arrived after its caller's deadline. */
export class LateAttemptError extends Error {
  override name = 'LateAttemptError';
}

/** Creates the LimiterStore the kit's shared limiter uses, over `client`. */
export function createRedisLimiterStore(client: Redis, options: RedisLimiterStoreOptions): LimiterStore {
  const redis = client as unknown as Scripted;
  // defineCommand sends EVALSHA, and the script itself once when Redis does not know it (after a restart, say).
  const health = options.health ?? clientHealth(client);
  if (typeof (client as unknown as Partial<Scripted>).igLimiterAbandon !== 'function') {
    client.defineCommand('igLimiterAbandon', { lua: ABANDON });
  }
  if (typeof (client as unknown as Partial<Scripted>).igLimiterAcquire !== 'function') {
    client.defineCommand('igLimiterAcquire', { lua: ACQUIRE });
    client.defineCommand('igLimiterRefresh', { lua: REFRESH, numberOfKeys: 1 });
    client.defineCommand('igLimiterRelease', { lua: RELEASE });
    client.defineCommand('igLimiterDefer', { lua: DEFER, numberOfKeys: 1 });
    client.defineCommand('igLimiterObserve', { lua: OBSERVE, numberOfKeys: 1 });
  }
  // One hash tag per limited key keeps its keys in one Redis Cluster slot, as a script needs.
  const base = (key: string) => `${options.keyPrefix}limit:{${key}}`;
  const windowKey = (key: string, window: SharedWindow) => `${base(key)}:starts:${window.windowMs}`;

  return {
    fallbackShare: options.fallbackShare,
    available: () => health.available(),
    async tryAcquire(key, limits: SharedLimits): Promise<SharedAttempt> {
      const member = randomUUID();
      const leases = `${base(key)}:leases`;
      const windows = limits.windows.map((w) => windowKey(key, w));
      const keys = [leases, `${base(key)}:blocked`, ...windows];
      const deadline = Math.floor(health.redisNow() + health.commandTimeoutMs);
      const args = [limits.maxInFlight, limits.leaseMs, member, ...limits.windows.flatMap((w) => [w.limit, w.windowMs]), deadline];
      let answer: [number, number];
      try {
        answer = await redis.igLimiterAcquire(keys.length, ...keys, ...args);
      } catch (error) {
        health.noteFailure(error);
        // Sent, perhaps run late: take back whatever it took (Redis runs this right after it, on the same connection).
        redis.igLimiterAbandon(1 + windows.length, leases, ...windows, member).catch(() => undefined);
        throw error;
      }
      const [granted, waitMs] = answer;
      if (waitMs === -2) throw new LateAttemptError('the attempt reached Redis after its deadline');
      if (granted !== 1) return { granted: false, waitMs: waitMs < 0 ? undefined : waitMs };
      // Refreshed well within the lease, so one late or lost refresh does not drop a slot still in use.
      const timer = setInterval(() => {
        redis.igLimiterRefresh(leases, member, limits.leaseMs).then(
          (held) => held === 1 || clearInterval(timer),
          () => undefined,
        );
      }, Math.max(100, Math.floor(limits.leaseMs / 3)));
      timer.unref();
      let released = false;
      return {
        granted: true,
        lease: {
          release() {
            if (released) return;
            released = true;
            clearInterval(timer);
            // When Redis is away the lease expires by itself (and the starts keep their grant stamps).
            redis
              .igLimiterRelease(1 + windows.length, leases, ...windows, member, ...limits.windows.map((w) => w.windowMs))
              .catch(() => undefined);
          },
        },
      };
    },
    async deferFor(key, waitMs) {
      await redis.igLimiterDefer(`${base(key)}:blocked`, Math.ceil(waitMs)).catch((error: unknown) => {
        health.noteFailure(error);
        throw error;
      });
    },
    async observeRemaining(key, window, remaining) {
      await redis
        .igLimiterObserve(windowKey(key, window), window.limit, window.windowMs, Math.floor(remaining), `hint:${randomUUID()}:`)
        .catch((error: unknown) => {
          health.noteFailure(error);
          throw error;
        });
    },
  };
}
