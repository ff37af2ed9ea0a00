// Korint settings. Korint does not publish its path, id and page parameters, or the currency of its amounts: they are
// assumptions kept here so a deployment can correct them without a code change.
import { z } from 'zod';
import { createCurrencyTable } from '../kit/currencies.js';

/** Korint's documented page size ceiling. */
export const KORINT_MAX_PAGE_SIZE = 100;

export const korintSettingsSchema = z
  .object({
    /** The source name in global ids (`korint:Invoice:<id>`). */
    name: z.string().min(1).default('korint'),
    baseUrl: z.url(),
    /** A bearer JWT, read once; Korint tokens last one hour, so a long-running deployment prefers tokenFile. */
    token: z.string().min(1).optional(),
    /**
     * A file holding the bearer token, renewed outside the gateway (a Kubernetes secret mount): read again when it
     * changes and after a 401, without a restart.
     */
    tokenFile: z.string().min(1).optional(),
    invoicesPath: z.string().startsWith('/').default('/invoices'),
    /** The query parameter carrying the ids, comma separated. */
    idsParam: z.string().min(1).default('ids'),
    /** 1-based page number parameter. */
    pageParam: z.string().min(1).default('page'),
    pageSizeParam: z.string().min(1).default('pageSize'),
    pageSize: z.coerce.number().int().min(1).max(KORINT_MAX_PAGE_SIZE).default(KORINT_MAX_PAGE_SIZE),
    /** Korint sends no currency; its amounts are in this one. */
    currency: z
      .string()
      .regex(/^[A-Za-z]{3,8}$/)
      .transform((code) => code.toUpperCase())
      .default('EUR'),
    /** Decimals per currency code, over the ISO 4217 table. */
    currencyScales: z.record(z.string(), z.number().int().min(0).max(36)).default({}),
    /** How many ids one request carries (keeps the query string short). */
    maxIdsPerRequest: z.coerce.number().int().min(1).default(100),
    /** The listing path: the list-by-ids path, asked without ids. */
    listPath: z.string().startsWith('/').default('/invoices'),
    /** The query parameter naming the listing's order. */
    listSortParam: z.string().min(1).default('sort'),
    /**
     * The sort value per listing order Korint can answer in (ties by id). Korint sends no modification time, so its
     * invoices sort by issue time under UPDATED_AT_DESC too. An order left out is applied by the gateway.
     */
    listOrders: z
      .object({
        ISSUED_AT_DESC: z.string().min(1),
        ISSUED_AT_ASC: z.string().min(1).optional(),
        UPDATED_AT_DESC: z.string().min(1).optional(),
      })
      .default({ ISSUED_AT_DESC: '-issuedAt', ISSUED_AT_ASC: 'issuedAt', UPDATED_AT_DESC: '-issuedAt' }),
    /** Requests in flight at once for one batch. */
    concurrency: z.coerce.number().int().min(1).max(32).default(4),
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

/** Raw settings from KORINT_* variables, or undefined when KORINT_BASE_URL is unset. */
export function korintSettingsFromEnv(env: Record<string, string | undefined>): Record<string, unknown> | undefined {
  if (!env.KORINT_BASE_URL) return undefined;
  const raw: Record<string, unknown> = { baseUrl: env.KORINT_BASE_URL };
  if (env.KORINT_TOKEN) raw.token = env.KORINT_TOKEN;
  if (env.KORINT_TOKEN_FILE) raw.tokenFile = env.KORINT_TOKEN_FILE;
  if (env.KORINT_PAGE_SIZE) raw.pageSize = env.KORINT_PAGE_SIZE;
  if (env.KORINT_CURRENCY) raw.currency = env.KORINT_CURRENCY;
  return raw;
}
