import { describe, expect, it } from 'vitest';
import { createCurrencyTable } from '../../../adapters/kit/currencies.js';
import { AdapterError } from '../../../adapters/kit/errors.js';
import { formatAmount, MoneyError, toMinorUnits, type Money } from '../../../adapters/kit/money.js';
import { fragmentCreateBody, sameLineItems } from '../../../adapters/fragment/fragment-create-body.js';
import {
  fragmentInvoiceToModel,
  parseFragmentPaymentRemoteId,
} from '../../../adapters/fragment/fragment-to-model.js';
import { FragmentInvoice, fragmentField } from '../../../adapters/fragment/wire.js';
import { loadBatchGet, loadRetrieveSeed } from './fixtures.js';

const table = createCurrencyTable();
const text = (money: Money | null | undefined) => (money ? `${formatAmount(money)} ${money.currency}` : null);
const map = (raw: unknown, t = table) => fragmentInvoiceToModel(FragmentInvoice.parse(raw), t);

/** Rewrites every object key with `rename`, deeply (to build all-snake and all-camel twins of a payload). */
function renameKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => renameKeys(v, rename));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [rename(k), renameKeys(v, rename)]));
}
const toSnake = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const toCamel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

describe('fragmentInvoiceToModel: seed 001 retrieve example (mixed casing)', () => {
  const invoice = map(loadRetrieveSeed().data);

  it('maps identity, status and dates', () => {
    expect(invoice.remoteId).toBe('inv_1234567890');
    expect(invoice.number).toBe('inv_1234567890');
    expect(invoice.providerStatus).toBe('active');
    // active says nothing about payment: expected 10000, remaining 5000 -> partly paid.
    expect(invoice.status).toBe('PARTIALLY_PAID');
    expect(invoice.createdAt).toBe('2024-01-13T00:00:00Z');
    expect(invoice.updatedAt).toBe('2024-01-13T00:00:00Z');
    expect(invoice.issuedAt).toBeNull();
    expect(invoice.metadata).toEqual([]);
  });

  it('maps amounts exactly from minor units', () => {
    expect(invoice.currency).toBe('USD');
    expect(text(invoice.total)).toBe('100.00 USD');
    expect(toMinorUnits(invoice.total!)).toBe('10000');
    expect(text(invoice.amountDue)).toBe('50.00 USD');
    expect(toMinorUnits(invoice.amountDue!)).toBe('5000');
    const [balance] = invoice.balances;
    expect(balance.currency).toBe('USD');
    expect([balance.net.expected, balance.net.actual, balance.net.remaining].map(text)).toEqual(['100.00 USD', '50.00 USD', '50.00 USD']);
    expect(text(balance.payouts.expected)).toBe('100.00 USD');
  });

  it('reads the camelCase line items with their snake_case fields', () => {
    expect(invoice.lineItems).toHaveLength(1);
    const [line] = invoice.lineItems;
    expect(line.id).toBe('item_1234567890');
    expect(text(line.amount)).toBe('10.00 USD');
    expect(toMinorUnits(line.amount!)).toBe('1000');
    expect(line.direction).toBe('PAYOUT');
    expect(line.productId).toBe('prod_1234567890');
    expect(line.userId).toBe('user_ext_456');
    expect(line.description).toBe('Professional services for January 2026');
  });

  it('maps users to USER parties with their balances', () => {
    expect(invoice.parties).toHaveLength(1);
    const [party] = invoice.parties;
    expect(party).toMatchObject({ id: 'user_ext_789', role: 'USER', externalId: null, name: null });
    expect(text(party.balances[0].net.remaining)).toBe('50.00 USD');
  });
});

describe('fragmentInvoiceToModel: batch-get items (seed 000 fields)', () => {
  const [first, second] = loadBatchGet().response.data.invoices.map((raw) => map(raw));

  it('maps payments with their transaction', () => {
    expect(first.payments).toEqual([
      {
        remoteId: 'inv_2024_001/txn_8f2a',
        amount: expect.objectContaining({ coefficient: 5000n, currency: 'USD', currencyScale: 2 }),
        direction: 'PAYIN',
        postedAt: '2024-03-05T16:30:00Z',
        status: 'POSTED',
        providerStatus: null,
        reference: 'stripe_pi_3Nq',
        invoiceRemoteId: 'inv_2024_001',
        batchPaymentRemoteId: null,
        metadata: [{ key: 'channel', value: 'card' }],
      },
    ]);
    expect(text(first.payments[0].amount)).toBe('50.00 USD');
  });

  it('maps tags to metadata, users with external ids, and the status from the amounts', () => {
    expect(first.metadata).toEqual([{ key: 'region', value: 'us' }]);
    expect(first.parties.map((p) => [p.id, p.externalId])).toEqual([
      ['user_ext_456', 'user_ext_456'],
      ['user_ext_789', 'user_ext_789'],
    ]);
    expect(first.status).toBe('PARTIALLY_PAID');
    expect(text(first.total)).toBe('125.50 USD');
    expect(text(first.amountDue)).toBe('75.50 USD');
  });

  it('leaves currency, total and amount due null with two currencies, and keeps each scale', () => {
    expect(second.currency).toBeNull();
    expect(second.total).toBeNull();
    expect(second.amountDue).toBeNull();
    expect(second.balances.map((b) => text(b.net.expected))).toEqual(['15000 JPY', '0.00250000 BTC']);
    // JPY paid, BTC untouched: partly paid overall.
    expect(second.status).toBe('PARTIALLY_PAID');
    expect(second.payments[0].reference).toBe('bank_jp_001');
    expect(second.payments[0].metadata).toEqual([]);
  });
});

describe('fragmentInvoiceToModel: casing and status', () => {
  it('maps all-snake, all-camel and the mixed seed the same', () => {
    const seed = loadRetrieveSeed().data;
    const batch = loadBatchGet().response.data.invoices[0];
    for (const raw of [seed, batch]) {
      const snake = renameKeys(raw, toSnake);
      const camel = renameKeys(raw, toCamel);
      expect(JSON.stringify(camel)).toContain('"lineItems"');
      expect(JSON.stringify(snake)).toContain('"line_items"');
      expect(map(camel)).toEqual(map(snake));
      expect(map(raw)).toEqual(map(snake));
      expect(map(snake).lineItems.length).toBeGreaterThan(0);
    }
  });

  // Moved from snakeKeys (payloads are no longer copied): the same behaviour, read where the field is read.
  it('reads camelCase envelope keys (notFound, workspaceId) and lets snake win when both are present', () => {
    const camel = { notFound: ['a'], workspaceId: 'w' };
    expect([fragmentField(camel, 'not_found'), fragmentField(camel, 'workspace_id')]).toEqual([['a'], 'w']);
    expect(fragmentField({ userId: 'camel', user_id: 'snake' }, 'user_id')).toBe('snake');
  });

  const withNet = (expected: string, remaining: string, status = 'active') => ({
    id: 'inv_x',
    status,
    balances: [
      {
        currency: 'EUR',
        net: { expected, actual: String(BigInt(expected) - BigInt(remaining)), remaining },
        payins: { expected, actual: String(BigInt(expected) - BigInt(remaining)), remaining },
        payouts: { expected: '0', actual: '0', remaining: '0' },
      },
    ],
  });

  it('derives OPEN, PAID and PARTIALLY_PAID from the net balances', () => {
    expect(map(withNet('4200', '4200')).status).toBe('OPEN');
    expect(map(withNet('4200', '0')).status).toBe('PAID');
    expect(map(withNet('4200', '1')).status).toBe('PARTIALLY_PAID');
    expect(map({ id: 'inv_empty', status: 'active' }).status).toBe('OPEN');
  });

  it('falls back to the amounts for an unknown status and keeps the raw value', () => {
    const invoice = map(withNet('4200', '0', 'archived'));
    expect(invoice.status).toBe('PAID');
    expect(invoice.providerStatus).toBe('archived');
  });

  it('refuses an amount that is not an integer of minor units', () => {
    const raw = withNet('4200', '0');
    raw.balances[0].net.expected = '12.5x';
    expect(() => map(raw)).toThrow(MoneyError);
  });

  it('uses the currency table overrides for codes it does not know', () => {
    const raw = { id: 'inv_pts', status: 'active', line_items: [{ amount: '12345', currency_code: 'ZZP', type: 'payin' }] };
    expect(() => map(raw)).toThrow(MoneyError);
    expect(text(map(raw, createCurrencyTable({ ZZP: 3 })).lineItems[0].amount)).toBe('12.345 ZZP');
  });
});

describe('payment remote ids', () => {
  it('splits at the last slash and refuses malformed ids', () => {
    expect(parseFragmentPaymentRemoteId('inv_1/txn_2')).toEqual({ invoiceId: 'inv_1', transactionId: 'txn_2' });
    expect(parseFragmentPaymentRemoteId('acme/inv_1/txn_2')).toEqual({ invoiceId: 'acme/inv_1', transactionId: 'txn_2' });
    for (const bad of ['inv_1', '/txn_2', 'inv_1/', '']) expect(parseFragmentPaymentRemoteId(bad)).toBeNull();
  });
});

describe('fragmentCreateBody', () => {
  const line = { amount: '42.50', currency: 'usd', description: 'Hosting', productId: 'prod_h', direction: 'PAYIN' as const, userId: 'u1' };

  it('turns major-unit decimals into minor-unit strings per currency scale', () => {
    const body = fragmentCreateBody(
      'fragment',
      {
        invoiceId: 'inv_new',
        lineItems: [
          line,
          { ...line, amount: '1500', currency: 'JPY', direction: 'PAYOUT' },
          { ...line, amount: '1.234', currency: 'KWD' },
          { ...line, amount: '0.001', currency: 'BTC' },
          { ...line, amount: '19.9', currency: 'EUR' },
        ],
      },
      table,
    );
    expect(body.invoice_id).toBe('inv_new');
    expect(body.line_items.map((l) => [l.amount, l.currency_code, l.type])).toEqual([
      ['4250', 'USD', 'payin'],
      ['1500', 'JPY', 'payout'],
      ['1234', 'KWD', 'payin'],
      ['100000', 'BTC', 'payin'],
      ['1990', 'EUR', 'payin'],
    ]);
    expect(body.line_items[0]).toEqual({
      amount: '4250',
      currency_code: 'USD',
      description: 'Hosting',
      product_id: 'prod_h',
      type: 'payin',
      user_id: 'u1',
    });
  });

  it.each([
    ['12.345', 'USD', /whole number/],
    ['1.5', 'JPY', /whole number/],
    ['12,50', 'USD', /not a decimal/],
    ['10', 'XXQ', /unknown currency/],
    ['-5.00', 'USD', /negative/],
  ])('refuses %s %s with BAD_USER_INPUT', (amount, currency, message) => {
    const attempt = () => fragmentCreateBody('fragment', { invoiceId: 'inv_bad', lineItems: [{ ...line, amount, currency }] }, table);
    expect(attempt).toThrow(AdapterError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as AdapterError).code).toBe('BAD_USER_INPUT');
      expect((error as AdapterError).source).toBe('fragment');
    }
  });

  it('refuses an empty invoice id or no line items', () => {
    expect(() => fragmentCreateBody('fragment', { invoiceId: ' ', lineItems: [line] }, table)).toThrow(/invoiceId/);
    expect(() => fragmentCreateBody('fragment', { invoiceId: 'inv_e', lineItems: [] }, table)).toThrow(/line item/);
  });

  it('compares line items ignoring order and description, not amounts, users, products or types', () => {
    const body = fragmentCreateBody('fragment', { invoiceId: 'i', lineItems: [line, { ...line, userId: 'u2' }] }, table);
    const existing = body.line_items.map((l, i) => ({ ...l, id: `item_${i}`, description: 'reworded' })).reverse();
    expect(sameLineItems(body.line_items, existing)).toBe(true);
    expect(sameLineItems(body.line_items, [{ ...existing[0], amount: '04250' }, existing[1]])).toBe(true);
    expect(sameLineItems(body.line_items, [{ ...existing[0], amount: '4251' }, existing[1]])).toBe(false);
    expect(sameLineItems(body.line_items, [{ ...existing[0], user_id: 'u3' }, existing[1]])).toBe(false);
    expect(sameLineItems(body.line_items, [{ ...existing[0], type: 'payout' }, existing[1]])).toBe(false);
    expect(sameLineItems(body.line_items, [{ ...existing[0], product_id: 'other' }, existing[1]])).toBe(false);
    expect(sameLineItems(body.line_items, [existing[0]])).toBe(false);
  });
});
