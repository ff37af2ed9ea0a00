// What a poller must keep so that another replica can take over a source without losing or repeating a change: the
// lease (which replica polls the source now), and the baseline (each invoice's version as last published, when the
// last sweep ran, the modification-time watermark). In this process, or in Redis when the state is shared.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface PollLease {
  /** True when this replica holds the source's lease now (taking it when free, renewing it when held). */
  hold(): Promise<boolean>;
  /** Lets the lease go (a clean stop), so another replica can take the source at once. */
  release(): Promise<void>;
}

export interface PollBaseline {
  /** The versions recorded for `ids` (absent: never seen). */
  versions(ids: readonly string[]): Promise<Map<string, string>>;
  record(entries: ReadonlyArray<[id: string, version: string]>): Promise<void>;
  /** Epoch ms of the last complete sweep, 0 when there was none (then nothing is published: the baseline is being made). */
  sweptAt(): Promise<number>;
  setSweptAt(ms: number): Promise<void>;
  /** The newest modification time seen (ISO), for `updatedSince` reads. */
  watermark(): Promise<string | undefined>;
  setWatermark(iso: string): Promise<void>;
}

export interface PollState {
  /** Who this replica is in the leases (what a lease key holds while it polls). */
  readonly holder: string;
  lease(source: string): PollLease;
  baseline(source: string): PollBaseline;
}

/** Everything in this process: it is the only replica, so it always holds every lease. */
export function createMemoryPollState(): PollState {
  const baselines = new Map<string, PollBaseline>();
  return {
    holder: 'this-process',
    lease: () => ({ hold: async () => true, release: async () => undefined }),
    baseline(source) {
      let found = baselines.get(source);
      if (found) return found;
      const versions = new Map<string, string>();
      let swept = 0;
      let mark: string | undefined;
      found = {
        versions: async (ids) => new Map(ids.flatMap((id) => (versions.has(id) ? [[id, versions.get(id)!] as [string, string]] : []))),
        record: async (entries) => void entries.forEach(([id, version]) => versions.set(id, version)),
        sweptAt: async () => swept,
        setSweptAt: async (ms) => void (swept = ms),
        watermark: async () => mark,
        setWatermark: async (iso) => void (mark = iso),
      };
      baselines.set(source, found);
      return found;
    },
  };
}

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0`;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Leases and baselines in Redis: one replica polls each source; the baseline outlives any replica. */
export function createRedisPollState(client: Redis, keyPrefix: string, leaseMs: number): PollState {
  const holder = randomUUID();
  return {
    holder,
    lease(source) {
      const key = `${keyPrefix}poll:${source}:lease`;
      return {
        async hold() {
          try {
            return (await client.eval(RENEW, 1, key, holder, String(leaseMs))) === 1;
          } catch {
            // Redis away: nobody can be sure who polls, so this replica does not (the others cannot either).
            return false;
          }
        },
        async release() {
          await client.eval(RELEASE, 1, key, holder).catch(() => undefined);
        },
      };
    },
    baseline(source) {
      const versionsKey = `${keyPrefix}poll:${source}:versions`;
      const metaKey = `${keyPrefix}poll:${source}:meta`;
      return {
        async versions(ids) {
          if (ids.length === 0) return new Map();
          const values = await client.hmget(versionsKey, ...ids);
          return new Map(ids.flatMap((id, i) => (values[i] !== null ? [[id, values[i]!] as [string, string]] : [])));
        },
        async record(entries) {
          if (entries.length === 0) return;
          await client.hset(versionsKey, Object.fromEntries(entries));
        },
        sweptAt: async () => Number((await client.hget(metaKey, 'sweptAt')) ?? 0),
        setSweptAt: async (ms) => void (await client.hset(metaKey, 'sweptAt', String(ms))),
        watermark: async () => (await client.hget(metaKey, 'watermark')) ?? undefined,
        setWatermark: async (iso) => void (await client.hset(metaKey, 'watermark', iso)),
      };
    },
  };
}
