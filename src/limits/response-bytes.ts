// Response bytes: a GraphQL answer larger than the maximum is replaced by one QUERY_TOO_COMPLEX error, so a client (and
// the network) never receives a huge body. Read from the response's Content-Length, which Yoga sets on every JSON
// answer: no second serialization. The objects budget (objects-resolved.ts) bounds the memory spent building it.
import type { Plugin } from 'graphql-yoga';
import { tooComplex } from './too-complex.js';

const GRAPHQL_JSON = /^application\/(graphql-response\+)?json\b/i;

export function useMaxResponseBytes(maximum: number): Plugin {
  return {
    onResponse({ response, setResponse, fetchAPI }) {
      const type = response.headers.get('content-type') ?? '';
      const length = Number(response.headers.get('content-length'));
      if (!GRAPHQL_JSON.test(type) || !Number.isFinite(length) || length <= maximum) return;
      const error = tooComplex(`the response would be ${length} bytes`, { limit: 'maxResponseBytes', maximum, found: length });
      const body = JSON.stringify({ errors: [{ message: error.message, extensions: error.extensions }], data: null });
      // The answer's own headers stay (x-request-id, CORS, Vary); only the body and its length change.
      const headers = new fetchAPI.Headers(response.headers);
      headers.set('content-length', String(Buffer.byteLength(body)));
      setResponse(new fetchAPI.Response(body, { status: response.status, headers }));
    },
  };
}
