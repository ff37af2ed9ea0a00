// Fragment's wire format, as far as the gateway reads it. Current SDKs speak snake_case, older answers and some
// documented examples camelCase (`lineItems`, `currencyCode`, `workspaceId`), sometimes mixed in one payload: every
// object is normalised to snake_case before it is validated, so the mapping sees one shape.
import { z } from 'zod';

function snakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Copies camelCase keys to their snake_case names (snake wins when both are present); other values are left alone. */
export function snakeKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (!/[A-Z]/.test(key)) continue;
    const snake = snakeCase(key);
    if (!(snake in out)) out[snake] = item;
  }
  return out;
}

/** A loose object read in either casing. */
function fragmentObject<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  return z.preprocess(snakeKeys, z.looseObject(shape));
}

/** An amount: an integer string in the currency's smallest unit (checked by the money functions, item by item). */
const FragmentAmount = z.string();

const FragmentTag = fragmentObject({ key: z.string(), value: z.string() });

const FragmentAmounts = fragmentObject({
  actual: FragmentAmount,
  expected: FragmentAmount,
  remaining: FragmentAmount,
});

export const FragmentBalance = fragmentObject({
  currency: z.string().min(1),
  net: FragmentAmounts,
  payins: FragmentAmounts,
  payouts: FragmentAmounts,
});
export type FragmentBalance = z.output<typeof FragmentBalance>;

export const FragmentUser = fragmentObject({
  id: z.string(),
  external_id: z.string().nullish(),
  balances: z.array(FragmentBalance).nullish(),
});
export type FragmentUser = z.output<typeof FragmentUser>;

export const FragmentLineItem = fragmentObject({
  id: z.string().nullish(),
  amount: FragmentAmount,
  currency_code: z.string().min(1),
  description: z.string().nullish(),
  product_id: z.string().nullish(),
  type: z.string().nullish(),
  user_id: z.string().nullish(),
});
export type FragmentLineItem = z.output<typeof FragmentLineItem>;

export const FragmentPayment = fragmentObject({
  amount: FragmentAmount,
  currency: z.string().min(1),
  posted: z.string().nullish(),
  transaction: fragmentObject({
    id: z.string().min(1),
    external_id: z.string().nullish(),
    tags: z.array(FragmentTag).nullish(),
  }),
  type: z.enum(['payin', 'payout']),
  user: fragmentObject({ id: z.string().nullish(), external_id: z.string().nullish() }).nullish(),
});
export type FragmentPayment = z.output<typeof FragmentPayment>;

export const FragmentInvoice = fragmentObject({
  id: z.string().min(1),
  status: z.string(),
  created: z.string().nullish(),
  modified: z.string().nullish(),
  balances: z.array(FragmentBalance).nullish(),
  users: z.array(FragmentUser).nullish(),
  line_items: z.array(FragmentLineItem).nullish(),
  payments: z.array(FragmentPayment).nullish(),
  tags: z.array(FragmentTag).nullish(),
});
export type FragmentInvoice = z.output<typeof FragmentInvoice>;

/** Just enough of an invoice to know which id a (possibly malformed) item answers. */
export const FragmentInvoiceId = fragmentObject({ id: z.string().min(1) });

/** `POST /invoices/batch-get`: items are validated one by one, so one bad invoice fails only its own id. */
export const FragmentBatchGetAnswer = fragmentObject({
  data: fragmentObject({
    invoices: z.array(z.unknown()),
    not_found: z.array(z.string()).nullish(),
  }),
});

/** `GET /invoices/{id}` and `POST /invoices`: one invoice under `data`, validated by the caller. */
export const FragmentInvoiceAnswer = fragmentObject({ data: z.unknown() });
