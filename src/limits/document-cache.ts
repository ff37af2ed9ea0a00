// Yoga caches parsed documents (and parse errors) keyed by the document's text: 1024 entries, whatever their size. A
// client sending distinct 4 MB documents would make that cache hold gigabytes, refused documents included. This cache
// keeps the same LRU behaviour within a budget of characters, and never keeps a document longer than `maxKeyLength`
// (it is parsed again when it comes back; the token limit bounds that parse).
import type { YogaServerOptions } from 'graphql-yoga';

export interface DocumentCacheLimits {
  /** Entries at most. */
  maxEntries: number;
  /** Characters of all cached documents together. */
  maxTotalLength: number;
  /** Documents longer than this are not cached. */
  maxKeyLength: number;
}

const DEFAULT_DOCUMENT_CACHE: DocumentCacheLimits = { maxEntries: 1024, maxTotalLength: 4_000_000, maxKeyLength: 64_000 };

function createBoundedCache<T>(limits: DocumentCacheLimits) {
  // A Map iterates in insertion order: re-inserting on a hit keeps the least recently used entry first.
  const entries = new Map<string, T>();
  let totalLength = 0;
  return {
    get(key: string): T | undefined {
      const value = entries.get(key);
      if (value !== undefined) {
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    set(key: string, value: T): void {
      if (key.length > limits.maxKeyLength) return;
      if (entries.delete(key)) totalLength -= key.length;
      entries.set(key, value);
      totalLength += key.length;
      for (const oldest of entries.keys()) {
        if (entries.size <= limits.maxEntries && totalLength <= limits.maxTotalLength) break;
        entries.delete(oldest);
        totalLength -= oldest.length;
      }
    },
  };
}

/** Yoga's `parserAndValidationCache` option with the parse caches bounded in size. */
export function boundedParserCache(limits: Partial<DocumentCacheLimits> = {}): NonNullable<YogaServerOptions<object, object>['parserAndValidationCache']> {
  const settings = { ...DEFAULT_DOCUMENT_CACHE, ...limits };
  return { documentCache: createBoundedCache(settings), errorCache: createBoundedCache(settings), validationCache: true };
}
