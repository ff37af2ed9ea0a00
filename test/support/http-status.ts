// One GraphQL request in-process (yoga.fetch) answering the HTTP status and headers too.
import type { Gateway } from '../../src/gateway.js';
import type { GraphQLAnswer } from './gateway.js';

export interface HttpAnswer<T = any> {
  status: number;
  headers: Headers;
  answer: GraphQLAnswer<T>;
}

/** Posts `query` and `variables` to the gateway and answers the status, the headers and the parsed body. */
export async function postToGateway<T = any>(gateway: Gateway, query: string, variables?: Record<string, unknown>): Promise<HttpAnswer<T>> {
  const response = await gateway.yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, answer: (await response.json()) as GraphQLAnswer<T> };
}
