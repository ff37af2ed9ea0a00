// Tokens: the parser itself stops after `maximum` tokens (graphql-js's own `maxTokens`), so a 4 MB document of 100,000
// aliases costs a bounded parse, not a 6-second one. GraphQL Armor's max-tokens does the same through a Proxy around
// the lexer, which slows every parse; graphql 16 has the limit built in.
import { parse, type ParseOptions } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isGraphQLError } from '../errors.js';
import { tooComplex } from './too-complex.js';

const TOKEN_LIMIT_MESSAGE = /tokens\. Parsing aborted\.$/;

export function useMaxTokens(maximum: number): Plugin {
  const parseWithLimit = (source: Parameters<typeof parse>[0], options?: ParseOptions) => {
    try {
      return parse(source, { ...options, maxTokens: maximum });
    } catch (error) {
      if (isGraphQLError(error) && TOKEN_LIMIT_MESSAGE.test(error.message)) {
        throw tooComplex(`the document has more than ${maximum} tokens`, { limit: 'maxTokens', maximum, beforeExecution: true });
      }
      throw error;
    }
  };
  return {
    onParse({ setParseFn }) {
      setParseFn(parseWithLimit);
    },
  };
}
