// Trusted documents: a client sends a document's hash (`extensions.persistedQuery.sha256Hash`, as Apollo's and Relay's
// clients do, or `documentId`, as the codegen client preset does) instead of its text; with `only`, no other document runs.
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { Plugin } from 'graphql-yoga';

export interface TrustedDocuments {
  /** Hash → document text. */
  documents: ReadonlyMap<string, string>;
  /** Refuse any document that is not in `documents` (GATEWAY_PERSISTED_ONLY=1). */
  only: boolean;
}

function documentIdOf(params: { extensions?: Record<string, unknown>; documentId?: unknown }): string | null {
  if (typeof params.documentId === 'string') return params.documentId;
  const persisted = params.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
  return typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : null;
}

/** The request parameter names the plugin reads besides Yoga's own. */
export const TRUSTED_DOCUMENT_PARAMS = ['documentId'];

export function useTrustedDocuments(trusted: TrustedDocuments): Plugin {
  return usePersistedOperations({
    allowArbitraryOperations: !trusted.only,
    extractPersistedOperationId: (params) => documentIdOf(params as never),
    getPersistedOperation: (id) => trusted.documents.get(id) ?? trusted.documents.get(id.replace(/^sha256:/, '')) ?? null,
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
