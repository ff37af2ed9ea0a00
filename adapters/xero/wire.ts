// Xero's wire format, as far as the gateway reads it (Xero OpenAPI 16.1.0: Invoice, Payment, BatchPayment, Contact,
// LineItem). Objects are loose so fields Xero adds pass through; only the fields read are named. Envelopes keep their
// items unparsed so one malformed item fails alone, not the whole call.
import { z } from 'zod';
import { exactNumber } from '../kit/inexact-numbers.js';

const text = z.string();
const optionalText = z.string().nullish();
const amount = exactNumber();

export const XeroContactSchema = z.looseObject({
  ContactID: optionalText,
  ContactNumber: optionalText,
  Name: optionalText,
  EmailAddress: optionalText,
});
export type XeroContact = z.infer<typeof XeroContactSchema>;

export const XeroLineItemSchema = z.looseObject({
  LineItemID: optionalText,
  Description: optionalText,
  Quantity: amount.nullish(),
  UnitAmount: amount.nullish(),
  LineAmount: amount.nullish(),
  TaxAmount: amount.nullish(),
  ItemCode: optionalText,
});
export type XeroLineItem = z.infer<typeof XeroLineItemSchema>;

/** The invoice a payment points at (a summary: id, type, currency). */
export const XeroPaymentInvoiceSchema = z.looseObject({
  InvoiceID: optionalText,
  Type: optionalText,
  CurrencyCode: optionalText,
});

/** Credit notes, prepayments and overpayments a payment may settle instead of an invoice. */
const XeroPaymentDocumentSchema = z.looseObject({ CurrencyCode: optionalText });

export const XeroPaymentSchema = z.looseObject({
  PaymentID: text.min(1),
  Date: optionalText,
  Amount: amount,
  BankAmount: amount.nullish(),
  Reference: optionalText,
  Status: optionalText,
  PaymentType: optionalText,
  BatchPaymentID: optionalText,
  UpdatedDateUTC: optionalText,
  Invoice: XeroPaymentInvoiceSchema.nullish(),
  CreditNote: XeroPaymentDocumentSchema.nullish(),
  Prepayment: XeroPaymentDocumentSchema.nullish(),
  Overpayment: XeroPaymentDocumentSchema.nullish(),
});
export type XeroPayment = z.infer<typeof XeroPaymentSchema>;

export const XeroInvoiceSchema = z.looseObject({
  InvoiceID: text.min(1),
  InvoiceNumber: optionalText,
  Type: text,
  Status: text,
  CurrencyCode: text.min(1),
  Reference: optionalText,
  Date: optionalText,
  DateString: optionalText,
  DueDate: optionalText,
  DueDateString: optionalText,
  UpdatedDateUTC: optionalText,
  SubTotal: amount.nullish(),
  TotalTax: amount.nullish(),
  Total: amount.nullish(),
  AmountDue: amount.nullish(),
  AmountPaid: amount.nullish(),
  AmountCredited: amount.nullish(),
  /** How line amounts relate to tax: Exclusive (the default), Inclusive or NoTax. */
  LineAmountTypes: optionalText,
  Contact: XeroContactSchema.nullish(),
  LineItems: z.array(XeroLineItemSchema).nullish(),
  Payments: z.array(XeroPaymentSchema).nullish(),
});
export type XeroInvoice = z.infer<typeof XeroInvoiceSchema>;

export const XeroBatchPaymentSchema = z.looseObject({
  BatchPaymentID: text.min(1),
  Reference: optionalText,
  Date: optionalText,
  DateString: optionalText,
  Type: text,
  Status: text,
  TotalAmount: amount.nullish(),
  IsReconciled: z.union([z.boolean(), z.enum(['true', 'false'])]).nullish(),
  UpdatedDateUTC: optionalText,
  Account: z.looseObject({ AccountID: optionalText, CurrencyCode: optionalText }).nullish(),
  Payments: z.array(XeroPaymentSchema).nullish(),
});
export type XeroBatchPayment = z.infer<typeof XeroBatchPaymentSchema>;

export const XeroPaginationSchema = z.looseObject({
  page: z.number().int(),
  pageSize: z.number().int(),
  pageCount: z.number().int(),
  itemCount: z.number().int(),
});
export type XeroPagination = z.infer<typeof XeroPaginationSchema>;

/** `GET /Invoices`: `{ Invoices, pagination? }`; items are checked one by one. */
export const XeroInvoicesEnvelopeSchema = z.looseObject({
  Invoices: z.array(z.unknown()),
  pagination: XeroPaginationSchema.nullish(),
});
export type XeroInvoicesEnvelope = z.infer<typeof XeroInvoicesEnvelopeSchema>;

/** `GET /Payments`: `{ Payments, pagination? }`. */
export const XeroPaymentsEnvelopeSchema = z.looseObject({
  Payments: z.array(z.unknown()),
  pagination: XeroPaginationSchema.nullish(),
});
export type XeroPaymentsEnvelope = z.infer<typeof XeroPaymentsEnvelopeSchema>;

/** `GET /BatchPayments`: `{ BatchPayments }` (no paging). */
export const XeroBatchPaymentsEnvelopeSchema = z.looseObject({
  BatchPayments: z.array(z.unknown()),
});
export type XeroBatchPaymentsEnvelope = z.infer<typeof XeroBatchPaymentsEnvelopeSchema>;

/** The least an item must carry for an error to be pinned on it. */
export const XeroIdOnlySchemas = {
  invoice: z.looseObject({ InvoiceID: text.min(1) }),
  payment: z.looseObject({ PaymentID: text.min(1) }),
  batchPayment: z.looseObject({ BatchPaymentID: text.min(1) }),
};
