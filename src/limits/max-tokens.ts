// Tokens: the parser itself stops after `maximum` tokens (graphql-js's own `maxTokens`), so a 5 MB document of 100,000
// aliases costs a bounded parse, not a 6-second one. GraphQL Armor's max-tokens does the same through a Proxy around
// the lexer, which slows every parse; graphql 16 has the limit built in. The parse function in place is wrapped, not
// replaced, so another plugin's parser keeps working with this one. A document nested deeper than the parser's stack is
// refused before parsing by src/plugins/parse-nesting-guard.ts.
import type { DocumentNode, ParseOptions, Source } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isGraphQLError } from '../errors.js';
import { tooComplex } from './too-complex.js';

const TOKEN_LIMIT_MESSAGE = /tokens\. Parsing aborted\.$/;

type ParseFn = (source: string | Source, options?: ParseOptions) => DocumentNode;

export function useMaxTokens(maximum: number): Plugin {
  return {
    onParse({ parseFn, setParseFn }) {
      const parse = parseFn as ParseFn;
      setParseFn((source: string | Source, options?: ParseOptions) => {
        try {
          return parse(source, { ...options, maxTokens: maximum });
        } catch (error) {
          if (isGraphQLError(error) && TOKEN_LIMIT_MESSAGE.test(error.message)) {
            throw tooComplex(`the document has more than ${maximum} tokens`, { limit: 'maxTokens', maximum, beforeExecution: true });
          }
          throw error;
        }
      });
    },
  };
}
