// Posts one GraphQL request over HTTP with undici, as a frontend would.
import { request, type Dispatcher } from 'undici';

export interface GraphQLAnswer<T = any> {
  data?: T;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
  extensions?: Record<string, any>;
}

export const GRAPHQL_HEADERS = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };

/** Sends `body` (a JSON text, or a query and variables) to `url`; answers the HTTP status and the parsed answer. */
export async function postGraphQL<T = any>(
  url: string,
  body: string | { query: string; variables?: Record<string, unknown> },
  dispatcher?: Dispatcher,
): Promise<{ status: number; answer: GraphQLAnswer<T> }> {
  const response = await request(url, {
    method: 'POST',
    headers: GRAPHQL_HEADERS,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    dispatcher,
  });
  return { status: response.statusCode, answer: (await response.body.json()) as GraphQLAnswer<T> };
}
