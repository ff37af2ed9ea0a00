// The pure mapping from Xero's wire format to the model: exact amounts, balances, statuses, dates, parties, lines,
// payments and batch payments. No HTTP.
import { describe, expect, it } from 'vitest';
import { createCurrencyTable } from '../../../adapters/kit/currencies.js';
import { formatAmount, toMinorUnits, type Money } from '../../../adapters/kit/money.js';
import { XeroBatchPaymentSchema, XeroInvoiceSchema, XeroPaymentSchema, type XeroInvoice } from '../../../adapters/xero/wire.js';
import { xeroDateToIso, xeroDateToIsoDate } from '../../../adapters/xero/xero-dates.js';
import {
  invoiceStatusOf,
  xeroBatchPaymentToModel,
  xeroInvoiceToModel,
  xeroPaymentToModel,
} from '../../../adapters/xero/xero-to-model.js';
import { mixedInvoices, seedBatchPayments } from './fixtures.js';

const table = createCurrencyTable();
const text = (money: Money | null | undefined) => (money ? `${formatAmount(money)} ${money.currency}` : null);
const invoices = () => mixedInvoices().Invoices.map((raw) => XeroInvoiceSchema.parse(raw));

describe('xero dates', () => {
  it('reads /Date()/ with and without an offset, and falls back to the string twin', () => {
    expect(xeroDateToIso('/Date(1511827200000+0000)/')).toBe('2017-11-28T00:00:00.000Z');
    expect(xeroDateToIso('/Date(1550866184006)/')).toBe('2019-02-22T20:09:44.006Z');
    // The instant is UTC whatever the offset; the calendar date is taken in the offset's zone.
    expect(xeroDateToIso('/Date(1511827200000+1300)/')).toBe('2017-11-28T00:00:00.000Z');
    expect(xeroDateToIsoDate('/Date(1511866800000+1300)/')).toBe('2017-11-29');
    expect(xeroDateToIsoDate('/Date(1511827200000-0500)/')).toBe('2017-11-27');
    expect(xeroDateToIso(undefined, '2017-11-28T00:00:00')).toBe('2017-11-28T00:00:00.000Z');
    expect(xeroDateToIso('garbage', '2017-11-28 00:00:00')).toBe('2017-11-28T00:00:00.000Z');
    expect(xeroDateToIso(null, null)).toBeNull();
  });
});

describe('xeroInvoiceToModel', () => {
  it('carries 1234567.89 NZD exactly, with balances, breakdown, party, lines and payments', () => {
    const invoice = xeroInvoiceToModel(invoices()[0], table);
    expect(text(invoice.total)).toBe('1234567.89 NZD');
    expect(toMinorUnits(invoice.total!)).toBe('123456789');
    expect(invoice.total!.currencyScale).toBe(2);
    expect(text(invoice.amountDue)).toBe('1000000.00 NZD');
    expect(invoice.status).toBe('PARTIALLY_PAID');
    expect(invoice.providerStatus).toBe('AUTHORISED');
    expect(invoice.number).toBe('INV-1001');
    expect(invoice.issuedAt).toBe('2024-05-20T00:00:00.000Z');
    expect(invoice.dueAt).toBe('2024-06-19T00:00:00.000Z');

    const [balance] = invoice.balances;
    expect(balance.currency).toBe('NZD');
    expect(text(balance.payins.expected)).toBe('1234567.89 NZD');
    expect(text(balance.payins.actual)).toBe('234567.89 NZD');
    expect(text(balance.payins.remaining)).toBe('1000000.00 NZD');
    expect(text(balance.payouts.expected)).toBe('0.00 NZD');
    expect(text(balance.net.remaining)).toBe('1000000.00 NZD');

    expect(text(invoice.totalBreakdown!.preFeesAndTaxes)).toBe('1073537.29 NZD');
    expect(text(invoice.totalBreakdown!.totalTaxes)).toBe('161030.60 NZD');
    expect(text(invoice.totalBreakdown!.totalFees)).toBe('0.00 NZD');
    expect(invoice.totalBreakdown!.taxes).toEqual([]);

    expect(invoice.parties).toEqual([
      {
        id: 'c1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b',
        externalId: 'C-0042',
        role: 'CUSTOMER',
        name: 'Ridgeway University',
        email: 'accounts@ridgeway.example',
        balances: [],
      },
    ]);
    const [line] = invoice.lineItems;
    expect(line.quantity).toBe('3');
    expect(text(line.unitAmount)).toBe('357845.7633 NZD');
    expect(toMinorUnits(line.unitAmount!)).toBeNull();
    expect(text(line.amount)).toBe('1073537.29 NZD');
    expect(line.productId).toBe('LEASE-Q');
    expect(line.direction).toBe('PAYIN');

    const [payment] = invoice.payments;
    expect(payment).toMatchObject({
      remoteId: '7d0c8f7e-2a5b-4f3c-8e1d-9b6a5c4d3e2f',
      direction: 'PAYIN',
      status: 'POSTED',
      postedAt: '2024-06-01T00:00:00.000Z',
      reference: 'Deposit',
      invoiceRemoteId: '0b9e5b1a-3d62-4c1e-9f0a-6a1d2c3b4e5f',
      batchPaymentRemoteId: null,
    });
    expect(text(payment.amount)).toBe('234567.89 NZD');
  });

  it('maps a JPY bill with scale 0 as a payout to a supplier, with an exact fractional quantity', () => {
    const bill = xeroInvoiceToModel(invoices()[1], table);
    expect(bill.total!.currencyScale).toBe(0);
    expect(text(bill.total)).toBe('15400 JPY');
    expect(toMinorUnits(bill.total!)).toBe('15400');
    expect(bill.status).toBe('PAID');
    expect(bill.parties[0]).toMatchObject({ role: 'SUPPLIER', email: null });
    expect(bill.lineItems[0].quantity).toBe('2.5');
    expect(bill.lineItems[0].direction).toBe('PAYOUT');
    const [balance] = bill.balances;
    expect(text(balance.payouts.actual)).toBe('15400 JPY');
    expect(text(balance.payins.expected)).toBe('0 JPY');
    expect(text(balance.net.expected)).toBe('-15400 JPY');
    expect(bill.payments[0].direction).toBe('PAYOUT');
  });

  it('keeps an unknown status raw with the OPEN fallback and reads DateString when Date is missing', () => {
    const odd = xeroInvoiceToModel(invoices()[2], table);
    expect(odd.status).toBe('OPEN');
    expect(odd.providerStatus).toBe('SCHEDULED');
    expect(odd.issuedAt).toBe('2024-06-03T00:00:00.000Z');
    expect(text(odd.total)).toBe('19.99 USD');
    expect(toMinorUnits(odd.total!)).toBe('1999');
  });

  it('maps every Xero status', () => {
    const m = (n: string): Money => ({ coefficient: BigInt(n), decimals: 2, currency: 'NZD', currencyScale: 2 });
    expect(invoiceStatusOf('DRAFT', m('100'), m('100'))).toBe('DRAFT');
    expect(invoiceStatusOf('SUBMITTED', m('100'), m('100'))).toBe('DRAFT');
    expect(invoiceStatusOf('AUTHORISED', m('100'), m('100'))).toBe('OPEN');
    expect(invoiceStatusOf('AUTHORISED', m('100'), m('40'))).toBe('PARTIALLY_PAID');
    expect(invoiceStatusOf('AUTHORISED', m('100'), m('0'))).toBe('PAID');
    expect(invoiceStatusOf('PAID', m('100'), m('0'))).toBe('PAID');
    expect(invoiceStatusOf('VOIDED', m('100'), m('0'))).toBe('VOID');
    expect(invoiceStatusOf('DELETED', m('100'), m('100'))).toBe('VOID');
    expect(invoiceStatusOf('SOMETHING_NEW', m('100'), m('100'))).toBe('OPEN');
  });

  it('adds AmountCredited to the actual amount', () => {
    const raw = { ...invoices()[0], Status: 'PAID', AmountPaid: 1000000, AmountCredited: 234567.89, AmountDue: 0 } as XeroInvoice;
    const invoice = xeroInvoiceToModel(raw, table);
    expect(text(invoice.balances[0].payins.actual)).toBe('1234567.89 NZD');
    expect(text(invoice.balances[0].payins.remaining)).toBe('0.00 NZD');
  });

  it('refuses an amount a double cannot carry exactly, and an unknown invoice type', () => {
    expect(() => xeroInvoiceToModel({ ...invoices()[0], Total: 12345678901234.567 }, table)).toThrow(/significant digits/);
    expect(() => xeroInvoiceToModel({ ...invoices()[0], Type: 'RECEIPT' }, table)).toThrow(/unknown Xero invoice type/);
  });
});

describe('xeroPaymentToModel', () => {
  const base = {
    PaymentID: '99ea7f6b-c513-4066-bc27-b7c65dcd76c2',
    Amount: 46.1,
    Date: '/Date(1543449600000+0000)/',
    Invoice: { InvoiceID: '046d8a6d-1ae1-4b4d-9340-5601bdf41b87', Type: 'ACCREC', CurrencyCode: 'AUD' },
  };

  it('takes the direction from PaymentType first, then the invoice type', () => {
    expect(xeroPaymentToModel(XeroPaymentSchema.parse({ ...base, PaymentType: 'ACCPAYPAYMENT' }), table).direction).toBe('PAYOUT');
    expect(xeroPaymentToModel(XeroPaymentSchema.parse({ ...base, PaymentType: 'ACCRECPAYMENT' }), table).direction).toBe('PAYIN');
    expect(xeroPaymentToModel(XeroPaymentSchema.parse(base), table).direction).toBe('PAYIN');
    const bill = { ...base, Invoice: { ...base.Invoice, Type: 'ACCPAY' } };
    expect(xeroPaymentToModel(XeroPaymentSchema.parse(bill), table).direction).toBe('PAYOUT');
  });

  it('maps status, reference, batch id and the invoice currency', () => {
    const payment = xeroPaymentToModel(
      XeroPaymentSchema.parse({ ...base, Status: 'DELETED', Reference: 'r-1', BatchPaymentID: 'b54aa50c-794c-461b-89d1-846e1b84d9c0' }),
      table,
    );
    expect(payment.status).toBe('DELETED');
    expect(payment.providerStatus).toBe('DELETED');
    expect(payment.reference).toBe('r-1');
    expect(payment.batchPaymentRemoteId).toBe('b54aa50c-794c-461b-89d1-846e1b84d9c0');
    expect(payment.invoiceRemoteId).toBe('046d8a6d-1ae1-4b4d-9340-5601bdf41b87');
    expect(text(payment.amount)).toBe('46.10 AUD');
    expect(payment.postedAt).toBe('2018-11-29T00:00:00.000Z');
    const posted = xeroPaymentToModel(XeroPaymentSchema.parse({ ...base, Status: 'AUTHORISED' }), table);
    expect(posted.status).toBe('POSTED');
  });

  it('does not point a credit-note payment at the invoice loader', () => {
    const credit = { ...base, PaymentType: 'ARCREDITPAYMENT', Invoice: { ...base.Invoice, Type: 'ACCRECCREDIT' } };
    const payment = xeroPaymentToModel(XeroPaymentSchema.parse(credit), table);
    expect(payment.invoiceRemoteId).toBeNull();
    expect(payment.direction).toBe('PAYOUT');
  });
});

describe('xeroBatchPaymentToModel', () => {
  it('maps the seed batch: RECBATCH, 1000.00 NZD, a date-only date and five linked payments', () => {
    const raw = (seedBatchPayments().BatchPayments as unknown[])[0];
    const batch = xeroBatchPaymentToModel(XeroBatchPaymentSchema.parse(raw), table);
    expect(batch).toMatchObject({
      remoteId: 'd0e9bbbf-5b8a-48b6-906a-035591fcb061',
      reference: 'Hello World',
      date: '2017-11-28',
      type: 'RECEIVABLE',
      status: 'AUTHORISED',
      isReconciled: false,
      updatedAt: '2017-11-28T18:29:52.820Z',
    });
    expect(text(batch.total)).toBe('1000.00 NZD');
    expect(batch.payments).toHaveLength(5);
    for (const payment of batch.payments) {
      expect(payment.batchPaymentRemoteId).toBe(batch.remoteId);
      expect(payment.direction).toBe('PAYIN');
      expect(payment.status).toBe('POSTED');
      expect(payment.postedAt).toBe('2017-11-28T00:00:00.000Z');
      expect(text(payment.amount)).toBe('200.00 NZD');
    }
    expect(batch.payments[0].invoiceRemoteId).toBe('0975dec2-0cf6-498d-9c9f-c6775b45c61d');
  });

  it('takes the currency of the first payment when the account has none, and PAYBATCH is payable', () => {
    const batch = xeroBatchPaymentToModel(
      XeroBatchPaymentSchema.parse({
        BatchPaymentID: 'b649632e-2782-4c74-95a5-d994d7140ed9',
        Type: 'PAYBATCH',
        Status: 'DELETED',
        Date: '/Date(1659312000000+0000)/',
        TotalAmount: 1500,
        Payments: [{ PaymentID: 'c05098fa-ae3c-4f00-80ec-0a9df07dedff', Amount: 1500, Invoice: { InvoiceID: 'x', CurrencyCode: 'JPY' } }],
      }),
      table,
    );
    expect(batch.type).toBe('PAYABLE');
    expect(text(batch.total)).toBe('1500 JPY');
    expect(batch.payments[0]).toMatchObject({ direction: 'PAYOUT', status: 'DELETED' });
    expect(batch.date).toBe('2022-08-01');
  });
});
