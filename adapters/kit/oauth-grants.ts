// OAuth 2.0 grants over oauth4webapi (the refresh-token grant, the authorization-code grant with PKCE, revocation), with
// its fetch replaced by one that sends through our HTTP helper: the token endpoint gets the same timeouts, error mapping
// and call accounting as every provider call, and undici stays called from one place.
import * as oauth from 'oauth4webapi';
import { AdapterError } from './errors.js';
import { tokenEndpointRefusal } from './oauth-refusal.js';
import type { CallContext, HttpClient, HttpMethod } from './http.js';

/** What a token endpoint answered. */
export interface TokenSet {
  accessToken: string;
  /** The access token's lifetime, in seconds. */
  expiresInSeconds: number;
  /** The rotated refresh token, when the server issued one. */
  refreshToken?: string;
  scope?: string;
}

/** A refresh token or code the server refused (`invalid_grant`): revoked, expired, spent, or never valid. */
export class InvalidGrantError extends AdapterError {
  override name = 'InvalidGrantError';
  constructor(source: string) {
    super('UPSTREAM_UNAUTHORIZED', `${source} refused the grant (invalid_grant: revoked, expired or already used)`, {
      source,
      retryable: false,
      reconnect: true,
    });
  }
}

export interface OAuthClientOptions {
  source: string;
  /** The client the token endpoint is called with (its own: no tenant header, no tenant limits). */
  http: HttpClient;
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
  authorizeUrl?: string;
  revocationUrl?: string;
}

export interface OAuthClient {
  /** The refresh-token grant. */
  refresh(refreshToken: string, context?: Pick<CallContext, 'onCall' | 'signal'>): Promise<TokenSet>;
  /** The authorize URL a person opens (authorization code with PKCE S256). */
  authorizationUrl(request: { redirectUri: string; scope: string; state: string; codeChallenge: string }): string;
  /** Checks the redirect's `state` and error, then exchanges its code with the PKCE verifier. */
  exchangeCode(callback: URL, expected: { redirectUri: string; state: string; codeVerifier: string }): Promise<TokenSet>;
  /** Revokes a refresh token (and with it the consent), at the revocation endpoint. */
  revoke(refreshToken: string): Promise<void>;
}

/** A PKCE verifier, its S256 challenge, and a state value, fresh for one authorization. */
export async function createPkce(): Promise<{ verifier: string; challenge: string; state: string }> {
  const verifier = oauth.generateRandomCodeVerifier();
  return { verifier, challenge: await oauth.calculatePKCECodeChallenge(verifier), state: oauth.generateRandomState() };
}

/** Headers of a token answer worth handing to oauth4webapi (the body is re-encoded, so no length or encoding). */
const KEPT_HEADERS = ['content-type', 'www-authenticate', 'cache-control', 'pragma', 'dpop-nonce'];

/** A fetch for oauth4webapi that sends through `http`; statuses an OAuth server answers errors with come back as they are. */
function fetchThrough(http: HttpClient, context: Pick<CallContext, 'onCall' | 'signal'>) {
  return async (url: string, init: { method: string; headers: Record<string, string>; body?: unknown }): Promise<Response> => {
    const form = init.body instanceof URLSearchParams ? Object.fromEntries(init.body) : undefined;
    const response = await http.send({
      method: init.method as HttpMethod,
      path: new URL(url).pathname,
      url,
      form,
      headers: init.headers,
      acceptStatus: [400, 401, 403],
      // A refresh spends its refresh token: never re-sent blindly (the token source decides, within the grace period).
      idempotent: false,
      ...context,
    });
    const headers = new Headers();
    for (const name of KEPT_HEADERS) if (response.headers[name]) headers.set(name, response.headers[name]);
    const text = response.body === null || response.body === undefined ? '' : typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
    return new Response(response.status === 204 ? null : text, { status: response.status, headers });
  };
}

/** Plain http is only for a server on this machine (the sandboxes); anything else must be https. */
function isLoopbackHttp(url: string): boolean {
  const parsed = new URL(url);
  return parsed.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
}

/** Creates the OAuth client of one app at one authorization server. */
export function createOAuthClient(options: OAuthClientOptions): OAuthClient {
  const { source } = options;
  const as: oauth.AuthorizationServer = {
    issuer: new URL(options.tokenUrl).origin,
    token_endpoint: options.tokenUrl,
    authorization_endpoint: options.authorizeUrl,
    revocation_endpoint: options.revocationUrl,
  };
  const client: oauth.Client = { client_id: options.clientId };
  const auth = oauth.ClientSecretBasic(options.clientSecret);
  const transport = (context: Pick<CallContext, 'onCall' | 'signal'> = {}) => ({
    [oauth.customFetch]: fetchThrough(options.http, context),
    [oauth.allowInsecureRequests]: isLoopbackHttp(options.tokenUrl),
  });

  /** Our error for what oauth4webapi or the HTTP helper threw; no upstream body or token goes into it. */
  const mapped = (error: unknown): AdapterError => {
    if (error instanceof AdapterError) return error;
    if (error instanceof oauth.ResponseBodyError) {
      if (error.error === 'invalid_grant') return new InvalidGrantError(source);
      return tokenEndpointRefusal(source, error.status, error.error);
    }
    // A 401 with a WWW-Authenticate challenge (RFC 6749 5.2, for a client that authenticated with Basic, as we do).
    if (error instanceof oauth.WWWAuthenticateChallengeError) {
      return tokenEndpointRefusal(source, error.status, error.cause?.[0]?.parameters?.error);
    }
    if (error instanceof oauth.AuthorizationResponseError) {
      return new AdapterError('UPSTREAM_UNAUTHORIZED', `the authorization was refused (${error.error.slice(0, 40)})`, { source, retryable: false });
    }
    const message = error instanceof Error ? error.message.slice(0, 120) : 'unreadable answer';
    return new AdapterError('UPSTREAM_BAD_RESPONSE', `${source}'s token endpoint answered unexpectedly (${message})`, { source });
  };

  const tokenSet = (answer: oauth.TokenEndpointResponse): TokenSet => ({
    accessToken: answer.access_token,
    expiresInSeconds: answer.expires_in ?? 1800,
    refreshToken: answer.refresh_token,
    scope: answer.scope,
  });

  return {
    async refresh(refreshToken, context) {
      try {
        const response = await oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, transport(context));
        return tokenSet(await oauth.processRefreshTokenResponse(as, client, response));
      } catch (error) {
        throw mapped(error);
      }
    },
    authorizationUrl(request) {
      if (!options.authorizeUrl) throw new Error('no authorize URL configured');
      const url = new URL(options.authorizeUrl);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', options.clientId);
      url.searchParams.set('redirect_uri', request.redirectUri);
      url.searchParams.set('scope', request.scope);
      url.searchParams.set('state', request.state);
      url.searchParams.set('code_challenge', request.codeChallenge);
      url.searchParams.set('code_challenge_method', 'S256');
      return url.toString();
    },
    async exchangeCode(callback, expected) {
      let params: URLSearchParams;
      try {
        params = oauth.validateAuthResponse(as, client, callback, expected.state);
      } catch (error) {
        if (error instanceof oauth.AuthorizationResponseError) throw mapped(error);
        // A redirect that is not the answer to this authorization (its state differs, or it carries no code).
        const message = error instanceof Error ? error.message.slice(0, 120) : 'unreadable redirect';
        throw new AdapterError('BAD_USER_INPUT', `the redirect does not answer this authorization (${message})`, { source, retryable: false });
      }
      try {
        const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, expected.redirectUri, expected.codeVerifier, transport());
        return tokenSet(await oauth.processAuthorizationCodeResponse(as, client, response));
      } catch (error) {
        throw mapped(error);
      }
    },
    async revoke(refreshToken) {
      try {
        const response = await oauth.revocationRequest(as, client, auth, refreshToken, transport());
        await oauth.processRevocationResponse(response);
      } catch (error) {
        throw mapped(error);
      }
    },
  };
}
