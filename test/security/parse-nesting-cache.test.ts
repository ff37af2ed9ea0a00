// The parse nesting guard remembers the documents it lexed and found shallow enough, so a client's usual operation is
// not lexed on every request; the verdict must stay the same whatever it remembers or forgets: a document nested past
// MAX_NESTING is refused every time it is sent, one within it is never refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_NESTING, useParseNestingGuard } from '../../src/plugins/parse-nesting-guard.js';

/** A document with `depth` nested selections and `width` sibling fields at the top (brackets enough to be lexed). */
const documentOf = (depth: number, width: number) =>
  `{ ${Array.from({ length: width }, (_, i) => `f${i}: a(x: "}}}") { b }`).join(' ')} ${'n { '.repeat(depth)}x${' }'.repeat(depth)} }`;

/** Runs the guard's onParse on `text`: true when it refused the document. */
function refuses(plugin: ReturnType<typeof useParseNestingGuard>, text: string): boolean {
  let refused = false;
  (plugin.onParse as (payload: unknown) => unknown)({
    params: { source: text },
    setParsedDocument: (document: unknown) => {
      refused = document instanceof Error;
    },
  });
  return refused;
}

describe('the parse nesting guard with its memory of shallow documents', () => {
  it('refuses a deep document every time, also after shallow ones were remembered', () => {
    const plugin = useParseNestingGuard();
    const shallow = documentOf(10, 200);
    const deep = documentOf(MAX_NESTING + 5, 200);
    for (let i = 0; i < 3; i++) {
      expect(refuses(plugin, shallow)).toBe(false);
      expect(refuses(plugin, deep)).toBe(true);
    }
  });

  it('gives the same verdict as a fresh guard, whatever a small memory keeps or forgets', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ depth: fc.integer({ min: 0, max: MAX_NESTING + 40 }), width: fc.integer({ min: 0, max: 120 }) }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 20_000 }),
        (documents, budget) => {
          const remembering = useParseNestingGuard(budget);
          for (const { depth, width } of [...documents, ...documents]) {
            const text = documentOf(depth, width);
            expect(refuses(remembering, text)).toBe(refuses(useParseNestingGuard(0), text));
            expect(refuses(remembering, text)).toBe(depth + 1 > MAX_NESTING);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
