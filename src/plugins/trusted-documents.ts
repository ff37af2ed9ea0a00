// Trusted documents: a client sends a document's hash (`extensions.persistedQuery.sha256Hash`, as Apollo's and Relay's
// clients do, or `documentId`, as the codegen client preset does, in a POST body or a GET's query string) instead of its
// text; with `only`, no other document runs. Without a manifest, a hash alone is answered PERSISTED_QUERY_NOT_FOUND with
// what to do, so a client that sends hashes first (Apollo's, the example in examples/frontend) sends the text instead.
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { trustedDocumentKey } from '../access/trusted-documents.js';

export interface TrustedDocuments {
  /** Hash → document text. */
  documents: ReadonlyMap<string, string>;
  /** Refuse any document that is not in `documents` (GATEWAY_PERSISTED_ONLY=1). */
  only: boolean;
}

/** The hash a request names: `documentId` (a POST body's, or a GET's query string), or Apollo's persistedQuery extension. */
function documentIdOf(params: { extensions?: Record<string, unknown>; documentId?: unknown }, request?: Request): string | null {
  if (typeof params.documentId === 'string') return params.documentId;
  const persisted = params.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
  if (typeof persisted?.sha256Hash === 'string') return persisted.sha256Hash;
  // Yoga's GET parser reads query, variables, operationName and extensions only.
  if (request?.method === 'GET') return new URL(request.url, 'http://gateway').searchParams.get('documentId');
  return null;
}

/** The request parameter names the plugin reads besides Yoga's own. */
export const TRUSTED_DOCUMENT_PARAMS = ['documentId'];

export function useTrustedDocuments(trusted: TrustedDocuments): Plugin {
  return usePersistedOperations({
    allowArbitraryOperations: !trusted.only,
    extractPersistedOperationId: (params, request) => documentIdOf(params as never, request),
    getPersistedOperation: (id) => trusted.documents.get(trustedDocumentKey(id)) ?? null,
    customErrors: {
      notFound: {
        message: 'No trusted document has this hash.',
        extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 400 } },
      },
      keyNotFound: {
        message: 'Send a trusted document\'s hash: extensions.persistedQuery.sha256Hash or documentId.',
        extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 400 } },
      },
      persistedQueryOnly: {
        message: 'This gateway runs only trusted documents: send the hash of one (extensions.persistedQuery.sha256Hash or documentId), not a query.',
        extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 400 } },
      },
    },
  }) as Plugin;
}

/** Without GATEWAY_PERSISTED_OPERATIONS_FILE: a request naming a hash and no text says how to run it. */
export function useNoTrustedDocuments(): Plugin {
  return {
    onParams({ params, request }) {
      if (params.query || documentIdOf(params as never, request) === null) return;
      throw createGraphQLError(
        'No trusted document has this hash: this gateway has none (GATEWAY_PERSISTED_OPERATIONS_FILE is not set). Send the ' +
          'query text, or start the gateway with the manifest your client was built with.',
        { extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 400 } } },
      );
    },
  };
}
