// The parse caches stay within their budget of entries and characters, and never keep a huge document.
import { describe, expect, it } from 'vitest';
import { boundedParserCache } from '../../src/limits/document-cache.js';

type Cache = { get(key: string): unknown; set(key: string, value: unknown): void };

describe('bounded parse caches', () => {
  it('never keeps a document longer than the key limit', () => {
    const { errorCache } = boundedParserCache({ maxKeyLength: 100 }) as { errorCache: Cache };
    const huge = 'x'.repeat(101);
    errorCache.set(huge, new Error('refused'));
    expect(errorCache.get(huge)).toBeUndefined();
    errorCache.set('{ a }', new Error('kept'));
    expect(errorCache.get('{ a }')).toBeInstanceOf(Error);
  });

  it('evicts the least recently used entries past the character budget', () => {
    const { documentCache } = boundedParserCache({ maxTotalLength: 300, maxKeyLength: 100 }) as { documentCache: Cache };
    const doc = (n: number) => `${n}`.padEnd(100, '.');
    documentCache.set(doc(1), 1);
    documentCache.set(doc(2), 2);
    documentCache.set(doc(3), 3);
    expect(documentCache.get(doc(1))).toBe(1); // 1 is now the most recent
    documentCache.set(doc(4), 4);
    expect(documentCache.get(doc(2))).toBeUndefined();
    expect([1, 3, 4].map((n) => documentCache.get(doc(n)))).toEqual([1, 3, 4]);
  });

  it('evicts past the entry budget', () => {
    const { documentCache } = boundedParserCache({ maxEntries: 2 }) as { documentCache: Cache };
    documentCache.set('a', 1);
    documentCache.set('b', 2);
    documentCache.set('c', 3);
    expect(['a', 'b', 'c'].map((key) => documentCache.get(key))).toEqual([undefined, 2, 3]);
  });
});
