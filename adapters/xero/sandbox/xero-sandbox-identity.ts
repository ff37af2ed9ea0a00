// Xero's identity service as the sandbox models it (developer.xero.com, OAuth 2.0): the authorize endpoint with PKCE
// (S256) that auto-consents for its demo user and redirects to a registered redirect URI (matched exactly); the token
// endpoint with the authorization-code, refresh-token and client-credentials grants; access tokens that expire
// (30 minutes unless set); single-use refresh tokens that rotate on every refresh, the previous one staying usable for a
// 30-minute grace period, unused ones expiring after 60 days; `invalid_grant` for a code or refresh token that is wrong,
// spent, expired or revoked; `GET /connections` (the tenants a consent grants) and `DELETE /connections/{id}`; the
// revocation endpoint, after which the consent's refresh tokens answer `invalid_grant`, its tenants are no longer
// connected (API calls answer 403 AuthenticationUnsuccessful) and its access tokens list no connection.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { SandboxRequest, SandboxResponse, SandboxRoute } from '../../kit/sandbox-server.js';
import { disallowedScopes, scopeAllows, type XeroSandboxAppScopes } from './xero-sandbox-scopes.js';

export interface XeroSandboxTenant {
  tenantId: string;
  tenantName: string;
  tenantType: 'ORGANISATION' | 'PRACTICE';
}

export interface XeroSandboxIdentityOptions {
  seed: number;
  /** Every tenant the demo user may connect (organisations with books, and practices). */
  tenants: XeroSandboxTenant[];
  clientId: string;
  clientSecret: string;
  /** The token the sandbox always accepts, for every tenant and scope (`npm start`). */
  staticAccessToken: string;
  /** The redirect URIs registered for the app (Xero matches them exactly). */
  redirectUris?: string[];
  appScopes?: XeroSandboxAppScopes;
  now?: () => number;
}

/** What the token endpoint did, counted since the last resetStats. */
export interface XeroSandboxIdentityStats {
  /** Refresh-token grants answered with new tokens. */
  refreshes: number;
  /** Of those, the ones that spent an already spent refresh token (within the grace period). */
  refreshReuses: number;
  /** Grants refused with `invalid_grant` (any grant type). */
  invalidGrants: number;
  codeExchanges: number;
  clientCredentials: number;
}

/** One consent: the demo user's yes to an app, for some tenants and scopes; its refresh tokens form one chain. */
interface Consent {
  authEventId: string;
  scopes: Set<string>;
  connections: Map<string, { id: string; tenant: XeroSandboxTenant; createdAt: number; updatedAt: number }>;
  revoked: boolean;
}

interface AccessTokenRecord {
  /** Undefined for client-credentials tokens (every tenant, every scope). */
  consent?: Consent;
  expiresAt: number;
}

interface RefreshTokenRecord {
  consent: Consent;
  expiresAt: number;
  /** When it was first exchanged; it stays usable until spentAt + grace. */
  spentAt?: number;
}

interface CodeRecord {
  consent: Consent;
  redirectUri: string;
  challenge?: string;
  expiresAt: number;
  used: boolean;
}

export interface XeroSandboxIdentity {
  readonly clientId: string;
  readonly clientSecret: string;
  /** `${origin}/identity/connect/authorize` (Xero: https://login.xero.com/identity/connect/authorize). */
  readonly authorizeUrl: string;
  /** `${origin}/connect/token` (Xero: https://identity.xero.com/connect/token). */
  readonly tokenUrl: string;
  /** `${origin}/connect/revocation` (Xero: https://identity.xero.com/connect/revocation). */
  readonly revocationUrl: string;
  /** `${origin}/connections` (Xero: https://api.xero.com/connections). */
  readonly connectionsUrl: string;
  /** Lifetime of the access tokens issued from now on (Xero: 1800 s). */
  accessTokenLifetimeSeconds: number;
  /** How long a spent refresh token stays usable (Xero: 1800 s); 0 makes every refresh token strictly single-use. */
  refreshGraceSeconds: number;
  /** How long an unused refresh token lives (Xero: 60 days). */
  refreshTokenLifetimeSeconds: number;
  /** The identity service's clock (epoch ms); tests move it to expire tokens without waiting. */
  now: () => number;
  /** The tenants the demo user ticks on the consent screen (every one when unset). */
  consentTenants: string[] | undefined;
  /** `deny` makes the demo user press Cancel: the authorize endpoint redirects with `error=access_denied`. */
  consentAnswer: 'allow' | 'deny';
  /** Registers a redirect URI for the app (as in Xero's developer portal). */
  registerRedirectUri(uri: string): void;
  /**
   * Consents for the demo user without a browser: the tokens a finished authorization-code flow would hold (a seed
   * refresh token for tests). Every tenant and the default scopes unless given.
   */
  consent(options?: { tenants?: string[]; scopes?: string[] }): { refreshToken: string; accessToken: string; authEventId: string };
  /** Revokes the consent holding `refreshToken` (every consent when omitted), as the revocation endpoint does. */
  revoke(refreshToken?: string): void;
  /** Invalidates every access token issued so far (the static token stays valid); refresh tokens keep working. */
  expireAccessTokens(): void;
  stats(): XeroSandboxIdentityStats;
  resetStats(): void;
  /** The routes of the identity service and `/connections`, for the sandbox's server. */
  readonly routes: SandboxRoute[];
  /** Checks an API call's bearer token, scope and tenant: undefined when admitted, else Xero's refusal. */
  checkApiCall(req: SandboxRequest): SandboxResponse | undefined;
  /** Called once the server listens, with its origin (`http://127.0.0.1:<port>`). */
  setOrigin(origin: string): void;
}

/** The scopes a consent made without naming any gets: what the gateway needs, in Xero's granular scopes. */
export const XERO_SANDBOX_DEFAULT_SCOPES = ['offline_access', 'accounting.invoices', 'accounting.payments', 'accounting.settings.read'];
const CODE_LIFETIME_MS = 5 * 60_000;

const json = (status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse => ({
  status,
  json: body,
  headers: { 'cache-control': 'no-store', ...headers },
});
/** The identity service's error body (RFC 6749 section 5.2), e.g. `{"error":"invalid_grant"}`. */
const oauthError = (error: string, status = 400): SandboxResponse => json(status, { error });
/** The API's problem body, as Xero sends it for 401 and 403. */
function problem(status: 401 | 403, detail: string, challenge?: string): SandboxResponse {
  const body = { Type: null, Title: status === 401 ? 'Unauthorized' : 'Forbidden', Status: status, Detail: detail, Instance: randomUUID(), Extensions: {} };
  return { status, json: body, headers: challenge ? { 'www-authenticate': `Bearer error="${challenge}"` } : {} };
}
const page = (status: number, text: string): SandboxResponse => ({ status, text, headers: { 'content-type': 'text/html; charset=utf-8' } });

/** `/Date`-less ISO time as Xero's identity service writes it (no zone designator, 7 fractional digits). */
const xeroIdentityTime = (ms: number) => new Date(ms).toISOString().replace('Z', '0000');

/** base64url(SHA-256(verifier)), the S256 code challenge (RFC 7636). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** Creates the identity service of one sandbox. */
export function createXeroSandboxIdentity(options: XeroSandboxIdentityOptions): XeroSandboxIdentity {
  let origin = 'http://127.0.0.1';
  const redirectUris = new Set(options.redirectUris ?? []);
  const appScopes = options.appScopes ?? 'granular';
  const accessTokens = new Map<string, AccessTokenRecord>();
  const refreshTokens = new Map<string, RefreshTokenRecord>();
  const codes = new Map<string, CodeRecord>();
  const consents: Consent[] = [];
  const tenantsById = new Map(options.tenants.map((t) => [t.tenantId, t]));
  let stats: XeroSandboxIdentityStats = { refreshes: 0, refreshReuses: 0, invalidGrants: 0, codeExchanges: 0, clientCredentials: 0 };
  let counter = 0;

  const identity = {
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    accessTokenLifetimeSeconds: 1800,
    refreshGraceSeconds: 1800,
    refreshTokenLifetimeSeconds: 60 * 86_400,
    now: options.now ?? Date.now,
    consentTenants: undefined as string[] | undefined,
    consentAnswer: 'allow' as 'allow' | 'deny',
  };

  const opaque = (kind: string) => `${kind}-${options.seed}-${(counter += 1)}-${randomBytes(12).toString('hex')}`;

  const newConsent = (tenantIds: string[], scopes: string[]): Consent => {
    const at = identity.now();
    const consent: Consent = { authEventId: randomUUID(), scopes: new Set(scopes), connections: new Map(), revoked: false };
    for (const tenantId of tenantIds) {
      const tenant = tenantsById.get(tenantId);
      if (tenant) consent.connections.set(tenantId, { id: randomUUID(), tenant, createdAt: at, updatedAt: at });
    }
    consents.push(consent);
    return consent;
  };

  /** New access (and, with offline_access, refresh) tokens for `consent`, as the token endpoint answers them. */
  const issue = (consent: Consent | undefined, scopes: ReadonlySet<string> | undefined) => {
    const accessToken = opaque('xero-sandbox-at');
    const lifetime = identity.accessTokenLifetimeSeconds;
    accessTokens.set(accessToken, { consent, expiresAt: identity.now() + lifetime * 1000 });
    const answer: Record<string, unknown> = { access_token: accessToken, expires_in: lifetime, token_type: 'Bearer' };
    if (consent && consent.scopes.has('offline_access')) {
      const refreshToken = randomBytes(32).toString('hex');
      refreshTokens.set(refreshToken, { consent, expiresAt: identity.now() + identity.refreshTokenLifetimeSeconds * 1000 });
      answer.refresh_token = refreshToken;
    }
    if (scopes) answer.scope = [...scopes].join(' ');
    return answer;
  };

  const revokeConsent = (consent: Consent) => {
    consent.revoked = true;
    consent.connections.clear();
  };

  /** The client's credentials from Basic auth or the form body; undefined when they are not the app's. */
  const authenticated = (req: SandboxRequest, form: Record<string, string>): boolean => {
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    let id = form.client_id;
    let secret = form.client_secret;
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      id = decodeURIComponent(decoded.slice(0, colon));
      secret = decodeURIComponent(decoded.slice(colon + 1));
    }
    return id === options.clientId && secret === options.clientSecret;
  };

  const refused = () => {
    stats.invalidGrants += 1;
    return oauthError('invalid_grant');
  };

  const token = (req: SandboxRequest): SandboxResponse => {
    const form = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, string>;
    if (!authenticated(req, form)) return oauthError('invalid_client');
    const now = identity.now();
    switch (form.grant_type) {
      case 'client_credentials':
        stats.clientCredentials += 1;
        return json(200, issue(undefined, new Set(['accounting.transactions', 'accounting.settings', 'accounting.contacts'])));
      case 'authorization_code': {
        const code = codes.get(form.code ?? '');
        if (!code || code.used || code.expiresAt <= now || code.redirectUri !== form.redirect_uri) return refused();
        code.used = true;
        if (code.challenge !== undefined) {
          const verifier = form.code_verifier ?? '';
          if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) || s256(verifier) !== code.challenge) return refused();
        }
        stats.codeExchanges += 1;
        return json(200, issue(code.consent, code.consent.scopes));
      }
      case 'refresh_token': {
        const record = refreshTokens.get(form.refresh_token ?? '');
        if (!record || record.consent.revoked || record.expiresAt <= now) return refused();
        if (record.spentAt !== undefined) {
          if (now - record.spentAt > identity.refreshGraceSeconds * 1000) return refused();
          stats.refreshReuses += 1;
        } else {
          record.spentAt = now;
        }
        stats.refreshes += 1;
        return json(200, issue(record.consent, record.consent.scopes));
      }
      default:
        return oauthError('unsupported_grant_type');
    }
  };

  const authorize = (req: SandboxRequest): SandboxResponse => {
    const q = req.query;
    const redirectUri = q.get('redirect_uri') ?? '';
    // An unknown client or redirect URI is shown as an error page: the user is never sent to an unregistered address.
    if (q.get('client_id') !== options.clientId) return page(400, '<h1>Error: unauthorized_client</h1><p>Unknown client or client not enabled</p>');
    if (!redirectUris.has(redirectUri)) return page(400, '<h1>Error: unauthorized_client</h1><p>Invalid redirect_uri</p>');
    const back = (params: Record<string, string>): SandboxResponse => {
      const target = new URL(redirectUri);
      for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
      const state = q.get('state');
      if (state !== null) target.searchParams.set('state', state);
      return { status: 302, text: '', headers: { location: target.toString() } };
    };
    if (q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
    const scopes = (q.get('scope') ?? '').split(/\s+/).filter(Boolean);
    if (scopes.length === 0 || disallowedScopes(scopes, appScopes).length > 0) return back({ error: 'invalid_scope' });
    const challenge = q.get('code_challenge') ?? undefined;
    if (challenge !== undefined && (q.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9\-_]{43}$/.test(challenge))) {
      return back({ error: 'invalid_request' });
    }
    if (identity.consentAnswer === 'deny') return back({ error: 'access_denied' });
    const tenants = identity.consentTenants ?? options.tenants.map((t) => t.tenantId);
    const consent = newConsent(tenants, scopes);
    const code = randomBytes(24).toString('hex');
    codes.set(code, { consent, redirectUri, challenge, expiresAt: identity.now() + CODE_LIFETIME_MS, used: false });
    return back({ code, scope: scopes.join(' ') });
  };

  const revocation = (req: SandboxRequest): SandboxResponse => {
    const form = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, string>;
    if (!authenticated(req, form)) return oauthError('invalid_client');
    const record = refreshTokens.get(form.token ?? '');
    if (record) revokeConsent(record.consent);
    // RFC 7009: an unknown token is answered 200 as well.
    return { status: 200, text: '' };
  };

  /** The access token of a request and its record, or Xero's 401. */
  const bearer = (req: SandboxRequest): { token: string; record?: AccessTokenRecord } | SandboxResponse => {
    const match = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
    if (!match) return problem(401, 'AuthenticationUnsuccessful', 'invalid_token');
    if (match[1] === options.staticAccessToken) return { token: match[1] };
    const record = accessTokens.get(match[1]);
    if (!record) return problem(401, 'AuthenticationUnsuccessful', 'invalid_token');
    if (record.expiresAt <= identity.now()) {
      const at = new Date(record.expiresAt).toISOString().replace('T', ' ').slice(0, 19);
      return problem(401, `TokenExpired: token expired at ${at}`, 'invalid_token');
    }
    return { token: match[1], record };
  };

  const connectionJson = (consent: Consent | undefined) => {
    if (consent) {
      return [...consent.connections.values()].map((c) => ({
        id: c.id,
        authEventId: consent.authEventId,
        tenantId: c.tenant.tenantId,
        tenantType: c.tenant.tenantType,
        tenantName: c.tenant.tenantName,
        createdDateUtc: xeroIdentityTime(c.createdAt),
        updatedDateUtc: xeroIdentityTime(c.updatedAt),
      }));
    }
    // The static and client-credentials tokens see every tenant, under one fixed auth event.
    return options.tenants.map((t, index) => ({
      id: `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`,
      authEventId: '00000000-0000-4000-8000-000000000000',
      tenantId: t.tenantId,
      tenantType: t.tenantType,
      tenantName: t.tenantName,
      createdDateUtc: xeroIdentityTime(0),
      updatedDateUtc: xeroIdentityTime(0),
    }));
  };

  const listConnections = (req: SandboxRequest): SandboxResponse => {
    const auth = bearer(req);
    if ('status' in auth) return auth;
    const eventId = req.query.get('authEventId');
    const list = connectionJson(auth.record?.consent).filter((c) => !eventId || c.authEventId === eventId);
    return { status: 200, json: list };
  };

  const deleteConnection = (req: SandboxRequest, [id]: string[]): SandboxResponse => {
    const auth = bearer(req);
    if ('status' in auth) return auth;
    const consent = auth.record?.consent;
    const found = consent && [...consent.connections.entries()].find(([, c]) => c.id === id.toLowerCase());
    if (!consent || !found) return { status: 404, text: '' };
    consent.connections.delete(found[0]);
    return { status: 204, text: '' };
  };

  const routes: SandboxRoute[] = [
    { name: 'token', method: 'POST', path: /^\/connect\/token$/, handler: token },
    { name: 'authorize', method: 'GET', path: /^\/identity\/connect\/authorize$/, handler: authorize },
    { name: 'revocation', method: 'POST', path: /^\/connect\/revocation$/, handler: revocation },
    { name: 'connections', method: 'GET', path: /^\/connections$/i, handler: listConnections },
    { name: 'connection-delete', method: 'DELETE', path: /^\/connections\/([0-9a-fA-F-]{36})$/i, handler: deleteConnection },
  ];

  const urls = Object.defineProperties(identity, {
    authorizeUrl: { get: () => `${origin}/identity/connect/authorize`, enumerable: true },
    tokenUrl: { get: () => `${origin}/connect/token`, enumerable: true },
    revocationUrl: { get: () => `${origin}/connect/revocation`, enumerable: true },
    connectionsUrl: { get: () => `${origin}/connections`, enumerable: true },
  }) as typeof identity & Pick<XeroSandboxIdentity, 'authorizeUrl' | 'tokenUrl' | 'revocationUrl' | 'connectionsUrl'>;

  // Object.assign copies values, not getters: the URLs above are defined on the target beforehand.
  return Object.assign(urls, {
    routes,
    registerRedirectUri: (uri: string) => void redirectUris.add(uri),
    consent(consentOptions: { tenants?: string[]; scopes?: string[] } = {}) {
      const tenants = consentOptions.tenants ?? options.tenants.map((t) => t.tenantId);
      const consent = newConsent(tenants, consentOptions.scopes ?? XERO_SANDBOX_DEFAULT_SCOPES);
      const issued = issue(consent, consent.scopes);
      return { refreshToken: String(issued.refresh_token), accessToken: String(issued.access_token), authEventId: consent.authEventId };
    },
    revoke(refreshToken?: string) {
      if (refreshToken === undefined) consents.forEach(revokeConsent);
      else {
        const record = refreshTokens.get(refreshToken);
        if (record) revokeConsent(record.consent);
      }
    },
    expireAccessTokens: () => accessTokens.clear(),
    stats: () => ({ ...stats }),
    resetStats() {
      stats = { refreshes: 0, refreshReuses: 0, invalidGrants: 0, codeExchanges: 0, clientCredentials: 0 };
    },
    checkApiCall(req: SandboxRequest): SandboxResponse | undefined {
      const auth = bearer(req);
      if ('status' in auth) return auth;
      const consent = auth.record?.consent;
      if (consent && !scopeAllows(consent.scopes, req.method, req.path)) return problem(401, 'AuthorizationUnsuccessful', 'insufficient_scope');
      const tenant = req.headers['xero-tenant-id'];
      // A tenant the consent does not (or no longer) connect: Xero's "AuthenticationUnsuccessful" 403.
      if (consent && (!tenant || !consent.connections.has(tenant))) return problem(403, 'AuthenticationUnsuccessful');
      return undefined;
    },
    setOrigin(value: string) {
      origin = value;
    },
  });
}
