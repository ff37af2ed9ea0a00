// Helpers for batch functions: de-duplicate, chunk to the provider's limit, run within its concurrency, answer in order.

/** The ids without repeats, in first-seen order. */
export function uniqueIds(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/** Splits `items` into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Runs `task` over `items` with at most `limit` running at once; results keep the items' order. */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}

/** The answers for `ids`, in order: the found value, the key's own error, or null for not found. */
export function answerInOrder<T>(ids: readonly string[], found: ReadonlyMap<string, T | Error>): Array<T | Error | null> {
  return ids.map((id) => found.get(id) ?? null);
}
