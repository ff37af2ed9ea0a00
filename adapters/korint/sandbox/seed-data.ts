// Deterministic Korint invoices for the simulator: every documented status plus CREDITED (named only in Korint's
// prose), fees and taxes with cents, components, lines, metadata, credit and replacement links, Stripe payments.
import { createSeededRandom } from '../../kit/sandbox-server.js';
import { korintSeedShapes } from './korint-seed-shapes.js';

/** Korint's documented statuses. */
export const KORINT_DOCUMENTED_STATUSES = [
  'DRAFTED',
  'ISSUED',
  'PAID',
  'FINALIZED',
  'PAYMENT_DISPUTED',
  'PAYMENT_IN_PROGRESS',
  'PAYMENT_FAILED',
  'RECONCILED',
  'CANCELLED',
  'REFUND_NOT_HANDLED',
  'PARTIALLY_FINALIZED',
  'REFUND_IN_PROGRESS',
  'WRITTEN_OFF',
] as const;

/** Every status the sandbox serves: the documented ones and CREDITED. */
export const KORINT_SANDBOX_STATUSES = [...KORINT_DOCUMENTED_STATUSES, 'CREDITED'] as const;

/** Statuses whose invoices carry a Stripe payment (paymentId, paidAt). */
const PAID_STATUSES = new Set(['PAID', 'FINALIZED', 'RECONCILED', 'PAYMENT_DISPUTED', 'REFUND_IN_PROGRESS', 'REFUND_NOT_HANDLED']);

/** A seeded invoice as Korint would send it (plain JSON). */
export type SeededKorintInvoice = Record<string, unknown> & { id: string; status: string; paidAt?: string | null };

/** A breakdown in integer cents, before it becomes Korint's JSON numbers. */
export interface CentsTotal {
  pre: number;
  fees: Array<{ id: string; chargeType: string; cents: number; brokerageFirmId: string }>;
  taxes: Array<{ id: string; chargeType: string; cents: number }>;
}

/** Cents as a JSON number in euros, built from its decimal text so the sandbox sends exactly `1234.56`. */
export function centsToNumber(cents: number): number {
  const abs = Math.abs(cents);
  return Number(`${cents < 0 ? '-' : ''}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`);
}

/** A breakdown as Korint sends it: every part and its totals, as JSON numbers in euros. */
export function wireTotal(total: CentsTotal): Record<string, unknown> {
  const totalFees = total.fees.reduce((sum, fee) => sum + fee.cents, 0);
  const totalTaxes = total.taxes.reduce((sum, tax) => sum + tax.cents, 0);
  return {
    amountPreFeesAndTaxes: centsToNumber(total.pre),
    fees: total.fees.map((fee) => ({ id: fee.id, chargeType: fee.chargeType, amount: centsToNumber(fee.cents), brokerageFirmId: fee.brokerageFirmId })),
    totalFees: centsToNumber(totalFees),
    amountWithFeesPreTaxes: centsToNumber(total.pre + totalFees),
    taxes: total.taxes.map((tax) => ({ id: tax.id, chargeType: tax.chargeType, amount: centsToNumber(tax.cents) })),
    totalTaxes: centsToNumber(totalTaxes),
    amountWithFeesAndTaxes: centsToNumber(total.pre + totalFees + totalTaxes),
  };
}

const pad = (n: number) => String(n).padStart(4, '0');
const DAY = 86_400_000;
const EPOCH = Date.UTC(2025, 0, 6, 9, 0, 0);
const LABELS = ['Home insurance premium', 'Car insurance premium', 'Liability cover', 'Travel assistance', 'Pet insurance premium'];
const PRODUCTS = ['HOME', 'MOTOR', 'LIAB', 'TRAVEL', 'PET'];

/** `count` invoices `kor_inv_0001`..., the same for the same seed. */
export function createKorintSeedInvoices(count: number, seed: number): SeededKorintInvoice[] {
  const random = createSeededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const invoices: SeededKorintInvoice[] = [];
  let lastCredited: string | undefined;
  let lastCancelled: string | undefined;

  for (let i = 1; i <= count; i += 1) {
    const id = `kor_inv_${pad(i)}`;
    const status = KORINT_SANDBOX_STATUSES[(i - 1) % KORINT_SANDBOX_STATUSES.length];
    const created = EPOCH + i * DAY + int(0, 3_600_000);
    const issued = created + DAY;
    const periodStart = Date.UTC(2025, Math.floor(i / 30), 1);
    const product = int(0, LABELS.length - 1);

    const lineTotals: CentsTotal[] = [];
    const lineCount = int(1, 2);
    for (let l = 1; l <= lineCount; l += 1) {
      const pre = int(5_000, 250_000);
      const fees = [{ id: `fee_${pad(i)}_${l}_b`, chargeType: 'ONE_TIME', cents: int(500, 4_000), brokerageFirmId: `bf_${int(1, 4)}` }];
      if (random() < 0.4) fees.push({ id: `fee_${pad(i)}_${l}_m`, chargeType: 'RECURRING', cents: int(100, 1_500), brokerageFirmId: 'bf_1' });
      const withFees = pre + fees.reduce((sum, fee) => sum + fee.cents, 0);
      // Insurance premium tax, 9%, rounded half up in integer cents.
      const taxes = [{ id: `tax_${pad(i)}_${l}`, chargeType: 'ONE_TIME', cents: Math.floor((withFees * 9 + 50) / 100) }];
      lineTotals.push({ pre, fees, taxes });
    }
    const invoiceTotal: CentsTotal = {
      pre: lineTotals.reduce((sum, t) => sum + t.pre, 0),
      fees: lineTotals.flatMap((t) => t.fees),
      taxes: lineTotals.flatMap((t) => t.taxes),
    };

    const invoice: SeededKorintInvoice = {
      id,
      type: 'INVOICE',
      status,
      issuedAt: status === 'DRAFTED' ? null : new Date(issued).toISOString(),
      createdAt: new Date(created).toISOString(),
      period: { startedAt: new Date(periodStart).toISOString(), endedAt: new Date(periodStart + 30 * DAY - 1000).toISOString() },
      components: lineTotals.map((t, index) => ({
        id: `cmp_${pad(i)}_${index + 1}`,
        type: index === 0 ? 'PREMIUM' : 'PERIL',
        premium: wireTotal(t),
        reconciliation: status === 'RECONCILED',
      })),
      lines: lineTotals.map((t, index) => ({ label: LABELS[(product + index) % LABELS.length], total: wireTotal(t) })),
      total: wireTotal(invoiceTotal),
      metadata: [
        { key: 'policyId', value: `pol_${pad(int(1, 9_999))}` },
        { key: 'product', value: PRODUCTS[product] },
      ],
      hasFailedOnce: status === 'PAYMENT_FAILED',
      firstFailedAt: status === 'PAYMENT_FAILED' ? new Date(issued + 3 * DAY).toISOString() : null,
      // Some invoices were imported and carry only the caller's own number.
      incrementalId: i % 7 === 0 ? null : 1000 + i,
      externalId: i % 7 === 0 ? `EXT-2025-${pad(i)}` : null,
      paymentId: null,
      paidAt: null,
      creditedInvoiceId: null,
      replacedInvoiceId: null,
      refundNotHandledReason: status === 'REFUND_NOT_HANDLED' ? (i % 2 === 0 ? 'INSUFFICIENT_AMOUNT' : 'SEPA_PAYMENT_180_DAYS_EXCEEDED') : null,
    };
    if (PAID_STATUSES.has(status)) {
      invoice.paymentId = `pi_${(seed * 1_000_003 + i * 7_919).toString(36)}${pad(i)}`;
      invoice.paidAt = new Date(issued + int(1, 20) * DAY + int(0, 3_600_000)).toISOString();
    }
    // A credit note points at the invoice it credits; a replacement at the one it replaces.
    if (i % 20 === 0 && lastCredited) invoice.creditedInvoiceId = lastCredited;
    if (i % 25 === 0 && lastCancelled) invoice.replacedInvoiceId = lastCancelled;
    if (status === 'CREDITED') lastCredited = id;
    if (status === 'CANCELLED') lastCancelled = id;
    invoices.push(invoice);
  }
  // Invoices whose numbers do not add up, from their own stream, after the seed.
  invoices.push(...korintSeedShapes(seed));
  return invoices;
}
