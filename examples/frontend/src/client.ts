// Sends an operation by its persisted hash, typed end to end: the result and variables types come from the document.
// A gateway started without this build's manifest (GATEWAY_PERSISTED_OPERATIONS_FILE) answers PERSISTED_QUERY_NOT_FOUND,
// and the document's text is sent instead, as Apollo's persisted-query link does; a gateway that runs trusted documents
// only refuses the text, so production accepts exactly the operations this frontend was built with.
import type { TypedDocumentString } from './gql/graphql.js';

export interface GatewayAnswer<TResult> {
  data?: TResult | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: string; source?: string } }>;
}

export async function execute<TResult, TVariables>(
  endpoint: string,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  headers: Record<string, string> = {},
): Promise<GatewayAnswer<TResult>> {
  const send = async (body: object): Promise<GatewayAnswer<TResult>> => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
      body: JSON.stringify(body),
    });
    return (await response.json()) as GatewayAnswer<TResult>;
  };
  const hash = document.__meta__?.hash as string | undefined;
  if (hash) {
    const answer = await send({ documentId: hash, variables });
    if (!answer.errors?.some((error) => error.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND')) return answer;
  }
  return send({ query: document.toString(), variables });
}

// Usage (the gateway started as docs/deployment.md's "Trusted documents" shows):
//   const answer = await execute('http://127.0.0.1:4000/graphql', InvoicesOverview, { ids: ['fragment:Invoice:inv_0004'] });
//   answer.data?.invoices[0]?.total?.amount  // string, e.g. "795.973"
