// CSRF: a browser sends form, multipart and text/plain bodies, and GETs, cross-site without a CORS preflight. Such a
// request runs nothing unless it carries a header a page cannot set cross-site without a preflight (a credential or
// a CSRF header), so no forged request ever runs a mutation, whatever the cookies or network position.
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { isGraphQLError } from '../errors.js';

/** Headers that prove a request was either preflighted or not sent by a browser page of another origin. */
export const CSRF_HEADERS = ['x-graphql-csrf', 'x-graphql-yoga-csrf', 'apollo-require-preflight', 'x-api-key'];

export function useCsrfProtection(): Plugin {
  const csrf = useCSRFPrevention({ requestHeaders: CSRF_HEADERS });
  return {
    onRequestParse(payload) {
      // A Bearer credential is never attached by a browser on its own (Basic and Negotiate ones are, so they prove nothing).
      if (/^Bearer\s/i.test(payload.request.headers.get('authorization') ?? '')) return;
      try {
        return csrf.onRequestParse!(payload as never);
      } catch (error) {
        if (!isGraphQLError(error)) throw error;
        // The library's error has no code; ours says what to send instead.
        throw createGraphQLError(
          'This request could have been sent by another site (a form, multipart or text/plain body, or a GET without a ' +
            'credential): send JSON (Content-Type: application/json) or add the header X-GraphQL-CSRF: 1.',
          { extensions: { code: 'BAD_REQUEST', http: { status: 403 } } },
        );
      }
    },
  };
}
