// Contract: every BatchPayments, Invoices and Payments response example of Xero's OpenAPI slice (and the seed) goes
// through the wire schemas and the mapping without an error, and every amount comes out exactly as Xero wrote it.
import { describe, expect, it } from 'vitest';
import { createCurrencyTable } from '../../../adapters/kit/currencies.js';
import { formatAmount, type Money } from '../../../adapters/kit/money.js';
import {
  XeroBatchPaymentSchema,
  XeroBatchPaymentsEnvelopeSchema,
  XeroInvoiceSchema,
  XeroInvoicesEnvelopeSchema,
  XeroPaymentSchema,
  XeroPaymentsEnvelopeSchema,
} from '../../../adapters/xero/wire.js';
import { xeroBatchPaymentToModel, xeroInvoiceToModel, xeroPaymentToModel } from '../../../adapters/xero/xero-to-model.js';
import { seedBatchPayments, specExamples } from './fixtures.js';

const table = createCurrencyTable();

/** The amount's decimal text, trailing zeros dropped, as JavaScript prints the number Xero sent (`200.0` -> `200`). */
function sameAs(money: Money | null, raw: unknown): void {
  expect(money).not.toBeNull();
  const textOf = formatAmount(money!).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  expect(textOf).toBe(String(raw));
}

const examples = specExamples();
const ofKind = (key: string) => examples.filter((e) => Array.isArray(e.example[key]));

describe('Xero OpenAPI examples', () => {
  it('holds examples of all three lists', () => {
    expect(ofKind('Invoices').length).toBeGreaterThanOrEqual(5);
    expect(ofKind('Payments').length).toBeGreaterThanOrEqual(5);
    expect(ofKind('BatchPayments').length).toBeGreaterThanOrEqual(5);
    // JSON_SCHEMA keeps DateString a string (the default schema would make it a Date).
    const batch = (ofKind('BatchPayments')[0].example.BatchPayments as Array<Record<string, unknown>>)[0];
    expect(typeof batch.DateString).toBe('string');
  });

  for (const { path, method, status, example } of ofKind('Invoices')) {
    it(`maps ${method.toUpperCase()} ${path} ${status} invoices exactly`, () => {
      const envelope = XeroInvoicesEnvelopeSchema.parse(example);
      for (const raw of envelope.Invoices as Array<Record<string, any>>) {
        const invoice = xeroInvoiceToModel(XeroInvoiceSchema.parse(raw), table);
        expect(invoice.remoteId).toBe(raw.InvoiceID);
        expect(invoice.providerStatus).toBe(raw.Status);
        sameAs(invoice.total, raw.Total);
        sameAs(invoice.amountDue, raw.AmountDue);
        sameAs(invoice.totalBreakdown!.totalTaxes, raw.TotalTax);
        sameAs(invoice.totalBreakdown!.preFeesAndTaxes, raw.SubTotal);
        const balance = invoice.balances[0];
        const side = raw.Type === 'ACCREC' ? balance.payins : balance.payouts;
        sameAs(side.expected, raw.Total);
        sameAs(side.remaining, raw.AmountDue);
        invoice.lineItems.forEach((line, i) => {
          sameAs(line.amount, raw.LineItems[i].LineAmount);
          sameAs(line.unitAmount, raw.LineItems[i].UnitAmount);
          expect(line.quantity).toBe(String(raw.LineItems[i].Quantity));
        });
        invoice.payments.forEach((payment, i) => {
          sameAs(payment.amount, raw.Payments[i].Amount);
          expect(payment.invoiceRemoteId).toBe(raw.InvoiceID);
        });
        expect(invoice.issuedAt).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/);
      }
    });
  }

  for (const { path, method, status, example } of ofKind('Payments')) {
    it(`maps ${method.toUpperCase()} ${path} ${status} payments exactly`, () => {
      const envelope = XeroPaymentsEnvelopeSchema.parse(example);
      for (const raw of envelope.Payments as Array<Record<string, any>>) {
        const payment = xeroPaymentToModel(XeroPaymentSchema.parse(raw), table);
        expect(payment.remoteId).toBe(raw.PaymentID);
        sameAs(payment.amount, raw.Amount);
        expect(payment.amount.currency).toBe(raw.Invoice.CurrencyCode);
        expect(payment.status).toBe(raw.Status === 'DELETED' ? 'DELETED' : 'POSTED');
        expect(payment.batchPaymentRemoteId).toBe(raw.BatchPaymentID ?? null);
        expect(payment.postedAt).not.toBeNull();
      }
    });
  }

  for (const { path, method, status, example } of [
    ...ofKind('BatchPayments'),
    { path: 'seed 004', method: 'get', status: '200', example: seedBatchPayments() },
  ]) {
    it(`maps ${method.toUpperCase()} ${path} ${status} batch payments exactly`, () => {
      const envelope = XeroBatchPaymentsEnvelopeSchema.parse(example);
      for (const raw of envelope.BatchPayments as Array<Record<string, any>>) {
        const batch = xeroBatchPaymentToModel(XeroBatchPaymentSchema.parse(raw), table);
        sameAs(batch.total, raw.TotalAmount);
        expect(batch.total.currency).toBe(raw.Account.CurrencyCode);
        expect(batch.date).toBe(String(raw.DateString).slice(0, 10));
        expect(batch.type).toBe(raw.Type === 'RECBATCH' ? 'RECEIVABLE' : 'PAYABLE');
        batch.payments.forEach((payment, i) => {
          sameAs(payment.amount, raw.Payments[i].Amount);
          // A payment is in its invoice's currency, which may differ from the batch's bank account (AUD in NZD).
          expect(payment.amount.currency).toBe(raw.Payments[i].Invoice.CurrencyCode);
          expect(payment.batchPaymentRemoteId).toBe(raw.BatchPaymentID);
        });
      }
    });
  }
});
