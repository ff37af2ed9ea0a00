// Sends an operation by its persisted hash, typed end to end: the result and variables types come from the document.
import type { TypedDocumentString } from './gql/graphql.js';

export interface GatewayAnswer<TResult> {
  data?: TResult | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: string; source?: string } }>;
}

export async function execute<TResult, TVariables>(
  endpoint: string,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): Promise<GatewayAnswer<TResult>> {
  const hash = document.__meta__?.hash as string | undefined;
  const body = hash
    ? { variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }
    : { query: document.toString(), variables };
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as GatewayAnswer<TResult>;
}

// Usage:
//   const answer = await execute('http://127.0.0.1:4000/graphql', InvoicesOverview, { ids: ['fragment:Invoice:inv_0004'] });
//   answer.data?.invoices[0]?.total?.amount  // string, e.g. "795.973"
