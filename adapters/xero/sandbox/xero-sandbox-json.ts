// The sandbox's records in Xero's JSON: PascalCase, `/Date(ms+0000)/` dates with zone-less string twins, amounts as
// JSON numbers in major units (built from exact decimal text, never from float arithmetic).
import { toXeroDate } from '../xero-dates.js';
import type { XeroSandboxBatch, XeroSandboxDataset, XeroSandboxInvoice, XeroSandboxPayment } from './xero-sandbox-data.js';

type Json = Record<string, unknown>;

const xeroDate = toXeroDate;
const dateString = (ms: number) => new Date(ms).toISOString().slice(0, 19);

/** An integer count of 10^-decimals units as a JSON number (`12345, 2` -> 123.45). */
export function decimalNumber(units: number, decimals: number): number {
  const negative = units < 0;
  const digits = String(Math.abs(units)).padStart(decimals + 1, '0');
  const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return Number(`${negative ? '-' : ''}${text}`);
}

function unitAmount(unit4: number, unitdp4: boolean): number {
  if (unitdp4) return decimalNumber(unit4, 4);
  // Without unitdp=4 Xero rounds unit prices to 2 decimals.
  const cents = Math.sign(unit4) * Math.floor((Math.abs(unit4) + 50) / 100);
  return decimalNumber(cents, 2);
}

function contactJson(invoice: XeroSandboxInvoice, full: boolean): Json {
  const base: Json = { ContactID: invoice.contact.id, Name: invoice.contact.name };
  if (!full) return { ...base, ContactPersons: [], HasValidationErrors: false };
  return {
    ...base,
    ContactNumber: invoice.contact.number,
    ContactStatus: 'ACTIVE',
    EmailAddress: invoice.contact.email,
    Addresses: [],
    Phones: [],
    ContactGroups: [],
    ContactPersons: [],
    IsSupplier: invoice.type === 'ACCPAY',
    IsCustomer: invoice.type === 'ACCREC',
    HasValidationErrors: false,
  };
}

export interface InvoiceJsonOptions {
  /** Line items are only sent with paging or for a single invoice. */
  withLines: boolean;
  unitdp4: boolean;
}

/** A full invoice as `GET /Invoices` answers it. */
export function invoiceJson(data: XeroSandboxDataset, invoice: XeroSandboxInvoice, options: InvoiceJsonOptions): Json {
  const s = invoice.scale;
  const payments = invoice.paymentIds
    .map((id) => data.paymentById.get(id)!)
    .filter((p) => p.status === 'AUTHORISED')
    .map((p) => ({
      PaymentID: p.id,
      Date: xeroDate(p.dateMs),
      Amount: decimalNumber(p.amount, s),
      Reference: p.reference,
      CurrencyRate: 1,
      HasAccount: false,
      HasValidationErrors: false,
    }));
  const json: Json = {
    Type: invoice.type,
    InvoiceID: invoice.id,
    InvoiceNumber: invoice.number,
    Reference: invoice.reference,
    Payments: payments,
    CreditNotes: (invoice.creditNotes ?? []).map((note) => ({
      CreditNoteID: note.id,
      CreditNoteNumber: note.number,
      Type: invoice.type === 'ACCREC' ? 'ACCRECCREDIT' : 'ACCPAYCREDIT',
      Total: decimalNumber(note.amount, s),
      AppliedAmount: decimalNumber(note.amount, s),
    })),
    Prepayments: [],
    Overpayments: [],
    AmountDue: decimalNumber(invoice.amountDue, s),
    AmountPaid: decimalNumber(invoice.amountPaid, s),
    AmountCredited: decimalNumber(invoice.amountCredited, s),
    CurrencyRate: 1,
    IsDiscounted: false,
    HasAttachments: false,
    HasErrors: false,
    Contact: contactJson(invoice, true),
    DateString: dateString(invoice.dateMs),
    Date: xeroDate(invoice.dateMs),
    DueDateString: dateString(invoice.dueMs),
    DueDate: xeroDate(invoice.dueMs),
    Status: invoice.status,
    LineAmountTypes: invoice.lineAmountTypes ?? 'Exclusive',
    LineItems: options.withLines
      ? invoice.lines.map((line) => ({
          ...(line.itemCode ? { ItemCode: line.itemCode } : {}),
          Description: line.description,
          UnitAmount: unitAmount(line.unit4, options.unitdp4),
          TaxType: line.taxAmount === 0 ? 'NONE' : invoice.type === 'ACCREC' ? 'OUTPUT2' : 'INPUT2',
          TaxAmount: decimalNumber(line.taxAmount, s),
          LineAmount: decimalNumber(line.lineAmount, s),
          AccountCode: line.accountCode,
          Tracking: [],
          Quantity: decimalNumber(line.quantity100, 2),
          LineItemID: line.id,
          ValidationErrors: [],
        }))
      : [],
    SubTotal: decimalNumber(invoice.subTotal, s),
    TotalTax: decimalNumber(invoice.totalTax, s),
    Total: decimalNumber(invoice.total, s),
    UpdatedDateUTC: xeroDate(invoice.updatedMs),
    CurrencyCode: invoice.currency,
  };
  if (invoice.fullyPaidMs !== null) json.FullyPaidOnDate = xeroDate(invoice.fullyPaidMs);
  return json;
}

/** A payment as `GET /Payments` answers it, with a summary of its invoice. */
export function paymentJson(data: XeroSandboxDataset, payment: XeroSandboxPayment): Json {
  const invoice = data.invoiceById.get(payment.invoiceId)!;
  const json: Json = {
    PaymentID: payment.id,
    Date: xeroDate(payment.dateMs),
    BankAmount: payment.account ? decimalNumber(payment.account.bankAmount, payment.account.bankScale) : decimalNumber(payment.amount, invoice.scale),
    Amount: decimalNumber(payment.amount, invoice.scale),
    Reference: payment.reference,
    CurrencyRate: payment.account ? Number(payment.account.currencyRate) : 1,
    PaymentType: invoice.type === 'ACCREC' ? 'ACCRECPAYMENT' : 'ACCPAYPAYMENT',
    Status: payment.status,
    UpdatedDateUTC: xeroDate(payment.updatedMs),
    UpdatedDateUTCString: new Date(payment.updatedMs).toISOString().slice(0, 19) + 'Z',
    HasAccount: true,
    IsReconciled: payment.reconciled,
    Account: payment.account
      ? { AccountID: payment.account.id, Code: payment.account.code, Name: payment.account.name }
      : { AccountID: '5690f1e8-1d02-4893-90c2-ee1a69eff942', Code: '090' },
    Invoice: {
      ...invoiceSummaryJson(invoice),
      Type: invoice.type,
      InvoiceNumber: invoice.number,
      Contact: contactJson(invoice, false),
    },
    HasValidationErrors: false,
  };
  if (payment.batchId) json.BatchPaymentID = payment.batchId;
  return json;
}

/** The invoice summary Xero nests in payments and batch payments: the id and currency, empty collections. */
function invoiceSummaryJson(invoice: XeroSandboxInvoice): Json {
  return {
    InvoiceID: invoice.id,
    CurrencyCode: invoice.currency,
    Payments: [],
    CreditNotes: [],
    Prepayments: [],
    Overpayments: [],
    HasErrors: false,
    IsDiscounted: false,
    LineItems: [],
  };
}

/** A batch payment as `GET /BatchPayments` answers it (its payments carry a summary of their invoices). */
export function batchJson(data: XeroSandboxDataset, batch: XeroSandboxBatch): Json {
  const first = data.paymentById.get(batch.paymentIds[0]);
  const scale = first ? data.invoiceById.get(first.invoiceId)!.scale : 2;
  return {
    Account: { AccountID: batch.accountId, CurrencyCode: batch.currency },
    Reference: batch.reference,
    BatchPaymentID: batch.id,
    DateString: dateString(batch.dateMs),
    Date: xeroDate(batch.dateMs),
    Payments: batch.paymentIds.map((id) => {
      const payment = data.paymentById.get(id)!;
      const invoice = data.invoiceById.get(payment.invoiceId)!;
      return {
        Invoice: invoiceSummaryJson(invoice),
        PaymentID: payment.id,
        ...(payment.reference ? { Reference: payment.reference } : {}),
        Amount: decimalNumber(payment.amount, invoice.scale),
        BankAmount: decimalNumber(payment.amount, invoice.scale),
      };
    }),
    Type: batch.type,
    Status: batch.status,
    TotalAmount: decimalNumber(batch.total, scale),
    UpdatedDateUTC: xeroDate(batch.updatedMs),
    IsReconciled: batch.reconciled,
  };
}

/** Xero's envelope around every answer. */
export function envelope(id: string, body: Json): Json {
  return { Id: id, Status: 'OK', ProviderName: 'invoice-gateway sandbox', DateTimeUTC: `/Date(${Date.now()})/`, ...body };
}

/** A rough XML rendering, for clients that forgot `Accept: application/json` (Xero answers XML to them). */
export function toXml(name: string, value: unknown): string {
  if (Array.isArray(value)) return `<${name}>${value.map((item) => toXml(name.replace(/s$/, ''), item)).join('')}</${name}>`;
  if (value !== null && typeof value === 'object') {
    return `<${name}>${Object.entries(value).map(([k, v]) => toXml(k, v)).join('')}</${name}>`;
  }
  const text = String(value ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<${name}>${text}</${name}>`;
}
