// Fragment's settings: where the API and its token endpoint live, the client credentials, and the batch limits. Each
// setting's meaning is in its schema (docs/configuration.md is generated from it), and FRAGMENT_VARIABLES names the
// variable each one is read from.
import { z } from 'zod';
import { settingsFromVariables } from '../kit/env-settings.js';

/** Fragment's documented batch-get limit. */
export const FRAGMENT_MAX_BATCH_SIZE = 200;

export const fragmentSettingsSchema = z.object({
  name: z.string().min(1).default('fragment').describe('The source\'s name, the prefix of its ids.'),
  baseUrl: z.url().describe('Fragment\'s API, e.g. `https://api.us-west-2.fragment.dev` (some SDK versions add `/billing`). Setting it configures Fragment.'),
  clientId: z.string().min(1).describe('The OAuth2 client id (client-credentials grant).'),
  clientSecret: z.string().min(1).describe('The OAuth2 client secret; never logged.'),
  tokenUrl: z.url().default('https://auth.us-west-2.fragment.dev/oauth2/token').describe('Fragment\'s OAuth2 token endpoint.'),
  currencyScales: z
    .record(z.string().min(1), z.coerce.number().int().min(0).max(30))
    // The currency table looks codes up in upper case.
    .transform((scales) => Object.fromEntries(Object.entries(scales).map(([code, scale]) => [code.toUpperCase(), scale])))
    .default({})
    .describe('Decimals per currency code (`{ "PTS2": 2 }`), over the built-in table, for codes Fragment adds before the table knows them.'),
  maxBatchSize: z.coerce
    .number()
    .int()
    .min(1)
    .max(FRAGMENT_MAX_BATCH_SIZE)
    .default(FRAGMENT_MAX_BATCH_SIZE)
    .describe('Ids per batch-get (Fragment\'s limit is 200).'),
  searchOrder: z
    .enum(['created-desc', 'created-asc'])
    .default('created-desc')
    .describe('The order `POST /invoices/search` answers in (Fragment documents none): by creation time, ties by id. listInvoices asks Fragment for that order only and orders every other way itself.'),
  searchPageSize: z.coerce.number().int().min(1).max(200).default(200).describe('The largest `page_info.limit` a listing asks for (Fragment\'s default is 20).'),
  concurrency: z.coerce.number().int().min(1).max(64).default(4).describe('Batch-get requests one load runs at once.'),
});

export type FragmentSettings = z.output<typeof fragmentSettingsSchema>;

/** The variable each setting is read from. */
export const FRAGMENT_VARIABLES: Readonly<Record<string, string>> = {
  baseUrl: 'FRAGMENT_BASE_URL',
  clientId: 'FRAGMENT_CLIENT_ID',
  clientSecret: 'FRAGMENT_CLIENT_SECRET',
  tokenUrl: 'FRAGMENT_TOKEN_URL',
};

/** Raw settings from FRAGMENT_* variables, or undefined when FRAGMENT_BASE_URL is unset. */
export function settingsFromEnv(env: Record<string, string | undefined>): Record<string, unknown> | undefined {
  return env.FRAGMENT_BASE_URL ? settingsFromVariables(env, FRAGMENT_VARIABLES) : undefined;
}
