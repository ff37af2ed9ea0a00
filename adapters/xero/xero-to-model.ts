// Xero wire objects to the gateway's model. Pure: no HTTP, no clock. Amounts go through the kit's exact money functions.
import type { CurrencyTable } from '../kit/currencies.js';
import { defineLazy } from '../kit/discrepancy.js';
import type {
  Balance,
  BalanceAmounts,
  BatchPayment,
  BatchPaymentType,
  ChargeBreakdown,
  Direction,
  Invoice,
  InvoiceDirection,
  InvoiceStatus,
  KeyValue,
  LineItem,
  Party,
  Payment,
  PaymentStatus,
} from '../kit/model.js';
import { addMoney, formatAmount, moneyFromNumber, subtractMoney, zeroMoney, type Money } from '../kit/money.js';
import { statusFromAmounts } from '../kit/status.js';
import { withWireItem } from '../kit/wire-item.js';
import { parseWire } from '../kit/wire.js';
import { xeroBatchDiscrepancies, xeroInvoiceDiscrepancies } from './xero-discrepancies.js';
import { XeroInvoiceSchema, type XeroBatchPayment, type XeroContact, type XeroInvoice, type XeroLineItem, type XeroPayment } from './wire.js';
import { xeroDateToIso, xeroDateToIsoDate } from './xero-dates.js';
import { canonicalXeroId } from './xero-where.js';

/**
 * Which way money moves for each Xero document type, seen from the organisation: sales invoices and supplier credits
 * bring money in; bills and customer credits send it out.
 */
const DIRECTION_OF_INVOICE_TYPE: Record<string, Direction> = {
  ACCREC: 'PAYIN',
  ARPREPAYMENT: 'PAYIN',
  AROVERPAYMENT: 'PAYIN',
  ACCPAYCREDIT: 'PAYIN',
  ACCPAY: 'PAYOUT',
  APPREPAYMENT: 'PAYOUT',
  APOVERPAYMENT: 'PAYOUT',
  ACCRECCREDIT: 'PAYOUT',
};

/** Payment types: a payment of an invoice moves money its way; a refund of a credit, prepayment or overpayment the other. */
const DIRECTION_OF_PAYMENT_TYPE: Record<string, Direction> = {
  ACCRECPAYMENT: 'PAYIN',
  ACCPAYPAYMENT: 'PAYOUT',
  ARCREDITPAYMENT: 'PAYOUT',
  AROVERPAYMENTPAYMENT: 'PAYOUT',
  ARPREPAYMENTPAYMENT: 'PAYOUT',
  APCREDITPAYMENT: 'PAYIN',
  APOVERPAYMENTPAYMENT: 'PAYIN',
  APPREPAYMENTPAYMENT: 'PAYIN',
};

const BATCH_TYPES: Record<string, BatchPaymentType> = { RECBATCH: 'RECEIVABLE', PAYBATCH: 'PAYABLE' };

/** The direction of a Xero document type; throws for a type the gateway does not know. */
export function directionOfInvoiceType(type: string): Direction {
  const direction = DIRECTION_OF_INVOICE_TYPE[type.toUpperCase()];
  if (!direction) throw new Error(`unknown Xero invoice type "${type}"`);
  return direction;
}

const nonEmpty = (value: string | null | undefined): string | null => (value === undefined || value === null || value === '' ? null : value);

/** A Xero id as the gateway hands it out: GUIDs in lower case (Xero answers either case), so one id has one spelling. */
const xeroId = (value: string | null | undefined): string | null => {
  const id = nonEmpty(value);
  return id === null ? null : canonicalXeroId(id);
};

/** The business's side of a document: what comes in is receivable, what goes out payable. */
const INVOICE_DIRECTION: Record<Direction, InvoiceDirection> = { PAYIN: 'RECEIVABLE', PAYOUT: 'PAYABLE' };

/** A plain number (a quantity) as its exact decimal text, read through the money parser so no float math happens. */
function exactDecimalText(value: number, currency: string, table: CurrencyTable): string {
  return formatAmount({ ...moneyFromNumber(value, currency, table), currencyScale: 0 });
}

function money(value: number | null | undefined, currency: string, table: CurrencyTable): Money | null {
  return value === undefined || value === null ? null : moneyFromNumber(value, currency, table);
}

function balanceOf(invoice: XeroInvoice, direction: Direction, table: CurrencyTable): Balance[] {
  const currency = invoice.CurrencyCode.toUpperCase();
  if (invoice.Total == null || invoice.AmountDue == null) return [];
  const zero = zeroMoney(currency, table);
  const side: BalanceAmounts = {
    expected: moneyFromNumber(invoice.Total, currency, table),
    actual: addMoney(money(invoice.AmountPaid, currency, table) ?? zero, money(invoice.AmountCredited, currency, table) ?? zero),
    remaining: moneyFromNumber(invoice.AmountDue, currency, table),
  };
  const none: BalanceAmounts = { expected: zero, actual: zero, remaining: zero };
  const payins = direction === 'PAYIN' ? side : none;
  const payouts = direction === 'PAYOUT' ? side : none;
  const net: BalanceAmounts = {
    expected: subtractMoney(payins.expected, payouts.expected),
    actual: subtractMoney(payins.actual, payouts.actual),
    remaining: subtractMoney(payins.remaining, payouts.remaining),
  };
  return [{ currency, net, payins, payouts }];
}

/**
 * DRAFT and SUBMITTED (awaiting approval) are drafts; AUTHORISED says only "approved", so its amounts decide between
 * OPEN, PARTIALLY_PAID and PAID; VOIDED and DELETED are void. An unknown status is OPEN (its raw value stays in
 * providerStatus), the least surprising reading of a document Xero still returns.
 */
export function invoiceStatusOf(status: string, expected: Money | null, remaining: Money | null): InvoiceStatus {
  switch (status.toUpperCase()) {
    case 'DRAFT':
    case 'SUBMITTED':
      return 'DRAFT';
    case 'AUTHORISED':
      return expected && remaining ? statusFromAmounts([{ expected, remaining }]) : 'OPEN';
    case 'PAID':
      return 'PAID';
    case 'VOIDED':
    case 'DELETED':
      return 'VOID';
    default:
      return 'OPEN';
  }
}

function breakdownOf(invoice: XeroInvoice, currency: string, table: CurrencyTable): ChargeBreakdown | null {
  if (invoice.SubTotal == null || invoice.TotalTax == null || invoice.Total == null) return null;
  const subTotal = moneyFromNumber(invoice.SubTotal, currency, table);
  return {
    preFeesAndTaxes: subTotal,
    fees: [],
    totalFees: zeroMoney(currency, table),
    withFeesPreTaxes: subTotal,
    taxes: [],
    totalTaxes: moneyFromNumber(invoice.TotalTax, currency, table),
    total: moneyFromNumber(invoice.Total, currency, table),
  };
}

function partyOf(contact: XeroContact, direction: Direction): Party {
  return {
    id: xeroId(contact.ContactID),
    externalId: nonEmpty(contact.ContactNumber),
    role: direction === 'PAYIN' ? 'CUSTOMER' : 'SUPPLIER',
    name: nonEmpty(contact.Name),
    email: nonEmpty(contact.EmailAddress),
    balances: [],
  };
}

function lineItemOf(line: XeroLineItem, currency: string, direction: Direction, table: CurrencyTable): LineItem {
  return {
    id: nonEmpty(line.LineItemID),
    description: nonEmpty(line.Description),
    amount: money(line.LineAmount, currency, table),
    quantity: line.Quantity == null ? null : exactDecimalText(line.Quantity, currency, table),
    unitAmount: money(line.UnitAmount, currency, table),
    direction,
    productId: nonEmpty(line.ItemCode),
    userId: null,
    breakdown: null,
  };
}

/** Payment statuses: AUTHORISED is posted, DELETED deleted; none (payments listed on an invoice) is posted. */
function paymentStatusOf(status: string | null | undefined): PaymentStatus {
  if (status && status.toUpperCase() === 'DELETED') return 'DELETED';
  return 'POSTED';
}

/** What a payment's own fields do not say, taken from where it was found (its invoice or its batch). */
export interface PaymentContext {
  currency?: string;
  direction?: Direction;
  invoiceRemoteId?: string;
  batchPaymentRemoteId?: string;
  postedAt?: string | null;
  status?: string;
}

function invoiceIdOf(payment: XeroPayment): string | null {
  const invoice = payment.Invoice;
  if (!invoice?.InvoiceID) return null;
  // Credit notes and prepayments ride in `Invoice` too; only invoices and bills are found by the invoice loader.
  const type = invoice.Type?.toUpperCase();
  return type === undefined || type === 'ACCREC' || type === 'ACCPAY' ? xeroId(invoice.InvoiceID) : null;
}

/** A Xero payment (from `/Payments`, an invoice or a batch) as a model payment; amounts in the settled document's currency. */
export function xeroPaymentToModel(payment: XeroPayment, table: CurrencyTable, context: PaymentContext = {}): Payment {
  const currency =
    nonEmpty(payment.Invoice?.CurrencyCode) ??
    nonEmpty(payment.CreditNote?.CurrencyCode) ??
    nonEmpty(payment.Prepayment?.CurrencyCode) ??
    nonEmpty(payment.Overpayment?.CurrencyCode) ??
    context.currency;
  if (!currency) throw new Error(`payment ${payment.PaymentID} names no currency`);
  const paymentType = nonEmpty(payment.PaymentType)?.toUpperCase();
  const invoiceType = nonEmpty(payment.Invoice?.Type);
  const direction =
    (paymentType ? DIRECTION_OF_PAYMENT_TYPE[paymentType] : undefined) ??
    (invoiceType ? directionOfInvoiceType(invoiceType) : undefined) ??
    context.direction;
  if (!direction) throw new Error(`payment ${payment.PaymentID} has no known direction`);
  const providerStatus = nonEmpty(payment.Status) ?? context.status ?? null;
  const metadata: KeyValue[] = paymentType ? [{ key: 'PaymentType', value: paymentType }] : [];
  return {
    remoteId: canonicalXeroId(payment.PaymentID),
    amount: moneyFromNumber(payment.Amount, currency, table),
    direction,
    postedAt: xeroDateToIso(payment.Date) ?? context.postedAt ?? null,
    status: paymentStatusOf(providerStatus),
    providerStatus,
    reference: nonEmpty(payment.Reference),
    invoiceRemoteId: invoiceIdOf(payment) ?? context.invoiceRemoteId ?? null,
    batchPaymentRemoteId: xeroId(payment.BatchPaymentID) ?? context.batchPaymentRemoteId ?? null,
    metadata,
  };
}

/**
 * A Xero invoice or bill as a model invoice: ACCREC is a payin (RECEIVABLE), ACCPAY a payout (PAYABLE); Xero's amounts
 * are never negative on either. `discrepancies` is computed when first read.
 */
export function xeroInvoiceToModel(invoice: XeroInvoice, table: CurrencyTable): Invoice {
  const currency = invoice.CurrencyCode.toUpperCase();
  const direction = directionOfInvoiceType(invoice.Type);
  const remoteId = canonicalXeroId(invoice.InvoiceID);
  const total = money(invoice.Total, currency, table);
  const amountDue = money(invoice.AmountDue, currency, table);
  const metadata: KeyValue[] = [{ key: 'Type', value: invoice.Type }];
  const reference = nonEmpty(invoice.Reference);
  if (reference) metadata.push({ key: 'Reference', value: reference });
  const model: Omit<Invoice, 'discrepancies'> = {
    remoteId,
    number: nonEmpty(invoice.InvoiceNumber),
    status: invoiceStatusOf(invoice.Status, total, amountDue),
    providerStatus: invoice.Status,
    issuedAt: xeroDateToIso(invoice.Date, invoice.DateString),
    dueAt: xeroDateToIso(invoice.DueDate, invoice.DueDateString),
    createdAt: null,
    updatedAt: xeroDateToIso(invoice.UpdatedDateUTC),
    period: null,
    currency,
    direction: INVOICE_DIRECTION[direction],
    total,
    amountDue,
    totalBreakdown: breakdownOf(invoice, currency, table),
    components: [],
    balances: balanceOf(invoice, direction, table),
    lineItems: (invoice.LineItems ?? []).map((line) => lineItemOf(line, currency, direction, table)),
    payments: (invoice.Payments ?? []).map((payment) =>
      xeroPaymentToModel(payment, table, { currency, direction, invoiceRemoteId: remoteId }),
    ),
    parties: invoice.Contact ? [partyOf(invoice.Contact, direction)] : [],
    metadata,
    related: [],
  };
  return defineLazy(model, 'discrepancies', () => xeroInvoiceDiscrepancies(invoice, currency, table));
}

/**
 * A Xero batch payment: RECBATCH is receivable, PAYBATCH payable. Its total is in the bank account's currency (its
 * payments may settle invoices in others); without an account currency, the first payment's invoice currency.
 */
export function xeroBatchPaymentToModel(batch: XeroBatchPayment, table: CurrencyTable): BatchPayment {
  const type = BATCH_TYPES[batch.Type.toUpperCase()];
  if (!type) throw new Error(`unknown Xero batch payment type "${batch.Type}"`);
  const direction: Direction = type === 'RECEIVABLE' ? 'PAYIN' : 'PAYOUT';
  const postedAt = xeroDateToIso(batch.Date, batch.DateString);
  const remoteId = canonicalXeroId(batch.BatchPaymentID);
  const payments = (batch.Payments ?? []).map((payment) =>
    xeroPaymentToModel(payment, table, { direction, batchPaymentRemoteId: remoteId, postedAt, status: batch.Status }),
  );
  const currency = nonEmpty(batch.Account?.CurrencyCode) ?? nonEmpty(batch.Payments?.[0]?.Invoice?.CurrencyCode);
  if (!currency) throw new Error(`batch payment ${batch.BatchPaymentID} names no currency`);
  if (batch.TotalAmount == null) throw new Error(`batch payment ${batch.BatchPaymentID} has no TotalAmount`);
  const model: Omit<BatchPayment, 'discrepancies'> = {
    remoteId,
    reference: nonEmpty(batch.Reference),
    date: xeroDateToIsoDate(batch.Date, batch.DateString),
    type,
    status: batch.Status,
    total: moneyFromNumber(batch.TotalAmount, currency, table),
    isReconciled: batch.IsReconciled == null ? null : batch.IsReconciled === true || batch.IsReconciled === 'true',
    updatedAt: xeroDateToIso(batch.UpdatedDateUTC),
    payments,
  };
  const code = currency.toUpperCase();
  return defineLazy(model, 'discrepancies', () => xeroBatchDiscrepancies(batch, code, table));
}

/**
 * One item of Xero's `GET /Invoices` as the object the adapter answers (built whole: Xero answers at most 50 invoices a
 * call), carrying its wire item for a cache to store. Throws UPSTREAM_BAD_RESPONSE for an item it cannot read.
 * The one function every Xero invoice lookup (and listing) turns a wire item into an invoice with.
 */
export function xeroInvoiceFromWire(raw: unknown, table: CurrencyTable, source: string): Invoice {
  return withWireItem(xeroInvoiceToModel(parseWire(source, XeroInvoiceSchema, raw, 'invoice'), table), raw);
}
