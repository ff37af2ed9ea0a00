// Korint settings. Korint does not publish its path, id and page parameters, or the currency of its amounts: they are
// assumptions kept here so a deployment can correct them without a code change (in a sources file entry). Each
// setting's meaning is in its schema (docs/configuration.md is generated from it).
import { z } from 'zod';
import { createCurrencyTable } from '../kit/currencies.js';
import { settingsFromVariables } from '../kit/env-settings.js';

/** Korint's documented page size ceiling. */
export const KORINT_MAX_PAGE_SIZE = 100;

export const korintSettingsSchema = z
  .object({
    name: z.string().min(1).default('korint').describe('The source\'s name, the prefix of its ids (`korint:Invoice:<id>`).'),
    baseUrl: z.url().describe('Korint\'s API. Setting it configures Korint.'),
    token: z
      .string()
      .min(1)
      .optional()
      .describe('A bearer JWT, read once. Korint tokens last one hour, so a long-running deployment prefers tokenFile. One of token and tokenFile.'),
    tokenFile: z
      .string()
      .min(1)
      .optional()
      .describe('A file holding the bearer token, renewed outside the gateway (a Kubernetes secret mount): read again when it changes and after a 401, without a restart.'),
    invoicesPath: z.string().startsWith('/').default('/invoices').describe('The list-by-ids path (Korint does not publish it).'),
    idsParam: z.string().min(1).default('ids').describe('The query parameter carrying the ids, comma separated.'),
    pageParam: z.string().min(1).default('page').describe('The 1-based page number parameter.'),
    pageSizeParam: z.string().min(1).default('pageSize').describe('The page size parameter.'),
    pageSize: z.coerce.number().int().min(1).max(KORINT_MAX_PAGE_SIZE).default(KORINT_MAX_PAGE_SIZE).describe('Invoices per page (Korint\'s ceiling is 100).'),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3,8}$/)
      .transform((code) => code.toUpperCase())
      .default('EUR')
      .describe('Korint sends no currency: its amounts (JSON numbers in major units) are in this one.'),
    currencyScales: z.record(z.string(), z.number().int().min(0).max(36)).default({}).describe('Decimals per currency code, over the ISO 4217 table.'),
    maxIdsPerRequest: z.coerce.number().int().min(1).default(100).describe('Ids one request carries (keeps the query string short).'),
    listPath: z.string().startsWith('/').default('/invoices').describe('The listing path: the list-by-ids path, asked without ids.'),
    listSortParam: z.string().min(1).default('sort').describe('The query parameter naming the listing\'s order.'),
    listOrders: z
      .object({
        ISSUED_AT_DESC: z.string().min(1),
        ISSUED_AT_ASC: z.string().min(1).optional(),
        UPDATED_AT_DESC: z.string().min(1).optional(),
      })
      .default({ ISSUED_AT_DESC: '-issuedAt', ISSUED_AT_ASC: 'issuedAt', UPDATED_AT_DESC: '-issuedAt' })
      .describe('The sort value per listing order Korint can answer in (ties by id). Korint sends no modification time, so its invoices sort by issue time under UPDATED_AT_DESC too; an order left out is applied by the gateway.'),
    concurrency: z.coerce.number().int().min(1).max(32).default(4).describe('Requests in flight at once for one batch.'),
  })
  .superRefine((settings, ctx) => {
    if ((settings.token === undefined) === (settings.tokenFile === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'Korint needs token or tokenFile (one of them)' });
    }
    if (createCurrencyTable(settings.currencyScales).scaleOf(settings.currency) === undefined) {
      ctx.addIssue({ code: 'custom', path: ['currency'], message: `unknown currency "${settings.currency}"; add it to currencyScales` });
    }
  });

export type KorintSettings = z.output<typeof korintSettingsSchema>;

/** The variable each setting is read from. */
export const KORINT_VARIABLES: Readonly<Record<string, string>> = {
  baseUrl: 'KORINT_BASE_URL',
  token: 'KORINT_TOKEN',
  tokenFile: 'KORINT_TOKEN_FILE',
  pageSize: 'KORINT_PAGE_SIZE',
  currency: 'KORINT_CURRENCY',
};

/** Raw settings from KORINT_* variables, or undefined when KORINT_BASE_URL is unset. */
export function korintSettingsFromEnv(env: Record<string, string | undefined>): Record<string, unknown> | undefined {
  return env.KORINT_BASE_URL ? settingsFromVariables(env, KORINT_VARIABLES) : undefined;
}
