// Fragment's settings: where the API and its token endpoint live, the client credentials, and the batch limits.
import { z } from 'zod';

/** Fragment's documented batch-get limit. */
export const FRAGMENT_MAX_BATCH_SIZE = 200;

export const fragmentSettingsSchema = z.object({
  name: z.string().min(1).default('fragment'),
  /** `https://api.us-west-2.fragment.dev` (some SDK versions add `/billing`). */
  baseUrl: z.url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  tokenUrl: z.url().default('https://auth.us-west-2.fragment.dev/oauth2/token'),
  /** Overrides of the currency table (code -> decimals), for codes Fragment adds before our table knows them. */
  currencyScales: z
    .record(z.string().min(1), z.coerce.number().int().min(0).max(30))
    // The currency table looks codes up in upper case.
    .transform((scales) => Object.fromEntries(Object.entries(scales).map(([code, scale]) => [code.toUpperCase(), scale])))
    .default({}),
  maxBatchSize: z.coerce.number().int().min(1).max(FRAGMENT_MAX_BATCH_SIZE).default(FRAGMENT_MAX_BATCH_SIZE),
  /**
   * The order `POST /invoices/search` answers in (Fragment documents none): by creation time, newest first unless
   * told, ties by id. listInvoices asks Fragment for that order only and orders every other way itself.
   */
  searchOrder: z.enum(['created-desc', 'created-asc']).default('created-desc'),
  /** The largest `page_info.limit` a listing asks for (Fragment's default is 20; the sandbox allows 200). */
  searchPageSize: z.coerce.number().int().min(1).max(200).default(200),
  /** How many batch-get requests one load runs at once. */
  concurrency: z.coerce.number().int().min(1).max(64).default(4),
});

export type FragmentSettings = z.output<typeof fragmentSettingsSchema>;

/** Raw settings from FRAGMENT_* variables, or undefined when FRAGMENT_BASE_URL is unset. */
export function settingsFromEnv(env: Record<string, string | undefined>): Record<string, unknown> | undefined {
  const baseUrl = env.FRAGMENT_BASE_URL;
  if (baseUrl === undefined || baseUrl === '') return undefined;
  const settings: Record<string, unknown> = {
    baseUrl,
    clientId: env.FRAGMENT_CLIENT_ID,
    clientSecret: env.FRAGMENT_CLIENT_SECRET,
  };
  if (env.FRAGMENT_TOKEN_URL) settings.tokenUrl = env.FRAGMENT_TOKEN_URL;
  return settings;
}
