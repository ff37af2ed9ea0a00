import { describe, expect, it } from 'vitest';
import { createCurrencyTable } from '../../../adapters/kit/currencies.js';
import { formatAmount, toMinorUnits, type Money } from '../../../adapters/kit/money.js';
import {
  KORINT_FALLBACK_STATUS,
  KORINT_STATUS_MAP,
  korintInvoiceToModel,
  korintStatusToModel,
  type KorintMappingContext,
} from '../../../adapters/korint/korint-to-model.js';
import { korintInvoiceSchema, korintPageSchema, normalizeKorintPage } from '../../../adapters/korint/wire.js';
import { KORINT_DOCUMENTED_STATUSES } from '../../../adapters/korint/sandbox/seed-data.js';
import { loadSeed003Page } from './fixture.js';

const ctx: KorintMappingContext = { currency: 'EUR', currencies: createCurrencyTable() };
const text = (money: Money | null | undefined) => (money ? `${formatAmount(money)} ${money.currency}` : null);

function seedInvoice(overrides: Record<string, unknown> = {}) {
  return korintInvoiceSchema.parse({ ...loadSeed003Page().data[0], ...overrides });
}

describe('korintInvoiceToModel (seed 003 example)', () => {
  const invoice = korintInvoiceToModel(seedInvoice(), ctx);

  it('maps identity, dates, period, number and links', () => {
    expect(invoice.remoteId).toBe('inv_01HQ3K9W5Z8X2M4N6P');
    expect(invoice.number).toBe('1042');
    expect(invoice.status).toBe('PAID');
    expect(invoice.providerStatus).toBe('PAID');
    expect(invoice.issuedAt).toBe('2025-03-01T09:00:00.000Z');
    expect(invoice.createdAt).toBe('2025-02-27T14:12:05.000Z');
    expect(invoice.period).toEqual({ start: '2025-03-01T00:00:00.000Z', end: '2025-03-31T23:59:59.000Z' });
    expect(invoice.currency).toBe('EUR');
    expect(invoice.related).toEqual([
      { relation: 'CREDITS', invoiceRemoteId: 'inv_01HPZZ0CREDITED0001' },
      { relation: 'REPLACES', invoiceRemoteId: 'inv_01HPZZ0REPLACED0001' },
    ]);
    expect(invoice.metadata).toEqual([
      { key: 'policyId', value: 'pol_8841' },
      { key: 'channel', value: 'broker' },
    ]);
  });

  it('carries 1234.56 exactly', () => {
    expect(formatAmount(invoice.total!)).toBe('1234.56');
    expect(invoice.total!.currency).toBe('EUR');
    expect(toMinorUnits(invoice.total!)).toBe('123456');
  });

  it('takes the total apart into fees and taxes', () => {
    const b = invoice.totalBreakdown!;
    expect([b.preFeesAndTaxes, b.totalFees, b.withFeesPreTaxes, b.totalTaxes, b.total].map(text)).toEqual([
      '1100.00 EUR',
      '20.00 EUR',
      '1120.00 EUR',
      '114.56 EUR',
      '1234.56 EUR',
    ]);
    expect(b.fees.map((fee) => [fee.id, fee.chargeType, formatAmount(fee.amount), fee.brokerageFirmId])).toEqual([
      ['fee_7Qx2', 'ONE_TIME', '20.00', 'bf_courtage_paris'],
    ]);
    expect(b.taxes.map((tax) => [tax.id, tax.chargeType, formatAmount(tax.amount), tax.brokerageFirmId])).toEqual([
      ['tax_tsca_9', 'ONE_TIME', '114.56', null],
    ]);
  });

  it('maps components and lines with their breakdowns', () => {
    expect(invoice.components).toHaveLength(1);
    expect(invoice.components[0]).toMatchObject({ id: 'cmp_premium_01', type: 'PREMIUM', reconciliation: true });
    expect(text(invoice.components[0].breakdown?.total)).toBe('1234.56 EUR');
    expect(invoice.lineItems).toHaveLength(1);
    expect(invoice.lineItems[0].description).toBe('Home insurance premium, March 2025');
    expect(text(invoice.lineItems[0].amount)).toBe('1234.56 EUR');
    expect(text(invoice.lineItems[0].breakdown?.totalTaxes)).toBe('114.56 EUR');
  });

  it('turns paymentId/paidAt into one posted payin of the total', () => {
    expect(invoice.payments).toHaveLength(1);
    const [payment] = invoice.payments;
    expect(payment).toMatchObject({
      // Encodes its invoice, so the payment resolves by id; the Stripe id stays its reference.
      remoteId: 'inv_01HQ3K9W5Z8X2M4N6P/pi_3OkXyZ2eZvKYlo2C1a2b3c4d',
      reference: 'pi_3OkXyZ2eZvKYlo2C1a2b3c4d',
      direction: 'PAYIN',
      postedAt: '2025-03-05T10:30:00.000Z',
      status: 'POSTED',
      invoiceRemoteId: 'inv_01HQ3K9W5Z8X2M4N6P',
    });
    expect(text(payment.amount)).toBe('1234.56 EUR');
  });

  it('reports a paid invoice as a fully received payin', () => {
    expect(invoice.balances).toHaveLength(1);
    const [balance] = invoice.balances;
    expect(balance.currency).toBe('EUR');
    const amounts = (a: { expected: Money; actual: Money; remaining: Money }) => [a.expected, a.actual, a.remaining].map(formatAmount);
    expect(amounts(balance.payins)).toEqual(['1234.56', '1234.56', '0.00']);
    expect(amounts(balance.payouts)).toEqual(['0.00', '0.00', '0.00']);
    expect(amounts(balance.net)).toEqual(['1234.56', '1234.56', '0.00']);
    expect(formatAmount(invoice.amountDue!)).toBe('0.00');
  });
});

describe('korint balances by status', () => {
  const due = (status: string) => formatAmount(korintInvoiceToModel(seedInvoice({ status }), ctx).amountDue!);

  it('counts the total as received for settled and refund statuses', () => {
    for (const status of ['PAID', 'FINALIZED', 'RECONCILED', 'REFUND_IN_PROGRESS', 'REFUND_NOT_HANDLED']) {
      expect([status, due(status)]).toEqual([status, '0.00']);
    }
  });

  it('leaves the whole total due otherwise', () => {
    for (const status of ['DRAFTED', 'ISSUED', 'PAYMENT_IN_PROGRESS', 'PAYMENT_FAILED', 'PAYMENT_DISPUTED', 'PARTIALLY_FINALIZED', 'SOMETHING_NEW']) {
      expect([status, due(status)]).toEqual([status, '1234.56']);
    }
  });

  it('asks nothing more of a cancelled, written-off or credited invoice', () => {
    for (const status of ['CANCELLED', 'WRITTEN_OFF', 'CREDITED']) {
      expect([status, due(status)]).toEqual([status, '0.00']);
    }
  });

  it('has no payment without a paymentId', () => {
    const invoice = korintInvoiceToModel(seedInvoice({ status: 'ISSUED', paymentId: null, paidAt: null }), ctx);
    expect(invoice.payments).toEqual([]);
  });
});

describe('korint status map', () => {
  const expected: Record<string, string> = {
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
  };

  it('maps every documented status as documented', () => {
    for (const status of KORINT_DOCUMENTED_STATUSES) {
      expect([status, korintStatusToModel(status)]).toEqual([status, expected[status]]);
      const invoice = korintInvoiceToModel(seedInvoice({ status }), ctx);
      expect([invoice.status, invoice.providerStatus]).toEqual([expected[status], status]);
    }
    expect(Object.keys(expected).sort()).toEqual([...KORINT_DOCUMENTED_STATUSES].sort());
  });

  it('maps CREDITED (prose only) to VOID and keeps it raw', () => {
    expect(KORINT_STATUS_MAP.CREDITED).toBe('VOID');
    const invoice = korintInvoiceToModel(seedInvoice({ status: 'CREDITED' }), ctx);
    expect([invoice.status, invoice.providerStatus]).toEqual(['VOID', 'CREDITED']);
  });

  it('falls back to OPEN for an unknown status, keeping it raw, without failing', () => {
    expect(KORINT_FALLBACK_STATUS).toBe('OPEN');
    for (const status of ['PENDING_VALIDATION', 'toString', '__proto__']) {
      const invoice = korintInvoiceToModel(seedInvoice({ status }), ctx);
      expect([invoice.status, invoice.providerStatus]).toEqual(['OPEN', status]);
    }
  });
});

describe('korint mapping edge cases', () => {
  it('uses externalId as the number when there is no incrementalId', () => {
    expect(korintInvoiceToModel(seedInvoice({ incrementalId: null }), ctx).number).toBe('EXT-2025-0042');
    expect(korintInvoiceToModel(seedInvoice({ incrementalId: undefined, externalId: undefined }), ctx).number).toBeNull();
  });

  it('uses the configured currency and scale', () => {
    const invoice = korintInvoiceToModel(seedInvoice(), { currency: 'CHF', currencies: createCurrencyTable() });
    expect(text(invoice.total)).toBe('1234.56 CHF');
    expect(invoice.balances[0].currency).toBe('CHF');
  });

  it('refuses an amount a double cannot carry exactly', () => {
    const raw = loadSeed003Page().data[0];
    raw.total.amountWithFeesAndTaxes = 1234.5678901234567;
    expect(() => korintInvoiceToModel(korintInvoiceSchema.parse(raw), ctx)).toThrow(/significant digits/);
  });

  it('maps a minimal invoice without optional parts', () => {
    const invoice = korintInvoiceToModel(
      korintInvoiceSchema.parse({ id: 'x', status: 'ISSUED', total: seedInvoice().total }),
      ctx,
    );
    expect(invoice).toMatchObject({ number: null, period: null, components: [], lineItems: [], payments: [], metadata: [], related: [] });
  });
});

describe('korint page envelopes', () => {
  const read = (body: unknown) => normalizeKorintPage(korintPageSchema.parse(body));

  it('reads the documented envelope through pageInfo.last, else currentPage/totalPages', () => {
    expect(read({ data: [1], pageInfo: { first: true, last: false }, totalCount: 2, currentPage: 1, totalPages: 2 })).toEqual({ items: [1], hasMore: true });
    expect(read({ data: [1], pageInfo: { first: false, last: true }, totalCount: 2, currentPage: 2, totalPages: 2 }).hasMore).toBe(false);
    expect(read({ data: [1], currentPage: 1, totalPages: 3 }).hasMore).toBe(true);
    expect(read({ data: [1], currentPage: 3, totalPages: 3 }).hasMore).toBe(false);
  });

  it('reads the offset envelope: more while offset + data.length < total', () => {
    expect(read({ data: [1, 2], total: 5, offset: 0, limit: 2 })).toEqual({ items: [1, 2], hasMore: true });
    expect(read({ data: [5], total: 5, offset: 4, limit: 2 }).hasMore).toBe(false);
  });

  it('refuses an envelope that says nothing about pages', () => {
    expect(korintPageSchema.safeParse({ data: [] }).success).toBe(false);
    expect(korintPageSchema.safeParse({ items: [], total: 0, offset: 0 }).success).toBe(false);
  });
});
