// graphql-js parses recursively: a document nested a few thousand levels deep overflows the stack inside `parse`, and
// the RangeError surfaced as a masked 500. Before any parser runs, the document's nesting of `{`, `(` and `[` is
// measured with graphql's own lexer (strings and comments skipped, no recursion), and a document deeper than
// MAX_NESTING is a syntax error: HTTP 400 GRAPHQL_PARSE_FAILED. Depth *limits* are a validation rule elsewhere; this
// only keeps the parser itself from overflowing, whichever parse function runs.
import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Far deeper than any useful operation, far shallower than what overflows the parser's stack. */
export const MAX_NESTING = 300;

const OPEN = new Set<string>([TokenKind.BRACE_L, TokenKind.PAREN_L, TokenKind.BRACKET_L]);
const CLOSE = new Set<string>([TokenKind.BRACE_R, TokenKind.PAREN_R, TokenKind.BRACKET_R]);

function countBrackets(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123 || c === 40 || c === 91) count++;
  }
  return count;
}

/** The deepest nesting of the document's brackets, or `undefined` when it cannot be more than `limit`. */
export function nestingDepth(text: string, limit: number): number | undefined {
  // Most documents have fewer brackets in all than the limit: no need to lex them.
  if (countBrackets(text) <= limit) return undefined;
  const lexer = new Lexer(new Source(text));
  let depth = 0;
  let deepest = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (OPEN.has(token.kind)) deepest = Math.max(deepest, ++depth);
      else if (CLOSE.has(token.kind)) depth--;
    }
  } catch {
    // A lexical error is the parser's to report, with its position.
  }
  return deepest;
}

/** How many characters of documents already measured and found shallow enough are remembered, in all. */
export const MEASURED_CHARACTERS = 4_000_000;

/**
 * Documents lexed and found within the limit, so the same text sent again (a client's usual operation: Yoga's parse
 * cache serves its document) is not lexed again on every request: a 100-alias operation costs ~280 us to lex, ~3 us to
 * find here. Bounded by characters, oldest forgotten first; a document too deep is never remembered.
 */
function createShallowDocuments(maxCharacters: number) {
  const known = new Set<string>();
  let characters = 0;
  return {
    has: (text: string) => known.has(text),
    add(text: string) {
      if (text.length > maxCharacters) return;
      known.add(text);
      characters += text.length;
      for (const oldest of known) {
        if (characters <= maxCharacters) break;
        known.delete(oldest);
        characters -= oldest.length;
      }
    },
  };
}

function tooDeep(depth?: number): GraphQLError {
  const how = depth === undefined ? 'too deeply' : `${depth} levels deep`;
  return new GraphQLError(`Syntax Error: the document is nested ${how}; at most ${MAX_NESTING} levels are parsed.`, {
    extensions: { code: 'GRAPHQL_PARSE_FAILED', http: { status: 400 } },
  });
}

export function useParseNestingGuard(maxCharacters = MEASURED_CHARACTERS): Plugin {
  const shallow = createShallowDocuments(maxCharacters);
  return {
    onParse({ params, setParsedDocument }) {
      const text = String(params.source instanceof Source ? params.source.body : params.source);
      if (!shallow.has(text)) {
        const depth = nestingDepth(text, MAX_NESTING);
        if (depth !== undefined && depth > MAX_NESTING) {
          setParsedDocument(tooDeep(depth) as never);
          return;
        }
        if (depth !== undefined) shallow.add(text);
      }
      return ({ result, replaceParseResult }) => {
        // Should a parser still overflow (a deeper stack at the call), the answer is the same 400, never a 500.
        if (result instanceof RangeError) replaceParseResult(tooDeep());
      };
    },
  };
}
