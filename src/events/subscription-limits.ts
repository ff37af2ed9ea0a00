// How many subscriptions may be open: per client across replicas (GATEWAY_MAX_SUBSCRIPTIONS_PER_CLIENT, in Redis when
// the state is shared, each slot a lease its replica keeps renewing, so a replica that dies frees its slots), and per
// replica for all clients together (GATEWAY_MAX_SUBSCRIPTIONS). This is the subscriptions' own bound: a subscription
// is long-lived and is not a request in flight.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { userError } from '../errors.js';

export interface SubscriptionSlots {
  /** Takes a slot for `clientKey`, or throws RATE_LIMITED naming `caller`; answers the release (idempotent). */
  acquire(clientKey: string, caller: string): Promise<() => void>;
  /** Subscriptions open on this replica. */
  readonly open: number;
  close(): void;
}

export interface SubscriptionSlotOptions {
  perClient: number;
  perReplica: number;
  /** Shared across replicas when given. */
  redis?: { client: Redis; keyPrefix: string; leaseMs: number };
}

const TAKE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

function tooMany(caller: string, limit: number, what: string): Error {
  return userError('RATE_LIMITED', `${caller} already holds ${limit} subscriptions (${what}): end one before opening another`, { retryAfter: 1 });
}

/** Creates the bound. */
export function createSubscriptionSlots(options: SubscriptionSlotOptions): SubscriptionSlots {
  const local = new Map<string, number>();
  const held = new Map<string, Set<string>>();
  let open = 0;
  const replica = randomUUID();
  let serial = 0;
  let heartbeat: NodeJS.Timeout | undefined;
  const redis = options.redis;
  if (redis) {
    // Every held slot is renewed well within its lease, so only a replica that stopped loses its slots.
    heartbeat = setInterval(() => {
      const until = Date.now() + redis.leaseMs;
      if (held.size === 0 || redis.client.status !== 'ready') return;
      const pipeline = redis.client.pipeline();
      for (const [key, members] of held) {
        for (const member of members) pipeline.zadd(key, 'XX', until, member);
        pipeline.pexpire(key, redis.leaseMs * 2);
      }
      void pipeline.exec().catch(() => undefined);
    }, Math.max(250, Math.floor(redis.leaseMs / 3)));
    heartbeat.unref();
  }

  const takeShared = async (clientKey: string): Promise<(() => void) | undefined> => {
    if (!redis || redis.client.status !== 'ready') return undefined;
    const key = `${redis.keyPrefix}subscriptions:${clientKey}`;
    const member = `${replica}:${++serial}`;
    const now = Date.now();
    let taken: number;
    try {
      taken = (await redis.client.eval(TAKE, 1, key, String(now), String(options.perClient), String(now + redis.leaseMs), member, String(redis.leaseMs * 2))) as number;
    } catch {
      return undefined;
    }
    if (taken === 0) throw new Error('full');
    let members = held.get(key);
    if (!members) held.set(key, (members = new Set()));
    members.add(member);
    return () => {
      members.delete(member);
      if (members.size === 0) held.delete(key);
      void redis.client.zrem(key, member).catch(() => undefined);
    };
  };

  return {
    async acquire(clientKey, caller) {
      if (open >= options.perReplica) throw tooMany('this replica', options.perReplica, 'GATEWAY_MAX_SUBSCRIPTIONS');
      let releaseShared: (() => void) | undefined;
      try {
        releaseShared = await takeShared(clientKey);
      } catch {
        throw tooMany(caller, options.perClient, 'GATEWAY_MAX_SUBSCRIPTIONS_PER_CLIENT');
      }
      // Without Redis (or while it is away) the bound holds per replica.
      const count = local.get(clientKey) ?? 0;
      if (!releaseShared && count >= options.perClient) throw tooMany(caller, options.perClient, 'GATEWAY_MAX_SUBSCRIPTIONS_PER_CLIENT');
      local.set(clientKey, count + 1);
      open += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        open -= 1;
        const left = (local.get(clientKey) ?? 1) - 1;
        if (left <= 0) local.delete(clientKey);
        else local.set(clientKey, left);
        releaseShared?.();
      };
    },
    get open() {
      return open;
    },
    close() {
      if (heartbeat) clearInterval(heartbeat);
    },
  };
}
