// How a Xero source authenticates, by the three ways Xero offers (xeroAuthMode): a token issued elsewhere (never
// renewed), a custom connection's client-credentials grant, or a standard app's rotating refresh token, kept in the
// token store under the connection's name. The token endpoint is another host, with no tenant header and no tenant
// limits: it gets a client of its own (the gateway's middleware still covers it, as it runs inside the API call's chain).
import type { AdapterDependencies } from '../kit/adapter.js';
import { createHttpClient, type HttpClient, type HttpMiddleware } from '../kit/http.js';
import { bearerAuth, createClientCredentialsTokenSource, staticBearer, type TokenSource } from '../kit/oauth-client-credentials.js';
import { createOAuthClient } from '../kit/oauth-grants.js';
import { createRefreshTokenSource, type RefreshTokenSource } from '../kit/oauth-refresh-token.js';
import type { ConnectionState } from '../kit/token-store.js';
import { xeroAuthMode, xeroConnectionOf, type XeroSettings } from './settings.js';

export interface XeroAuth {
  /** Adds the bearer token, renewing it once after a 401 where the mode can. */
  readonly middleware: HttpMiddleware;
  /** The token source (absent for a static token). */
  readonly tokens?: TokenSource;
  /** The refresh-token connection's state; undefined in the other modes (nothing there can stop being renewable). */
  state(): ConnectionState | undefined;
  close(): void;
}

/** The client the token endpoint is called with. */
export function createXeroTokenHttp(
  settings: XeroSettings,
  deps: Pick<AdapterDependencies, 'dispatcher' | 'timeouts' | 'maxResponseBytes'>,
): HttpClient {
  return createHttpClient({
    source: settings.name,
    baseUrl: settings.tokenUrl,
    dispatcher: deps.dispatcher,
    timeouts: deps.timeouts,
    maxResponseBytes: deps.maxResponseBytes,
  });
}

/** Creates a Xero source's authentication from its settings; `onStateChange` hears of the connection's changes. */
export function createXeroAuth(settings: XeroSettings, deps: AdapterDependencies, onStateChange: () => void): XeroAuth {
  const source = settings.name;
  const mode = xeroAuthMode(settings);
  if (mode === 'access-token') {
    return { middleware: staticBearer(settings.accessToken ?? ''), state: () => undefined, close: () => undefined };
  }
  const tokenHttp = createXeroTokenHttp(settings, deps);
  if (mode === 'client-credentials') {
    const tokens = createClientCredentialsTokenSource({
      source,
      http: tokenHttp,
      tokenUrl: settings.tokenUrl,
      clientId: settings.clientId ?? '',
      clientSecret: settings.clientSecret ?? '',
      now: deps.tokenClock,
    });
    return { middleware: bearerAuth(tokens), tokens, state: () => undefined, close: () => undefined };
  }
  if (!deps.tokenStore) throw new Error(`${source}: a refresh-token source needs a token store (GATEWAY_TOKEN_STORE_FILE or REDIS_URL)`);
  const oauth = createOAuthClient({
    source,
    http: tokenHttp,
    clientId: settings.clientId ?? '',
    clientSecret: settings.clientSecret ?? '',
    tokenUrl: settings.tokenUrl,
  });
  const tokens: RefreshTokenSource = createRefreshTokenSource({
    source,
    connection: xeroConnectionOf(settings) ?? 'xero',
    store: deps.tokenStore,
    refresh: (refreshToken, context) => oauth.refresh(refreshToken, context),
    seedRefreshToken: settings.refreshToken,
    reconnectCommand: 'npm run connect -- xero',
    now: deps.tokenClock,
    onStateChange,
  });
  return { middleware: bearerAuth(tokens), tokens, state: () => tokens.state(), close: () => tokens.close() };
}
