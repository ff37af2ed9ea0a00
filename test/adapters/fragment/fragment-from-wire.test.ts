// The lazily built Fragment invoice: identity and shape checked up front, nested values built when read (and failing
// alone), the same model as the whole-invoice mapping, and rebuilt from its stored wire item.
import { describe, expect, it } from 'vitest';
import { fragmentInvoiceFromWire, fragmentInvoiceToModel } from '../../../adapters/fragment/fragment-to-model.js';
import { FragmentInvoice } from '../../../adapters/fragment/wire.js';
import { createCurrencyTable } from '../../../adapters/kit/currencies.js';
import { AdapterError } from '../../../adapters/kit/errors.js';
import { plainInvoice } from '../../../adapters/kit/model-plain.js';
import { formatAmount } from '../../../adapters/kit/money.js';
import { wireItemOf } from '../../../adapters/kit/wire-item.js';
import { loadBatchGet, loadRetrieveSeed } from './fixtures.js';

const table = createCurrencyTable();
const read = (raw: unknown) => fragmentInvoiceFromWire(raw, table, 'fragment');

describe('fragmentInvoiceFromWire', () => {
  it('reads to the same model as the whole-invoice mapping', () => {
    for (const raw of [...loadBatchGet().response.data.invoices, loadRetrieveSeed().data]) {
      expect(plainInvoice(read(raw))).toEqual(fragmentInvoiceToModel(FragmentInvoice.parse(raw), table));
    }
  });

  it('keeps its wire item, from which the same invoice is rebuilt after a JSON round trip', () => {
    const raw = loadBatchGet().response.data.invoices[0];
    const invoice = read(raw);
    expect(wireItemOf(invoice)).toBe(raw);
    expect(JSON.stringify(invoice)).not.toContain('line_items');
    const again = read(JSON.parse(JSON.stringify(wireItemOf(invoice))));
    expect(plainInvoice(again)).toEqual(plainInvoice(invoice));
  });

  it.each([
    ['no id', { status: 'active' }],
    ['an empty id', { id: '', status: 'active' }],
    ['no status', { id: 'inv_x' }],
    ['line items that are not a list', { id: 'inv_x', status: 'active', line_items: {} }],
    ['an amount that is not integer text', { id: 'inv_x', status: 'active', line_items: [{ amount: '12.5x', currency_code: 'USD' }] }],
    ['a payment of an unknown type', { id: 'inv_x', status: 'active', payments: [{ amount: '1', currency: 'USD', type: 'refund', transaction: { id: 't' } }] }],
  ])('refuses an item with %s up front (UPSTREAM_BAD_RESPONSE)', (_what, raw) => {
    expect(() => read(raw)).toThrow(AdapterError);
    expect(() => read(raw)).toThrow(expect.objectContaining({ code: 'UPSTREAM_BAD_RESPONSE', source: 'fragment' }));
  });

  it('fails an amount in a currency nobody knows when it is read, and nothing else', () => {
    const raw = structuredClone(loadBatchGet().response.data.invoices[0]);
    raw.line_items[0].currency_code = 'XQQ';
    const invoice = read(raw);
    expect(invoice.remoteId).toBe('inv_2024_001');
    expect(invoice.status).toBe('PARTIALLY_PAID');
    expect(formatAmount(invoice.total!)).toBe('125.50');
    const [line] = invoice.lineItems;
    expect(line.productId).toEqual(expect.any(String));
    expect(() => line.amount).toThrow(expect.objectContaining({ code: 'UPSTREAM_BAD_RESPONSE', source: 'fragment' }));
    expect(() => line.amount).not.toThrow(/XQQ/);
  });

  it('builds each nested part once, when first read', () => {
    const invoice = read(loadBatchGet().response.data.invoices[0]);
    expect(invoice.balances).toBe(invoice.balances);
    expect(invoice.balances[0].net).toBe(invoice.balances[0].net);
    expect(invoice.lineItems[0].amount).toBe(invoice.lineItems[0].amount);
    expect(invoice.payments).toBe(invoice.payments);
  });
});
