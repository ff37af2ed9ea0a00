// Authenticates every GraphQL request before its document is even parsed: a request without acceptable credentials
// answers HTTP 401 UNAUTHENTICATED and runs nothing. The client found is kept per request for the context.
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { ANONYMOUS_CLIENT, type ClientIdentity } from '../access/client.js';
import type { Authenticator } from '../access/authenticate.js';
import { userError } from '../errors.js';
import type { AuthFailureLimit } from '../limits/auth-failures.js';
import { isOutsideClientLimits } from '../limits/client-limits-exempt.js';
import type { UpstreamFailureLog } from '../telemetry/upstream-failure-log.js';

export interface Authentication {
  plugin: Plugin;
  /** The client authentication found for this request; throws UNAUTHENTICATED when there is none (fails closed). */
  clientOf(request: Request): ClientIdentity;
}

/** The answer to a request whose credential could not be judged: 503 with Retry-After, never a 401 (the token may be fine). */
export function keysUnavailableResponse(fetchAPI: { Response: typeof Response }, message: string, retryAfterS: number): Response {
  return fetchAPI.Response.json(
    { errors: [{ message, extensions: { code: 'UPSTREAM_UNAVAILABLE', retryAfter: retryAfterS } }] },
    { status: 503, headers: { 'retry-after': String(retryAfterS) } },
  );
}

export interface AuthenticationOptions {
  /** Logs the identity provider's outages (its JWKS cannot be fetched) once per cause and interval. */
  outages?: UpstreamFailureLog;
  /** Answers for a refused credential once its address failed too often (src/limits/auth-failures.ts). */
  failureLimit?: AuthFailureLimit;
}

/** Creates the authentication plugin and the per-request client lookup. */
export function createAuthentication(authenticator: Authenticator, logger: Logger, options: AuthenticationOptions = {}): Authentication {
  const clients = new WeakMap<Request, ClientIdentity>();
  const plugin: Plugin = {
    async onRequestParse({ request, url, serverContext, endResponse, fetchAPI }) {
      // Provider webhooks are verified by their own signature, not by client credentials.
      if (authenticator.mode === 'none' || isOutsideClientLimits(url.pathname)) return;
      const outcome = await authenticator.authenticate(request.headers);
      if ('client' in outcome) {
        clients.set(request, outcome.client);
        return;
      }
      const unavailable = outcome.failure.unavailable;
      if (unavailable) {
        // The credential was not judged (the keys could not be fetched): no failure of the caller's, not counted.
        if (options.outages) options.outages.record(logger, 'jwks', unavailable.cause, 'JWKS_UNAVAILABLE');
        else logger.warn({ err: unavailable.cause }, 'request refused: the JWKS cannot be fetched');
        endResponse(keysUnavailableResponse(fetchAPI, outcome.failure.message, unavailable.retryAfterS));
        return;
      }
      const limited = await options.failureLimit?.(serverContext, fetchAPI);
      if (limited) {
        endResponse(limited);
        return;
      }
      // The reason is logged without the credential; the client reads the same reason.
      logger.info({ reason: outcome.failure.message }, 'request refused: unauthenticated');
      const challenge = outcome.failure.credentialSent ? 'Bearer realm="invoice-gateway", error="invalid_token"' : 'Bearer realm="invoice-gateway"';
      endResponse(
        fetchAPI.Response.json(
          { errors: [{ message: outcome.failure.message, extensions: { code: 'UNAUTHENTICATED' } }] },
          { status: 401, headers: { 'www-authenticate': challenge } },
        ),
      );
    },
  };
  return {
    plugin,
    clientOf(request) {
      if (authenticator.mode === 'none') return ANONYMOUS_CLIENT;
      const client = clients.get(request);
      if (!client) throw userError('UNAUTHENTICATED', 'the request was not authenticated');
      return client;
    },
  };
}
