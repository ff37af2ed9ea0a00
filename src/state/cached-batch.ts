// A batch function behind the entity cache. Fresh entries answer without a provider call; the other ids go to the
// provider in as few calls as its batch limit allows (cached ids are never sent); when the provider fails, an id with a
// copy within stale-if-error gets that copy, reported through `onStale` so the answer can say which items are stale.
import type { BatchAnswer, BatchFunction, LoadOptions } from '../../adapters/kit/adapter.js';
import { chunk, uniqueIds } from '../../adapters/kit/batching.js';
import { AdapterError } from '../../adapters/kit/errors.js';
import type { CacheScope, EntityCache } from './entity-cache.js';

export interface CachedBatchResult<T> {
  answers: BatchAnswer<T>;
  /** Errors of provider calls that failed as a whole, once each (their ids answer that error unless served stale). */
  failures: unknown[];
}

/** A provider failure a stale copy may stand in for; a write whose outcome is unknown, or anything else, is not one. */
function isProviderFailure(error: unknown): boolean {
  return error instanceof AdapterError && error.code.startsWith('UPSTREAM_') && error.code !== 'UPSTREAM_OUTCOME_UNKNOWN';
}

/** Loads `ids` through `cache`, calling `batch` only for the ids without a fresh entry. */
export async function loadThroughCache<T>(
  batch: BatchFunction<T>,
  cache: EntityCache,
  scope: CacheScope,
  ids: readonly string[],
  options: LoadOptions,
  onStale: (remoteId: string, ageMs: number) => void,
  onLookup?: (result: 'hit' | 'miss' | 'stale', count: number) => void,
): Promise<CachedBatchResult<T>> {
  const unique = uniqueIds(ids);
  const cached = await cache.lookup<T>(scope, unique);
  const misses = unique.filter((id) => !cached.get(id)?.fresh);
  if (unique.length > misses.length) onLookup?.('hit', unique.length - misses.length);
  if (misses.length > 0) onLookup?.('miss', misses.length);
  const byId = new Map<string, T | null | Error>();
  const failures: unknown[] = [];
  const fetched: Array<[string, T]> = [];

  await Promise.all(
    chunk(misses, batch.maxBatchSize).map(async (part) => {
      try {
        const answers = await batch(part, options);
        if (answers.length !== part.length) {
          throw new AdapterError('UPSTREAM_BAD_RESPONSE', `${scope.source} answered ${answers.length} items for ${part.length} ids`, {
            source: scope.source,
          });
        }
        part.forEach((id, index) => {
          const answer = answers[index];
          byId.set(id, answer);
          if (answer !== null && !(answer instanceof Error)) fetched.push([id, answer]);
        });
      } catch (error) {
        failures.push(error);
        for (const id of part) byId.set(id, error instanceof Error ? error : new Error(String(error)));
      }
    }),
  );
  await cache.store(scope, fetched);

  const servedStale = new Set<string>();
  const answers = ids.map((id): T | null | Error => {
    const entry = cached.get(id);
    if (entry?.fresh) return entry.value;
    const answer = byId.get(id) ?? null;
    if (answer instanceof Error && entry && isProviderFailure(answer) && !options.signal?.aborted) {
      onStale(id, entry.ageMs);
      servedStale.add(id);
      return entry.value;
    }
    return answer;
  });
  if (servedStale.size > 0) onLookup?.('stale', servedStale.size);
  return { answers, failures };
}
