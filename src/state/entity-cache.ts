// The entity cache: invoices, payments and batch payments by source, type, remote id and simulation context, in this
// process or in Redis. An entry is fresh for GATEWAY_CACHE_TTL_MS (served without asking the provider) and is kept
// GATEWAY_STALE_IF_ERROR_MS longer, to be served, marked stale, when the provider fails. A cache that cannot be read
// (Redis away) is a miss, never an error.
import type { Redis } from 'ioredis';
import type { RedisHealth } from './redis-connection.js';
import { decodeModel, encodeModel } from '../../adapters/kit/model-codec.js';
import type { NodeType } from '../ids.js';
import { STATE_DEFAULTS } from './state-settings.js';

/** Where entries are kept: text values with a time to live. */
export interface CacheBackend {
  getMany(keys: string[]): Promise<Array<string | null>>;
  setMany(entries: Array<[key: string, value: string]>, ttlMs: number): Promise<void>;
}

/**
 * How a model object is kept: turned into plain data (`toStored`, then JSON with tagged bigints) and back. By default
 * the object itself; an adapter whose objects are built lazily from the provider's item stores that item instead and
 * rebuilds the object from it (the one place to adapt to how adapters build their model).
 */
export interface EntityCodec<T> {
  toStored(value: T): unknown;
  /** The object again, or an Error when the stored data cannot be read back (then it is a miss). */
  fromStored(stored: unknown): T | Error;
}

/** What one entry is cached under, beside its remote id. */
export interface CacheScope {
  source: string;
  type: NodeType;
  /** The simulation context (`simulatedAt|whenAt`), '' for none. */
  simulation: string;
  /** How this scope's objects are stored; the objects themselves when absent. */
  codec?: EntityCodec<unknown>;
}

export interface CachedEntry<T> {
  value: T;
  ageMs: number;
  /** Young enough to be served without asking the provider. */
  fresh: boolean;
}

export interface EntityCacheOptions {
  /** How long an entry is served without asking the provider; 0: never. */
  ttlMs: number;
  /** How much longer it is kept to be served, marked stale, when the provider fails; 0: never. */
  staleIfErrorMs: number;
  now?: () => number;
}

export interface EntityCache {
  /** False when both durations are 0: lookups go straight to the provider, as without a cache. */
  readonly enabled: boolean;
  /** The usable entries among `ids` (fresh or within stale-if-error); never rejects. */
  lookup<T>(scope: CacheScope, ids: readonly string[]): Promise<Map<string, CachedEntry<T>>>;
  /** Stores what a provider answered (or a create wrote); never rejects. */
  store<T>(scope: CacheScope, entries: Array<[remoteId: string, value: T]>): Promise<void>;
}

interface Stored {
  at: number;
  v: unknown;
}

/** Creates the cache over `backend`. */
export function createEntityCache(backend: CacheBackend, options: EntityCacheOptions): EntityCache {
  const now = options.now ?? Date.now;
  const keepMs = options.ttlMs + options.staleIfErrorMs;
  const enabled = keepMs > 0;
  const keyOf = (scope: CacheScope, id: string) =>
    `${scope.source}:${scope.type}:${encodeURIComponent(scope.simulation)}:${id}`;

  return {
    enabled,
    async lookup<T>(scope: CacheScope, ids: readonly string[]) {
      const found = new Map<string, CachedEntry<T>>();
      if (!enabled || ids.length === 0) return found;
      let texts: Array<string | null>;
      try {
        texts = await backend.getMany(ids.map((id) => keyOf(scope, id)));
      } catch {
        return found;
      }
      const at = now();
      ids.forEach((id, index) => {
        const text = texts[index];
        if (!text) return;
        try {
          const entry = decodeModel<Stored>(text);
          const ageMs = Math.max(0, at - entry.at);
          if (ageMs >= keepMs) return;
          const value = scope.codec ? scope.codec.fromStored(entry.v) : entry.v;
          if (!(value instanceof Error)) found.set(id, { value: value as T, ageMs, fresh: ageMs < options.ttlMs });
        } catch {
          // An entry this version cannot read is a miss.
        }
      });
      return found;
    },
    async store<T>(scope: CacheScope, entries: Array<[string, T]>) {
      if (!enabled || entries.length === 0) return;
      const at = now();
      const texts: Array<[string, string]> = [];
      for (const [id, value] of entries) {
        try {
          texts.push([keyOf(scope, id), encodeModel({ at, v: scope.codec ? scope.codec.toStored(value) : value } satisfies Stored)]);
        } catch {
          // An object with a part that cannot be read (a bad nested value) is not cached; it fails where it is read.
        }
      }
      try {
        if (texts.length > 0) await backend.setMany(texts, keepMs);
      } catch {
        // A cache that cannot be written costs the next request a provider call, nothing more.
      }
    },
  };
}

/** Entries in this process, the oldest written dropped first beyond `maxEntries`. */
export function createMemoryCacheBackend(maxEntries: number = STATE_DEFAULTS.GATEWAY_CACHE_MAX_ENTRIES, now: () => number = Date.now): CacheBackend {
  const entries = new Map<string, { text: string; expiresAt: number }>();
  return {
    async getMany(keys) {
      const at = now();
      return keys.map((key) => {
        const entry = entries.get(key);
        if (!entry) return null;
        if (entry.expiresAt <= at) {
          entries.delete(key);
          return null;
        }
        return entry.text;
      });
    },
    async setMany(items, ttlMs) {
      const expiresAt = now() + ttlMs;
      for (const [key, text] of items) {
        entries.delete(key);
        entries.set(key, { text, expiresAt });
      }
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
  };
}

/**
 * Entries in Redis, shared by every replica; each expires by itself (PX). While Redis does not answer (`available`, the
 * connection's health) nothing is sent: a read is a miss at once, a write is skipped.
 */
export function createRedisCacheBackend(
  client: Redis,
  keyPrefix: string,
  health: Pick<RedisHealth, 'available' | 'noteFailure'> = { available: () => client.status === 'ready', noteFailure: () => undefined },
): CacheBackend {
  return {
    async getMany(keys) {
      if (!health.available()) throw new Error('shared state unavailable');
      return client.mget(keys.map((key) => `${keyPrefix}cache:${key}`)).catch((error: unknown) => {
        health.noteFailure(error);
        throw error;
      });
    },
    async setMany(items, ttlMs) {
      if (!health.available()) return;
      const pipeline = client.pipeline();
      for (const [key, text] of items) pipeline.set(`${keyPrefix}cache:${key}`, text, 'PX', ttlMs);
      await pipeline.exec().catch((error: unknown) => health.noteFailure(error));
    },
  };
}
