// Korint invoice -> model. Pure: no I/O, so it is tested without HTTP. Throws on an amount it cannot carry exactly;
// the adapter turns that into an error for this invoice alone.
import type { CurrencyTable } from '../kit/currencies.js';
import { absMoney, directionOfNet, dueInDirection } from '../kit/direction.js';
import { defineLazy } from '../kit/discrepancy.js';
import type {
  Balance,
  BalanceAmounts,
  Charge,
  ChargeBreakdown,
  Invoice,
  InvoiceComponent,
  InvoiceLink,
  InvoiceStatus,
  LineItem,
  Payment,
} from '../kit/model.js';
import { moneyFromNumber, subtractMoney, zeroMoney, type Money } from '../kit/money.js';
import { withWireItem } from '../kit/wire-item.js';
import { parseWire } from '../kit/wire.js';
import { korintDiscrepancies } from './korint-discrepancies.js';
import { korintInvoiceSchema, type KorintComponent, type KorintInvoice, type KorintLine, type KorintTotal } from './wire.js';

/**
 * Korint status -> InvoiceStatus. The raw value always travels in `providerStatus`.
 *
 * | Korint               | InvoiceStatus   | why                                                                  |
 * |----------------------|-----------------|----------------------------------------------------------------------|
 * | DRAFTED              | DRAFT           | not yet issued                                                       |
 * | ISSUED               | OPEN            | issued, nothing collected                                            |
 * | PAID                 | PAID            | collected                                                            |
 * | FINALIZED            | PAID            | collected and closed                                                 |
 * | RECONCILED           | PAID            | collected and matched in the books                                   |
 * | PAYMENT_DISPUTED     | DISPUTED        | the payer disputes the (card) payment                                |
 * | PAYMENT_IN_PROGRESS  | PAYMENT_PENDING | a Stripe payment (SEPA debit) is under way                           |
 * | PAYMENT_FAILED       | PAYMENT_FAILED  | the last attempt failed                                              |
 * | CANCELLED            | VOID            | cancelled                                                            |
 * | WRITTEN_OFF          | VOID            | given up on; nothing more will be collected                          |
 * | REFUND_IN_PROGRESS   | REFUNDING       | money is going back                                                  |
 * | REFUND_NOT_HANDLED   | REFUNDING       | a refund is owed but Korint could not run it (refundNotHandledReason)|
 * | PARTIALLY_FINALIZED  | PARTIALLY_PAID  | part of the amount is settled                                        |
 * | CREDITED             | VOID            | not in Korint's list, named in its prose: cancelled by a credit note |
 * | anything else        | OPEN            | KORINT_FALLBACK_STATUS; never an error                               |
 */
export const KORINT_STATUS_MAP: Readonly<Record<string, InvoiceStatus>> = Object.freeze({
  DRAFTED: 'DRAFT',
  ISSUED: 'OPEN',
  PAID: 'PAID',
  FINALIZED: 'PAID',
  RECONCILED: 'PAID',
  PAYMENT_DISPUTED: 'DISPUTED',
  PAYMENT_IN_PROGRESS: 'PAYMENT_PENDING',
  PAYMENT_FAILED: 'PAYMENT_FAILED',
  CANCELLED: 'VOID',
  WRITTEN_OFF: 'VOID',
  REFUND_IN_PROGRESS: 'REFUNDING',
  REFUND_NOT_HANDLED: 'REFUNDING',
  PARTIALLY_FINALIZED: 'PARTIALLY_PAID',
  CREDITED: 'VOID',
});

/** What an unknown Korint status becomes (the public schema documents OPEN). */
export const KORINT_FALLBACK_STATUS: InvoiceStatus = 'OPEN';

/**
 * Statuses in which the invoice's total has been received and is still held, so the payin's `actual` is the total and
 * nothing remains due. The refund statuses count: the money stays with the business until the refund is made.
 * Not counted: PAYMENT_DISPUTED (Stripe withdraws a disputed amount when the dispute opens) and PARTIALLY_FINALIZED
 * (Korint does not say which part is settled, and the gateway never claims money it cannot see).
 */
export const KORINT_RECEIVED_STATUSES: ReadonlySet<string> = new Set([
  'PAID',
  'FINALIZED',
  'RECONCILED',
  'REFUND_IN_PROGRESS',
  'REFUND_NOT_HANDLED',
]);

/** The common status for a Korint status; unknown values fall back to KORINT_FALLBACK_STATUS. */
export function korintStatusToModel(status: string): InvoiceStatus {
  return Object.hasOwn(KORINT_STATUS_MAP, status) ? KORINT_STATUS_MAP[status] : KORINT_FALLBACK_STATUS;
}

export interface KorintMappingContext {
  /** Korint sends no currency: every amount is in this one. */
  currency: string;
  currencies: CurrencyTable;
}

function breakdownFrom(total: KorintTotal, ctx: KorintMappingContext): ChargeBreakdown {
  const money = (value: number): Money => moneyFromNumber(value, ctx.currency, ctx.currencies);
  const fees: Charge[] = (total.fees ?? []).map((fee) => ({
    id: fee.id ?? null,
    chargeType: fee.chargeType ?? null,
    amount: money(fee.amount),
    brokerageFirmId: fee.brokerageFirmId ?? null,
  }));
  const taxes: Charge[] = (total.taxes ?? []).map((tax) => ({
    id: tax.id ?? null,
    chargeType: tax.chargeType ?? null,
    amount: money(tax.amount),
    brokerageFirmId: null,
  }));
  return {
    preFeesAndTaxes: money(total.amountPreFeesAndTaxes),
    fees,
    totalFees: money(total.totalFees),
    withFeesPreTaxes: money(total.amountWithFeesPreTaxes),
    taxes,
    totalTaxes: money(total.totalTaxes),
    total: money(total.amountWithFeesAndTaxes),
  };
}

function componentFrom(component: KorintComponent, ctx: KorintMappingContext): InvoiceComponent {
  return {
    id: component.id ?? null,
    type: component.type,
    breakdown: component.premium ? breakdownFrom(component.premium, ctx) : null,
    reconciliation: component.reconciliation ?? null,
  };
}

function lineFrom(line: KorintLine, ctx: KorintMappingContext): LineItem {
  const breakdown = line.total ? breakdownFrom(line.total, ctx) : null;
  return {
    id: null,
    description: line.label ?? null,
    amount: breakdown?.total ?? null,
    quantity: null,
    unitAmount: null,
    direction: null,
    productId: null,
    userId: null,
    breakdown,
  };
}

function payinBalance(total: Money, received: boolean, voided: boolean, ctx: KorintMappingContext): Balance {
  const zero = zeroMoney(ctx.currency, ctx.currencies);
  const actual = received ? total : zero;
  // A cancelled, written-off or credited invoice asks for nothing more, though nothing was received.
  const remaining = voided ? zero : subtractMoney(total, actual);
  const payins: BalanceAmounts = { expected: total, actual, remaining };
  const payouts: BalanceAmounts = { expected: zero, actual: zero, remaining: zero };
  const net: BalanceAmounts = {
    expected: subtractMoney(payins.expected, payouts.expected),
    actual: subtractMoney(payins.actual, payouts.actual),
    remaining: subtractMoney(payins.remaining, payouts.remaining),
  };
  return { currency: total.currency, net, payins, payouts };
}

/**
 * The remote id of a Korint payment: `<invoiceId>/<paymentId>`. Korint records a payment only on its invoice (the
 * Stripe payment id and date), so the id names the invoice to look it up through.
 */
export function korintPaymentRemoteId(invoiceId: string, paymentId: string): string {
  return `${invoiceId}/${paymentId}`;
}

/** Splits `<invoiceId>/<paymentId>` at the last `/`; null when malformed. */
export function parseKorintPaymentRemoteId(remoteId: string): { invoiceId: string; paymentId: string } | null {
  const slash = remoteId.lastIndexOf('/');
  if (slash <= 0 || slash === remoteId.length - 1) return null;
  return { invoiceId: remoteId.slice(0, slash), paymentId: remoteId.slice(slash + 1) };
}

function relatedFrom(invoice: KorintInvoice): InvoiceLink[] {
  const related: InvoiceLink[] = [];
  if (invoice.creditedInvoiceId) related.push({ relation: 'CREDITS', invoiceRemoteId: invoice.creditedInvoiceId });
  if (invoice.replacedInvoiceId) related.push({ relation: 'REPLACES', invoiceRemoteId: invoice.replacedInvoiceId });
  return related;
}

/**
 * Maps one validated Korint invoice to the model. A Korint invoice is a payin (RECEIVABLE); one with a negative total
 * (money going back) is PAYABLE, its `total` the absolute amount. `discrepancies` is computed when first read.
 */
export function korintInvoiceToModel(invoice: KorintInvoice, ctx: KorintMappingContext): Invoice {
  const totalBreakdown = breakdownFrom(invoice.total, ctx);
  const total = totalBreakdown.total;
  const status = korintStatusToModel(invoice.status);
  const balance = payinBalance(total, KORINT_RECEIVED_STATUSES.has(invoice.status), status === 'VOID', ctx);
  const direction = directionOfNet(balance.net.expected);
  // Korint pays through Stripe and records only the payment id and date: one payment of the whole total.
  const payments: Payment[] = invoice.paymentId
    ? [
        {
          remoteId: korintPaymentRemoteId(invoice.id, invoice.paymentId),
          amount: total,
          direction: 'PAYIN',
          postedAt: invoice.paidAt ?? null,
          status: 'POSTED',
          providerStatus: null,
          // The Stripe payment id, as Korint records it.
          reference: invoice.paymentId,
          invoiceRemoteId: invoice.id,
          batchPaymentRemoteId: null,
          metadata: [],
        },
      ]
    : [];
  const model: Omit<Invoice, 'discrepancies'> = {
    remoteId: invoice.id,
    number: invoice.incrementalId != null ? String(invoice.incrementalId) : (invoice.externalId ?? null),
    status,
    providerStatus: invoice.status,
    issuedAt: invoice.issuedAt ?? null,
    dueAt: null,
    createdAt: invoice.createdAt ?? null,
    updatedAt: null,
    period: invoice.period ? { start: invoice.period.startedAt ?? null, end: invoice.period.endedAt ?? null } : null,
    currency: total.currency,
    direction,
    total: absMoney(total),
    amountDue: dueInDirection(balance.net.remaining, direction),
    totalBreakdown,
    components: (invoice.components ?? []).map((component) => componentFrom(component, ctx)),
    balances: [balance],
    lineItems: (invoice.lines ?? []).map((line) => lineFrom(line, ctx)),
    payments,
    parties: [],
    metadata: (invoice.metadata ?? []).map((entry) => ({ key: entry.key, value: entry.value ?? '' })),
    related: relatedFrom(invoice),
  };
  return defineLazy(model, 'discrepancies', () => korintDiscrepancies(invoice, ctx.currency, ctx.currencies));
}

/**
 * One item of Korint's invoice list as the object the adapter answers (built whole: Korint's pages are small), carrying
 * its wire item for a cache to store. Throws UPSTREAM_BAD_RESPONSE for an item it cannot read. The one function every
 * Korint lookup (and listing) turns a wire item into an invoice with.
 */
export function korintInvoiceFromWire(raw: unknown, ctx: KorintMappingContext, source: string): Invoice {
  return withWireItem(korintInvoiceToModel(parseWire(source, korintInvoiceSchema, raw, 'invoice'), ctx), raw);
}
