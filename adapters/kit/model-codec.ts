// The model as text and back, for a cache outside the process (Redis): JSON, with Money's bigint coefficients tagged
// (`{ "$bigint": "1234" }`) since JSON has no integers beyond 2^53. The one place to adapt when the model's shape changes.

const BIGINT_TAG = '$bigint';

/** Serializes a model object (or an array or record of them) to JSON text, bigints included. */
export function encodeModel(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? { [BIGINT_TAG]: item.toString() } : item));
}

/** Revives what encodeModel wrote. */
export function decodeModel<T>(text: string): T {
  return JSON.parse(text, (_key, item: unknown) => {
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const tagged = (item as Record<string, unknown>)[BIGINT_TAG];
      if (typeof tagged === 'string' && Object.keys(item).length === 1 && /^-?\d+$/.test(tagged)) return BigInt(tagged);
    }
    return item;
  }) as T;
}
