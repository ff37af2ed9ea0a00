// Settings of one Xero source (one tenant). Xero's published limits are defaults here, so a plan with other limits is a
// configuration change, not a code change. How the source gets its tokens is chosen by which credentials are set
// (xeroAuthMode): a token issued elsewhere, a custom connection's client credentials, or a standard app's rotating
// refresh token kept in the token store under the connection's name.
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();

export const xeroSettingsSchema = z
  .object({
    name: z.string().min(1).default('xero'),
    baseUrl: z.url().default('https://api.xero.com/api.xro/2.0'),
    /** The organisation; without it, the connection's only ORGANISATION tenant (asked of `connectionsUrl` at start). */
    tenantId: z.string().min(1).optional(),
    /** A bearer token (sandbox, or a token issued elsewhere): never renewed. */
    accessToken: z.string().min(1).optional(),
    /** The app's client credentials: a custom connection's (client-credentials grant), or a standard app's. */
    clientId: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
    /** A standard app's refresh token: only the seed, used while the token store holds none for the connection. */
    refreshToken: z.string().min(1).optional(),
    /**
     * The connection (one consent, one refresh-token chain) whose tokens this source uses, by name; sources of one
     * consent (two tenants) name the same one. Setting it, or refreshToken, selects the refresh-token grant.
     */
    connection: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lower-case letters, digits, "-" or "_" (at most 63)')
      .optional(),
    tokenUrl: z.url().default('https://identity.xero.com/connect/token'),
    /** Xero's list of the tenants a token's consent grants. */
    connectionsUrl: z.url().default('https://api.xero.com/connections'),
    /** `IDs` per `GET /Invoices`: beyond about 53 Xero answers 404 (the URL gets too long). */
    maxIdsPerCall: positiveInt.max(50).default(50),
    /** Ids per `where` filter (`PaymentID==Guid("...") OR ...`), whose terms are longer than bare ids. */
    maxIdsPerFilter: positiveInt.max(50).default(25),
    /** Items per page of `/Invoices` and `/Payments`. */
    pageSize: positiveInt.max(1000).default(100),
    /**
     * The largest page a listing asks for (listInvoices; Xero serves up to 1000, 100 by default). A listed invoice comes
     * with its lines: about 1.3 KB plus 0.3 KB a line in JSON, so 100 invoices stay under the 32 MiB answer bound
     * (GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES) unless they average over 1,000 lines each, where 1000 would pass it at
     * about 120 lines each. Xero's own page with lines is 100.
     */
    listPageSize: positiveInt.max(1000).default(100),
    /** Requests in flight at once for this tenant (Xero: 5). */
    concurrentLimit: positiveInt.default(5),
    /** Requests started per rolling minute for this tenant (Xero: 60). */
    perMinuteLimit: positiveInt.default(60),
    /** The length of that "minute" (tests and benchmarks shorten it, with the sandbox's, to reach it quickly). */
    rateWindowMs: positiveInt.default(60_000),
    /** Requests started per rolling day for this tenant (Xero: 5000); kept when replicas share a store (REDIS_URL). */
    perDayLimit: positiveInt.default(5000),
    /**
     * With a shared store, a start counts this much longer than the window (it already counts from the end of its call,
     * after Xero stamped it): slack for Xero counting by coarser clock ticks than ours.
     */
    rateWindowMarginMs: z.coerce.number().int().min(0).default(500),
    currencyScales: z.record(z.string(), z.number().int().min(0).max(18)).default({}),
    /** How many times a rate-limited call is retried after waiting Retry-After. */
    rateLimitRetries: z.coerce.number().int().min(0).max(10).default(2),
    /** A Retry-After longer than this is answered as UPSTREAM_RATE_LIMITED at once instead of waited out. */
    maxRetryAfterWaitSeconds: z.coerce.number().min(0).default(10),
    /** How long Xero honours an Idempotency-Key of a write: six minutes from the first call (its documentation). */
    idempotencyWindowMs: positiveInt.default(360_000),
  })
  .refine((s) => s.accessToken !== undefined || (s.clientId !== undefined && s.clientSecret !== undefined), {
    message: 'Xero needs accessToken, or clientId and clientSecret (with refreshToken or connection for a standard app)',
    path: ['accessToken'],
    // Checked even when other settings are wrong, so every problem is reported at once.
    when: () => true,
  });

export type XeroSettings = z.output<typeof xeroSettingsSchema>;

/** How a Xero source gets its access tokens. */
export type XeroAuthMode = 'access-token' | 'client-credentials' | 'refresh-token';

/** The way the settings choose: a static token wins, then a refresh token or connection, then client credentials. */
export function xeroAuthMode(settings: Pick<XeroSettings, 'accessToken' | 'refreshToken' | 'connection'>): XeroAuthMode {
  if (settings.accessToken) return 'access-token';
  if (settings.refreshToken || settings.connection) return 'refresh-token';
  return 'client-credentials';
}

/** The connection name whose tokens are stored (refresh-token grant only); `xero` unless named. */
export function xeroConnectionOf(settings: XeroSettings): string | undefined {
  return xeroAuthMode(settings) === 'refresh-token' ? (settings.connection ?? 'xero') : undefined;
}

/**
 * The scopes `npm run connect -- xero` asks for unless XERO_SCOPES says otherwise: offline access (a refresh token),
 * invoices and payments (read and write), settings (read), in the granular scopes of apps created since 2 March 2026.
 * An older app may ask for the broad ones instead: `offline_access accounting.transactions accounting.settings.read`.
 */
export const XERO_DEFAULT_SCOPES = 'offline_access accounting.invoices accounting.payments accounting.settings.read';

/** What `npm run connect -- xero` needs: the app, Xero's endpoints, the scopes and the loopback redirect. */
export const xeroConnectSettingsSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  connection: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lower-case letters, digits, "-" or "_" (at most 63)')
    .default('xero'),
  scopes: z
    .string()
    .trim()
    .min(1)
    .refine((s) => s.split(/\s+/).includes('offline_access'), 'must include offline_access (without it Xero issues no refresh token)')
    .default(XERO_DEFAULT_SCOPES),
  /** Registered in the Xero app exactly as written here (Xero matches redirect URIs exactly). */
  redirectUri: z
    .url()
    .refine((u) => ['localhost', '127.0.0.1', '[::1]'].includes(new URL(u).hostname) && new URL(u).protocol === 'http:', {
      message: 'must be a http://localhost (or 127.0.0.1) address: the command takes the redirect on this machine',
    })
    .default('http://localhost:4005/xero/callback'),
  authorizeUrl: z.url().default('https://login.xero.com/identity/connect/authorize'),
  tokenUrl: z.url().default('https://identity.xero.com/connect/token'),
  connectionsUrl: z.url().default('https://api.xero.com/connections'),
});

export type XeroConnectSettings = z.output<typeof xeroConnectSettingsSchema>;

/** Raw connect settings from XERO_* variables (empty ones count as unset). */
export function connectSettingsFromEnv(env: Record<string, string | undefined>): Record<string, unknown> {
  const raw: Record<string, unknown> = {
    clientId: env.XERO_CLIENT_ID,
    clientSecret: env.XERO_CLIENT_SECRET,
    connection: env.XERO_CONNECTION,
    scopes: env.XERO_SCOPES,
    redirectUri: env.XERO_REDIRECT_URI,
    authorizeUrl: env.XERO_AUTHORIZE_URL,
    tokenUrl: env.XERO_TOKEN_URL,
    connectionsUrl: env.XERO_CONNECTIONS_URL,
  };
  for (const key of Object.keys(raw)) if (raw[key] === undefined || raw[key] === '') delete raw[key];
  return raw;
}

/** The variable each connect setting is read from. */
export const XERO_CONNECT_VARIABLES: Readonly<Record<string, string>> = {
  clientId: 'XERO_CLIENT_ID',
  clientSecret: 'XERO_CLIENT_SECRET',
  connection: 'XERO_CONNECTION',
  scopes: 'XERO_SCOPES',
  redirectUri: 'XERO_REDIRECT_URI',
  authorizeUrl: 'XERO_AUTHORIZE_URL',
  tokenUrl: 'XERO_TOKEN_URL',
  connectionsUrl: 'XERO_CONNECTIONS_URL',
};

/** Raw Xero settings from the environment, or undefined when XERO_BASE_URL is not set. */
export function settingsFromEnv(env: Record<string, string | undefined>): Record<string, unknown> | undefined {
  if (!env.XERO_BASE_URL) return undefined;
  const raw: Record<string, unknown> = {
    baseUrl: env.XERO_BASE_URL,
    tenantId: env.XERO_TENANT_ID,
    accessToken: env.XERO_ACCESS_TOKEN,
    clientId: env.XERO_CLIENT_ID,
    clientSecret: env.XERO_CLIENT_SECRET,
    refreshToken: env.XERO_REFRESH_TOKEN,
    connection: env.XERO_CONNECTION,
    tokenUrl: env.XERO_TOKEN_URL,
    connectionsUrl: env.XERO_CONNECTIONS_URL,
  };
  // An empty variable means "not set", so zod defaults and the credentials check apply.
  for (const key of Object.keys(raw)) if (raw[key] === undefined || raw[key] === '') delete raw[key];
  return raw;
}
