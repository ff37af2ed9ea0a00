// Settings of one Xero source (one tenant). Xero's published limits are defaults here, so a plan with other limits is a
// configuration change, not a code change. How the source gets its tokens is chosen by which credentials are set
// (xeroAuthMode): a token issued elsewhere, a custom connection's client credentials, or a standard app's rotating
// refresh token kept in the token store under the connection's name.
import { z } from 'zod';
import { settingsFromVariables } from '../kit/env-settings.js';

const positiveInt = z.coerce.number().int().positive();

const connectionName = () => z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lower-case letters, digits, "-" or "_" (at most 63)');

export const xeroSettingsSchema = z
  .object({
    name: z.string().min(1).default('xero').describe('The source\'s name, the prefix of its ids (`xero-nz` for one of two tenants).'),
    baseUrl: z.url().default('https://api.xero.com/api.xro/2.0').describe('Xero\'s accounting API. Setting XERO_BASE_URL configures Xero.'),
    tenantId: z
      .string()
      .min(1)
      .optional()
      .describe('The organisation. Without it, the connection\'s only ORGANISATION tenant, asked of connectionsUrl at start (none or several is a start error listing them).'),
    accessToken: z.string().min(1).optional().describe('A bearer token issued elsewhere (or the sandbox\'s): never renewed.'),
    clientId: z
      .string()
      .min(1)
      .optional()
      .describe('The app\'s client id: a custom connection\'s (client-credentials grant), or a standard app\'s (with refreshToken or connection).'),
    clientSecret: z.string().min(1).optional().describe('The app\'s client secret; never logged.'),
    refreshToken: z
      .string()
      .min(1)
      .optional()
      .describe('A standard app\'s refresh token: only the seed, used while the token store holds none for the connection (`npm run connect -- xero` stores one instead).'),
    connection: connectionName()
      .optional()
      .describe('The connection (one consent, one refresh-token chain) whose tokens this source uses, by name (`xero` unless named); sources of one consent (two tenants) name the same one. Setting it, or refreshToken, selects the refresh-token grant.'),
    tokenUrl: z.url().default('https://identity.xero.com/connect/token').describe('Xero\'s identity service token endpoint.'),
    connectionsUrl: z.url().default('https://api.xero.com/connections').describe('Xero\'s list of the tenants a token\'s consent grants.'),
    maxIdsPerCall: positiveInt.max(50).default(50).describe('`IDs` per `GET /Invoices`: beyond about 53 Xero answers 404 (the URL gets too long).'),
    maxIdsPerFilter: positiveInt.max(50).default(25).describe('Ids per `where` filter (`PaymentID==Guid("…") OR …`), whose terms are longer than bare ids.'),
    pageSize: positiveInt.max(1000).default(100).describe('Items per page of `/Invoices` and `/Payments`.'),
    listPageSize: positiveInt
      .max(1000)
      .default(100)
      .describe('The largest page a listing asks for (Xero serves up to 1000). A listed invoice comes with its lines (about 1.3 KB plus 0.3 KB a line), so 100 stay under the 32 MiB answer bound unless they average over 1,000 lines each.'),
    concurrentLimit: positiveInt.default(5).describe('Requests in flight at once for this tenant (Xero: 5).'),
    perMinuteLimit: positiveInt.default(60).describe('Requests started per rolling minute for this tenant (Xero: 60).'),
    rateWindowMs: positiveInt.default(60_000).describe('The length of that "minute" (tests and benchmarks shorten it, with the sandbox\'s).'),
    perDayLimit: positiveInt.default(5000).describe('Requests started per rolling day for this tenant (Xero: 5000); kept only when replicas share Redis.'),
    rateWindowMarginMs: z.coerce
      .number()
      .int()
      .min(0)
      .default(500)
      .describe('How much longer than the window a start counts (it already counts from the end of its call): slack for Xero counting by coarser clock ticks.'),
    currencyScales: z.record(z.string(), z.number().int().min(0).max(18)).default({}).describe('Decimals per currency code, over the ISO 4217 table.'),
    rateLimitRetries: z.coerce.number().int().min(0).max(10).default(2).describe('How many times a rate-limited call is retried after waiting Retry-After.'),
    maxRetryAfterWaitSeconds: z.coerce
      .number()
      .min(0)
      .default(10)
      .describe('A Retry-After longer than this answers `UPSTREAM_RATE_LIMITED` at once instead of being waited out.'),
    idempotencyWindowMs: positiveInt.default(360_000).describe('How long Xero honours an Idempotency-Key of a write: six minutes from the first call.'),
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
  clientId: z.string().min(1).describe('The standard app\'s client id.'),
  clientSecret: z.string().min(1).describe('The standard app\'s client secret.'),
  connection: connectionName().default('xero').describe('The connection the tokens are stored under (the sources name it).'),
  scopes: z
    .string()
    .trim()
    .min(1)
    .refine((s) => s.split(/\s+/).includes('offline_access'), 'must include offline_access (without it Xero issues no refresh token)')
    .default(XERO_DEFAULT_SCOPES)
    .describe('The scopes asked for, space separated (must include `offline_access`). An app created before 2 March 2026 may ask for the broad ones: `offline_access accounting.transactions accounting.settings.read`.'),
  redirectUri: z
    .url()
    .refine((u) => ['localhost', '127.0.0.1', '[::1]'].includes(new URL(u).hostname) && new URL(u).protocol === 'http:', {
      message: 'must be a http://localhost (or 127.0.0.1) address: the command takes the redirect on this machine',
    })
    .default('http://localhost:4005/xero/callback')
    .describe('Where Xero sends the browser back; the app must list it exactly (Xero matches redirect URIs exactly).'),
  authorizeUrl: z.url().default('https://login.xero.com/identity/connect/authorize').describe('Xero\'s authorize endpoint.'),
  tokenUrl: z.url().default('https://identity.xero.com/connect/token').describe('Xero\'s identity service token endpoint.'),
  connectionsUrl: z.url().default('https://api.xero.com/connections').describe('Xero\'s list of the tenants a consent grants.'),
});

export type XeroConnectSettings = z.output<typeof xeroConnectSettingsSchema>;

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

/** Raw connect settings from XERO_* variables (empty ones count as unset). */
export function connectSettingsFromEnv(env: Record<string, string | undefined>): Record<string, unknown> {
  return settingsFromVariables(env, XERO_CONNECT_VARIABLES);
}

/** The variable each source setting is read from. */
export const XERO_VARIABLES: Readonly<Record<string, string>> = {
  baseUrl: 'XERO_BASE_URL',
  tenantId: 'XERO_TENANT_ID',
  accessToken: 'XERO_ACCESS_TOKEN',
  clientId: 'XERO_CLIENT_ID',
  clientSecret: 'XERO_CLIENT_SECRET',
  refreshToken: 'XERO_REFRESH_TOKEN',
  connection: 'XERO_CONNECTION',
  tokenUrl: 'XERO_TOKEN_URL',
  connectionsUrl: 'XERO_CONNECTIONS_URL',
};

/** Raw Xero settings from the environment, or undefined when XERO_BASE_URL is not set. */
export function settingsFromEnv(env: Record<string, string | undefined>): Record<string, unknown> | undefined {
  // An empty variable means "not set", so zod defaults and the credentials check apply.
  return env.XERO_BASE_URL ? settingsFromVariables(env, XERO_VARIABLES) : undefined;
}
