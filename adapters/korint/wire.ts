// Korint's wire format (seed 003). Schemas name only the fields the adapter reads and let unknown fields through.
import { z } from 'zod';
import { exactNumber } from '../kit/inexact-numbers.js';

const text = z.string().nullish();
/** An amount: a JSON number in major units (refused, not rounded, past what a double carries). */
const amount = exactNumber();

export const korintFeeSchema = z.looseObject({
  id: text,
  chargeType: text,
  amount,
  brokerageFirmId: text,
});
export type KorintFee = z.output<typeof korintFeeSchema>;

export const korintTaxSchema = z.looseObject({
  id: text,
  chargeType: text,
  amount,
});
export type KorintTax = z.output<typeof korintTaxSchema>;

/** An amount taken apart into its pre-fee part, fees and taxes. */
export const korintTotalSchema = z.looseObject({
  amountPreFeesAndTaxes: amount,
  fees: z.array(korintFeeSchema).nullish(),
  totalFees: amount,
  amountWithFeesPreTaxes: amount,
  taxes: z.array(korintTaxSchema).nullish(),
  totalTaxes: amount,
  amountWithFeesAndTaxes: amount,
});
export type KorintTotal = z.output<typeof korintTotalSchema>;

export const korintComponentSchema = z.looseObject({
  id: text,
  /** PREMIUM, PERIL, FEE, TAX, SPECIAL: kept as text so a new type breaks nothing. */
  type: z.string(),
  premium: korintTotalSchema.nullish(),
  reconciliation: z.boolean().nullish(),
});
export type KorintComponent = z.output<typeof korintComponentSchema>;

export const korintLineSchema = z.looseObject({
  label: text,
  total: korintTotalSchema.nullish(),
});
export type KorintLine = z.output<typeof korintLineSchema>;

export const korintInvoiceSchema = z.looseObject({
  id: z.string().min(1),
  /** Kept as text: Korint's prose names statuses beyond its list (CREDITED). */
  status: z.string().min(1),
  issuedAt: text,
  createdAt: text,
  period: z.looseObject({ startedAt: text, endedAt: text }).nullish(),
  components: z.array(korintComponentSchema).nullish(),
  lines: z.array(korintLineSchema).nullish(),
  total: korintTotalSchema,
  metadata: z.array(z.looseObject({ key: z.string(), value: z.string().nullish() })).nullish(),
  incrementalId: z.number().int().nullish(),
  externalId: text,
  paymentId: text,
  paidAt: text,
  creditedInvoiceId: text,
  replacedInvoiceId: text,
});
export type KorintInvoice = z.output<typeof korintInvoiceSchema>;

/** Just enough of an item to know which requested id it answers, before the item itself is validated. */
export const korintItemIdSchema = z.looseObject({ id: z.string().min(1) });

/** The documented page envelope of the invoices-by-ids endpoint. */
export const korintPagedEnvelopeSchema = z
  .looseObject({
    data: z.array(z.unknown()),
    pageInfo: z.looseObject({ first: z.boolean().nullish(), last: z.boolean().nullish() }).nullish(),
    totalCount: z.number().int().nullish(),
    currentPage: z.number().int().nullish(),
    totalPages: z.number().int().nullish(),
  })
  .refine((page) => typeof page.pageInfo?.last === 'boolean' || (page.currentPage != null && page.totalPages != null), {
    message: 'neither pageInfo.last nor currentPage/totalPages',
  });
export type KorintPagedEnvelope = z.output<typeof korintPagedEnvelopeSchema>;

/** The envelope Korint's other lists use. */
export const korintOffsetEnvelopeSchema = z.looseObject({
  data: z.array(z.unknown()),
  total: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int().nullish(),
});
export type KorintOffsetEnvelope = z.output<typeof korintOffsetEnvelopeSchema>;

/** Either envelope; the offset form is tried first because its fields are all required. */
export const korintPageSchema = z.union([korintOffsetEnvelopeSchema, korintPagedEnvelopeSchema]);
export type KorintPage = z.output<typeof korintPageSchema>;

/** One page, whichever envelope it came in. */
export interface KorintPageItems {
  items: unknown[];
  hasMore: boolean;
}

/** Reduces either envelope to its items and whether another page follows. */
export function normalizeKorintPage(page: KorintPage): KorintPageItems {
  if ('offset' in page && typeof page.offset === 'number' && 'total' in page && typeof page.total === 'number') {
    return { items: page.data, hasMore: page.offset + page.data.length < page.total };
  }
  const paged = page as KorintPagedEnvelope;
  const hasMore =
    typeof paged.pageInfo?.last === 'boolean' ? !paged.pageInfo.last : (paged.currentPage ?? 0) < (paged.totalPages ?? 0);
  return { items: paged.data, hasMore };
}
