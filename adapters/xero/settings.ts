// Settings of one Xero source (one tenant). Xero's published limits are defaults here, so a plan with other limits is a
// configuration change, not a code change.
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();

export const xeroSettingsSchema = z
  .object({
    name: z.string().min(1).default('xero'),
    baseUrl: z.url().default('https://api.xero.com/api.xro/2.0'),
    tenantId: z.string().min(1),
    /** A bearer token (sandbox, or a token issued elsewhere). */
    accessToken: z.string().min(1).optional(),
    /** A custom connection's client credentials; the adapter fetches and renews tokens itself. */
    clientId: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
    tokenUrl: z.url().default('https://identity.xero.com/connect/token'),
    /** `IDs` per `GET /Invoices`: beyond about 53 Xero answers 404 (the URL gets too long). */
    maxIdsPerCall: positiveInt.max(50).default(50),
    /** Ids per `where` filter (`PaymentID==Guid("...") OR ...`), whose terms are longer than bare ids. */
    maxIdsPerFilter: positiveInt.max(50).default(25),
    /** Items per page of `/Invoices` and `/Payments`. */
    pageSize: positiveInt.max(1000).default(100),
    /**
     * The largest page a listing asks for (listInvoices; Xero serves up to 1000). A listing asks for the smallest page
     * that holds the invoices it wants, so a larger ceiling only lets one call cover more positions.
     */
    listPageSize: positiveInt.max(1000).default(1000),
    /** Requests in flight at once for this tenant (Xero: 5). */
    concurrentLimit: positiveInt.default(5),
    /** Requests started per rolling minute for this tenant (Xero: 60). */
    perMinuteLimit: positiveInt.default(60),
    /** The length of that "minute" (tests and benchmarks shorten it, with the sandbox's, to reach it quickly). */
    rateWindowMs: positiveInt.default(60_000),
    /** Requests started per rolling day for this tenant (Xero: 5000); kept when replicas share a store (REDIS_URL). */
    perDayLimit: positiveInt.default(5000),
    /**
     * A start counts this much longer than the window (it already counts from the end of its call, after Xero stamped
     * it): slack for Xero counting by coarser clock ticks than ours.
     */
    rateWindowMarginMs: z.coerce.number().int().min(0).default(500),
    currencyScales: z.record(z.string(), z.number().int().min(0).max(18)).default({}),
    /** How many times a rate-limited call is retried after waiting Retry-After. */
    rateLimitRetries: z.coerce.number().int().min(0).max(10).default(2),
    /** A Retry-After longer than this is answered as UPSTREAM_RATE_LIMITED at once instead of waited out. */
    maxRetryAfterWaitSeconds: z.coerce.number().min(0).default(10),
  })
  .refine((s) => s.accessToken !== undefined || (s.clientId !== undefined && s.clientSecret !== undefined), {
    message: 'Xero needs accessToken, or clientId and clientSecret',
    path: ['accessToken'],
    // Checked even when other settings are wrong, so every problem is reported at once.
    when: () => true,
  });

export type XeroSettings = z.output<typeof xeroSettingsSchema>;

/** Raw Xero settings from the environment, or undefined when XERO_BASE_URL is not set. */
export function settingsFromEnv(env: Record<string, string | undefined>): Record<string, unknown> | undefined {
  if (!env.XERO_BASE_URL) return undefined;
  const raw: Record<string, unknown> = {
    baseUrl: env.XERO_BASE_URL,
    tenantId: env.XERO_TENANT_ID,
    accessToken: env.XERO_ACCESS_TOKEN,
    clientId: env.XERO_CLIENT_ID,
    clientSecret: env.XERO_CLIENT_SECRET,
    tokenUrl: env.XERO_TOKEN_URL,
  };
  // An empty variable means "not set", so zod defaults and the credentials check apply.
  for (const key of Object.keys(raw)) if (raw[key] === undefined || raw[key] === '') delete raw[key];
  return raw;
}
