// What each idempotency key of a write was used for: a digest of the input it first came with and, once known, what
// the write created. Kept where the rest of the shared state is (Redis with REDIS_URL, so every replica refuses the
// same key with another input), with a time to live. While Redis is unreachable a replica keeps its records in its own
// memory: the provider's idempotency key still prevents a second write, and the refusal of a reused key holds for the
// requests this replica serves.
import type { Redis } from 'ioredis';
import type { NodeType } from '../ids.js';

/** One key's record. */
export interface IdempotencyRecord {
  /** The digest of the input the key was first used with. */
  digest: string;
  /** Epoch ms of that first use. */
  firstAt: number;
  /** What the write created, once it answered. */
  outcome?: { type: NodeType; remoteId: string };
}

export interface IdempotencyStore {
  /**
   * Records `record` under `key` unless a record is there; answers that record, or undefined when this call recorded
   * its own (atomically: of two concurrent claims, one records and the other reads it).
   */
  claim(key: string, record: IdempotencyRecord, ttlMs: number): Promise<IdempotencyRecord | undefined>;
  /** Replaces the record under `key` (with the write's outcome), for `ttlMs` more. */
  settle(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void>;
  /** Removes the record under `key` if it is still exactly `record` (a claim whose write definitely did not happen). */
  release(key: string, record: IdempotencyRecord): Promise<void>;
}

const encode = (record: IdempotencyRecord): string => JSON.stringify(record);

function decode(text: string | null): IdempotencyRecord | undefined {
  if (text === null) return undefined;
  try {
    const parsed = JSON.parse(text) as IdempotencyRecord;
    return typeof parsed?.digest === 'string' && typeof parsed.firstAt === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Records in this process, the oldest dropped first beyond `maxEntries`. */
export function createMemoryIdempotencyStore(options: { maxEntries?: number; now?: () => number } = {}): IdempotencyStore {
  const maxEntries = options.maxEntries ?? 100_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { text: string; expiresAt: number }>();
  const read = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const write = (key: string, record: IdempotencyRecord, ttlMs: number) => {
    entries.delete(key);
    entries.set(key, { text: encode(record), expiresAt: now() + ttlMs });
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
  };
  return {
    async claim(key, record, ttlMs) {
      const existing = read(key);
      if (existing) return decode(existing.text);
      write(key, record, ttlMs);
      return undefined;
    },
    async settle(key, record, ttlMs) {
      write(key, record, ttlMs);
    },
    async release(key, record) {
      if (read(key)?.text === encode(record)) entries.delete(key);
    },
  };
}

// Deletes the key only while it still holds the value this replica wrote.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Records in Redis (`SET NX PX`), shared by every replica; this replica's memory while Redis is unreachable. */
export function createRedisIdempotencyStore(client: Redis, keyPrefix: string): IdempotencyStore {
  const local = createMemoryIdempotencyStore();
  const redisKey = (key: string) => `${keyPrefix}idempotency:${key}`;
  const ready = () => client.status === 'ready';
  return {
    async claim(key, record, ttlMs) {
      if (!ready()) return local.claim(key, record, ttlMs);
      try {
        // Twice at most: a record that expires between the SET and the GET leaves the key free again.
        for (let attempt = 0; attempt < 2; attempt += 1) {
          const set = await client.set(redisKey(key), encode(record), 'PX', ttlMs, 'NX');
          if (set === 'OK') return undefined;
          const existing = decode(await client.get(redisKey(key)));
          if (existing) return existing;
        }
        return undefined;
      } catch {
        return local.claim(key, record, ttlMs);
      }
    },
    async settle(key, record, ttlMs) {
      if (!ready()) return local.settle(key, record, ttlMs);
      try {
        await client.set(redisKey(key), encode(record), 'PX', ttlMs);
      } catch {
        await local.settle(key, record, ttlMs);
      }
    },
    async release(key, record) {
      await local.release(key, record);
      if (!ready()) return;
      try {
        await client.eval(RELEASE, 1, redisKey(key), encode(record));
      } catch {
        // A record that stays costs a caller who changes its input within the retention an error, never a payment.
      }
    },
  };
}
