// OAuth2 client-credentials tokens (Fragment, Xero custom connections): fetched once, shared by concurrent callers,
// renewed shortly before they expire and once more when the provider answers 401.
import { z } from 'zod';
import { AdapterError, callAbortedError } from './errors.js';
import { tokenEndpointRefusal } from './oauth-refusal.js';
import type { CallContext, HttpClient, HttpMiddleware } from './http.js';
import { parseWire } from './wire.js';

export interface ClientCredentialsOptions {
  source: string;
  /** The client used to call the token endpoint (shares the source's dispatcher). */
  http: HttpClient;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  /** Renew this long before the token expires (default: a tenth of its lifetime, at most 60 s). */
  refreshMarginMs?: number;
  now?: () => number;
}

const TokenAnswer = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
});

export interface TokenSource {
  /**
   * A valid access token, fetching one if none is cached or the cached one is about to expire. The fetch is shared by
   * every concurrent caller, so no one caller's abort stops it: each caller stops waiting on its own signal. The
   * token call is reported to the `onCall` of the caller that started it.
   */
  token(context?: Pick<CallContext, 'signal' | 'onCall'>): Promise<string>;
  /** Forgets `token` if it is the cached one, so the next call fetches a new one. */
  invalidate(token: string): void;
}

/** Creates a token source for the client-credentials grant (Basic auth, form body). */
export function createClientCredentialsTokenSource(options: ClientCredentialsOptions): TokenSource {
  const now = options.now ?? Date.now;
  let cached: { token: string; expiresAt: number; marginMs: number } | undefined;
  let pending: Promise<string> | undefined;

  const fetchToken = async (onCall: CallContext['onCall']): Promise<string> => {
    const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64');
    const form: Record<string, string> = { grant_type: 'client_credentials' };
    if (options.scope) form.scope = options.scope;
    const response = await options.http.send({
      method: 'POST',
      path: '/oauth2/token',
      url: options.tokenUrl,
      form,
      headers: { authorization: `Basic ${basic}`, accept: 'application/json' },
      onCall,
      idempotent: true,
      // An OAuth server answers its refusals 400 or 401 with an error code that says whose fault it is.
      acceptStatus: [400, 401],
    });
    if (response.status === 400 || response.status === 401) {
      const body = response.body as { error?: unknown } | null;
      throw tokenEndpointRefusal(options.source, response.status, typeof body?.error === 'string' ? body.error : undefined);
    }
    const answer = parseWire(options.source, TokenAnswer, response.body, 'token answer');
    const lifetimeMs = (answer.expires_in ?? 3600) * 1000;
    cached = { token: answer.access_token, expiresAt: now() + lifetimeMs, marginMs: options.refreshMarginMs ?? Math.min(lifetimeMs / 10, 60_000) };
    return answer.access_token;
  };

  return {
    token(context = {}) {
      if (cached && now() < cached.expiresAt - cached.marginMs) return Promise.resolve(cached.token);
      const shared = (pending ??= fetchToken(context.onCall).finally(() => {
        pending = undefined;
      }));
      return untilAborted(options.source, shared, context.signal);
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}

/** `promise`, or a CallAbortedError as soon as `signal` aborts (the promise itself runs on for its other waiters). */
export function untilAborted<T>(source: string, promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(callAbortedError(source, signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(callAbortedError(source, signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Middleware that adds `Authorization: Bearer` from `tokens` and retries once with a new token after a 401. A 401 for a
 * missing scope (`insufficient_scope`) is not cured by a new token, and a token source that answers the same token
 * again (a refused token it will not replace) gets the 401 back instead of a second identical call.
 */
export function bearerAuth(tokens: TokenSource): HttpMiddleware {
  return async (req, next) => {
    const token = await tokens.token(req);
    try {
      return await next({ ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } });
    } catch (error) {
      if (!(error instanceof AdapterError) || error.status !== 401 || error.challenge === 'insufficient_scope') throw error;
      tokens.invalidate(token);
      const renewed = await tokens.token(req);
      if (renewed === token) throw error;
      return next({ ...req, headers: { ...req.headers, authorization: `Bearer ${renewed}` } });
    }
  };
}

/** Middleware for a static bearer token. */
export function staticBearer(token: string): HttpMiddleware {
  return (req, next) => next({ ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } });
}
