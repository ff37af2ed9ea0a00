// One sign convention and the providers' own numbers, as properties over random invoices: totals and amounts due never
// negative, the direction from the net, the status from both sides, and discrepancies exactly where (and only where)
// the numbers do not add up by each provider's rules. Pure mappings, no HTTP.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fragmentInvoiceFromWire } from '../../adapters/fragment/fragment-to-model.js';
import { withBalances, type SandboxLineItem, type SandboxPayment } from '../../adapters/fragment/sandbox/fragment-ledger.js';
import { createCurrencyTable } from '../../adapters/kit/currencies.js';
import type { AmountDiscrepancy } from '../../adapters/kit/discrepancy.js';
import { formatAmount, toMinorUnits, type Money } from '../../adapters/kit/money.js';
import { sideState, statusFromSides } from '../../adapters/kit/status.js';
import { korintInvoiceToModel } from '../../adapters/korint/korint-to-model.js';
import { centsToNumber, wireTotal, type CentsTotal } from '../../adapters/korint/sandbox/seed-data.js';
import { korintInvoiceSchema } from '../../adapters/korint/wire.js';
import { decimalNumber } from '../../adapters/xero/sandbox/xero-sandbox-json.js';
import { XeroBatchPaymentSchema, XeroInvoiceSchema } from '../../adapters/xero/wire.js';
import { xeroBatchDiscrepancies, xeroInvoiceDiscrepancies } from '../../adapters/xero/xero-discrepancies.js';
import { xeroBatchPaymentToModel, xeroInvoiceToModel } from '../../adapters/xero/xero-to-model.js';
import { specExamples } from '../adapters/xero/fixtures.js';

const table = createCurrencyTable();
const cents = (money: Money | null) => (money ? BigInt(toMinorUnits(money)!) : null);
const kinds = (list: AmountDiscrepancy[]) => list.map((d) => d.kind);
const amounts = (d: AmountDiscrepancy) => [formatAmount(d.expected), formatAmount(d.actual), d.expected.currency];

// --- Fragment -------------------------------------------------------------------------------------------------------

const fragmentLine = fc.record({ amount: fc.integer({ min: 0, max: 5_000_000 }), type: fc.constantFrom<'payin' | 'payout'>('payin', 'payout') });

/** A Fragment invoice as its ledger builds it: lines, and payments of part, all or more of some lines. */
const fragmentInvoice = fc
  .tuple(fc.array(fragmentLine, { minLength: 1, maxLength: 5 }), fc.array(fc.tuple(fc.nat(4), fc.integer({ min: 0, max: 150 })), { maxLength: 5 }))
  .map(([lines, paid]) => {
    const lineItems: SandboxLineItem[] = lines.map((line, i) => ({
      id: `item_${i}`,
      amount: String(line.amount),
      currency_code: 'USD',
      description: 'line',
      product_id: 'prod',
      type: line.type,
      user_id: `user_${i}`,
    }));
    // Each payment settles a percentage (up to 150%: overpayments too) of one line.
    const payments: SandboxPayment[] = paid.map(([index, percent], k) => {
      const line = lineItems[index % lineItems.length];
      return {
        amount: String((BigInt(line.amount) * BigInt(percent)) / 100n),
        currency: 'USD',
        posted: '2024-01-01T00:00:00Z',
        transaction: { id: `txn_${k}`, external_id: `pay_${k}`, tags: [] },
        type: line.type,
        user: { id: `usr_${k}`, external_id: line.user_id },
      };
    });
    return withBalances({ id: 'inv_prop', workspace_id: 'ws', status: 'active', version: 1, created: '2024-01-01T00:00:00Z', modified: '2024-01-01T00:00:00Z', line_items: lineItems, payments });
  });

describe('Fragment: signs, direction and status from both sides', () => {
  it('property: total and amountDue are never negative; direction is the sign of the net expected amount', () => {
    fc.assert(
      fc.property(fragmentInvoice, (wire) => {
        const invoice = fragmentInvoiceFromWire(structuredClone(wire), table, 'fragment');
        const [balance] = wire.balances;
        const net = BigInt(balance.net.expected);
        expect(invoice.direction).toBe(net < 0n ? 'PAYABLE' : 'RECEIVABLE');
        expect(cents(invoice.total)).toBe(net < 0n ? -net : net);
        const due = cents(invoice.amountDue)!;
        expect(due >= 0n).toBe(true);
        // What remains owed in the invoice's direction: the net remaining turned that way, zero when overpaid.
        const remaining = BigInt(balance.net.remaining) * (invoice.direction === 'PAYABLE' ? -1n : 1n);
        expect(due).toBe(remaining > 0n ? remaining : 0n);
      }),
    );
  });

  it('property: PAID exactly when no side has anything left; OPEN when nothing moved; never PARTIALLY_PAID when overpaid', () => {
    fc.assert(
      fc.property(fragmentInvoice, (wire) => {
        const invoice = fragmentInvoiceFromWire(structuredClone(wire), table, 'fragment');
        const sides = wire.balances.flatMap((b) => [b.payins, b.payouts]).filter((side) => side.expected !== '0');
        const left = sides.filter((side) => BigInt(side.remaining) > 0n);
        const moved = sides.filter((side) => side.actual !== '0');
        const expected = sides.length === 0 ? 'OPEN' : left.length === 0 ? 'PAID' : moved.length === 0 ? 'OPEN' : 'PARTIALLY_PAID';
        expect(invoice.status).toBe(expected);
        // The line items and the balances come from one ledger: they add up.
        expect(invoice.discrepancies).toEqual([]);
      }),
    );
  });

  it('statusFromSides: settled pass-through is PAID, overpaid is PAID, one side left is PARTIALLY_PAID', () => {
    const side = (expected: bigint, remaining: bigint) => sideState(expected, remaining);
    expect(statusFromSides([side(10_000n, 0n), side(10_000n, 0n)])).toBe('PAID');
    expect(statusFromSides([side(10_000n, -2_000n)])).toBe('PAID');
    expect(statusFromSides([side(-10_000n, 2_000n)])).toBe('PAID');
    expect(statusFromSides([side(10_000n, 0n), side(10_000n, 10_000n)])).toBe('PARTIALLY_PAID');
    expect(statusFromSides([side(10_000n, 10_000n)])).toBe('OPEN');
    expect(statusFromSides([side(10_000n, 4_000n)])).toBe('PARTIALLY_PAID');
    expect(statusFromSides([])).toBe('OPEN');
  });

  it('property: a balance whose expected amount differs from its line items by d is one LINES_VS_TOTAL entry of exactly d', () => {
    fc.assert(
      fc.property(fragmentInvoice, fc.integer({ min: -100_000, max: 100_000 }).filter((d) => d !== 0), (wire, d) => {
        const changed = structuredClone(wire);
        const [balance] = changed.balances;
        const side = BigInt(balance.payins.expected) > 0n ? balance.payins : balance.payouts;
        const lines = BigInt(side.expected);
        side.expected = String(lines + BigInt(d));
        side.remaining = String(BigInt(side.remaining) + BigInt(d));
        const [entry, ...rest] = fragmentInvoiceFromWire(changed, table, 'fragment').discrepancies;
        expect(rest).toEqual([]);
        expect(entry.kind).toBe('LINES_VS_TOTAL');
        expect(cents(entry.expected)).toBe(lines);
        expect(cents(entry.actual)).toBe(lines + BigInt(d));
      }),
    );
  });
});

// --- Xero -----------------------------------------------------------------------------------------------------------

const xeroLines = fc.array(fc.record({ amount: fc.integer({ min: 0, max: 10_000_000 }), tax: fc.integer({ min: 0, max: 1_500_000 }) }), { minLength: 1, maxLength: 6 });
const lineTypes = fc.constantFrom('Exclusive', 'Inclusive', 'NoTax');

/** A Xero invoice that adds up by its LineAmountTypes (amounts in cents, sent as Xero's JSON numbers). */
function xeroInvoice(lines: Array<{ amount: number; tax: number }>, type: string, paid: number, totalShift = 0, dueShift = 0) {
  const lineSum = lines.reduce((s, l) => s + l.amount, 0);
  const tax = type === 'NoTax' ? 0 : lines.reduce((s, l) => s + l.tax, 0);
  const total = (type === 'Exclusive' ? lineSum + tax : lineSum) + totalShift;
  const settledPaid = Math.min(paid, Math.max(0, total));
  return XeroInvoiceSchema.parse({
    InvoiceID: '1d6e0f4f-0a59-4b5e-9d39-5f2b5e0d2a11',
    Type: 'ACCREC',
    Status: 'AUTHORISED',
    CurrencyCode: 'NZD',
    LineAmountTypes: type,
    LineItems: lines.map((l) => ({ LineAmount: decimalNumber(l.amount, 2), TaxAmount: decimalNumber(type === 'NoTax' ? 0 : l.tax, 2) })),
    SubTotal: decimalNumber(type === 'Inclusive' ? lineSum - tax : lineSum, 2),
    TotalTax: decimalNumber(tax, 2),
    Total: decimalNumber(total, 2),
    AmountPaid: decimalNumber(settledPaid, 2),
    AmountCredited: 0,
    AmountDue: decimalNumber(total - settledPaid + dueShift, 2),
  });
}

describe('Xero: LineAmountTypes and settlement rules', () => {
  it('property: an invoice that adds up by its LineAmountTypes has no discrepancy (the rule is applied, not flagged)', () => {
    fc.assert(
      fc.property(xeroLines, lineTypes, fc.nat(20_000_000), (lines, type, paid) => {
        expect(xeroInvoiceDiscrepancies(xeroInvoice(lines, type, paid), 'NZD', table)).toEqual([]);
      }),
    );
  });

  it('property: a Total off by d is one LINES_VS_TOTAL entry, the lines (with tax when exclusive) against Total', () => {
    fc.assert(
      fc.property(xeroLines, lineTypes, fc.integer({ min: -50_000, max: 50_000 }).filter((d) => d !== 0), (lines, type, d) => {
        // AmountDue follows the stated Total, so only the lines disagree.
        const invoice = xeroInvoice(lines, type, 0, d);
        const list = xeroInvoiceDiscrepancies(invoice, 'NZD', table);
        expect(kinds(list)).toEqual(['LINES_VS_TOTAL']);
        const parts = lines.reduce((s, l) => s + l.amount + (type === 'Exclusive' ? l.tax : 0), 0);
        expect([cents(list[0].expected), cents(list[0].actual)]).toEqual([BigInt(parts), BigInt(parts + d)]);
      }),
    );
  });

  it('property: AmountDue off by d is one SETTLEMENT_VS_TOTAL entry of paid + credited + due against Total', () => {
    fc.assert(
      fc.property(xeroLines, fc.nat(20_000_000), fc.integer({ min: -50_000, max: 50_000 }).filter((d) => d !== 0), (lines, paid, d) => {
        const invoice = xeroInvoice(lines, 'Exclusive', paid, 0, d);
        const list = xeroInvoiceDiscrepancies(invoice, 'NZD', table);
        expect(kinds(list)).toEqual(['SETTLEMENT_VS_TOTAL']);
        expect(cents(list[0].expected)! - cents(list[0].actual)!).toBe(BigInt(d));
      }),
    );
  });

  it('leaves VOIDED invoices and invoices answered without lines alone', () => {
    const voided = XeroInvoiceSchema.parse({ ...xeroInvoice([{ amount: 10_000, tax: 1_500 }], 'Exclusive', 0), Status: 'VOIDED', AmountDue: 0 });
    expect(xeroInvoiceDiscrepancies(voided, 'NZD', table)).toEqual([]);
    const summary = XeroInvoiceSchema.parse({ ...xeroInvoice([{ amount: 10_000, tax: 1_500 }], 'Exclusive', 0, 1), LineItems: [] });
    expect(xeroInvoiceDiscrepancies(summary, 'NZD', table)).toEqual([]);
  });

  it("Xero's own documented examples (the OpenAPI slice, the batch payment seed) add up", () => {
    let invoices = 0;
    let batches = 0;
    for (const { example } of specExamples()) {
      for (const raw of (example.Invoices as unknown[] | undefined) ?? []) {
        const parsed = XeroInvoiceSchema.safeParse(raw);
        if (!parsed.success) continue;
        invoices += 1;
        expect(xeroInvoiceToModel(parsed.data, table).discrepancies).toEqual([]);
      }
      for (const raw of (example.BatchPayments as unknown[] | undefined) ?? []) {
        const parsed = XeroBatchPaymentSchema.safeParse(raw);
        if (!parsed.success) continue;
        batches += 1;
        expect(xeroBatchPaymentToModel(parsed.data, table).discrepancies).toEqual([]);
      }
    }
    expect(invoices).toBeGreaterThanOrEqual(5);
    expect(batches).toBeGreaterThanOrEqual(3);
  });

  it("a batch whose payments do not make its TotalAmount: one PAYMENTS_VS_TOTAL entry; BankAmount across currencies", () => {
    const batch = (total: number, payments: Array<{ Amount: number; BankAmount?: number; currency?: string }>) =>
      XeroBatchPaymentSchema.parse({
        BatchPaymentID: '0b1f0c55-2d3e-4f6a-8b9c-0d1e2f3a4b5c',
        Type: 'PAYBATCH',
        Status: 'AUTHORISED',
        TotalAmount: total,
        Account: { CurrencyCode: 'NZD' },
        Payments: payments.map((p, i) => ({ PaymentID: `p${i}`, Amount: p.Amount, BankAmount: p.BankAmount, Invoice: { CurrencyCode: p.currency ?? 'NZD' } })),
      });
    const [entry] = xeroBatchDiscrepancies(batch(650.01, [{ Amount: 400 }, { Amount: 250 }]), 'NZD', table);
    expect([entry.kind, ...amounts(entry)]).toEqual(['PAYMENTS_VS_TOTAL', '650.00', '650.01', 'NZD']);
    // A payment of a USD invoice counts its BankAmount in the account's NZD.
    expect(xeroBatchDiscrepancies(batch(500, [{ Amount: 100, BankAmount: 165.5, currency: 'USD' }, { Amount: 334.5, BankAmount: 334.5 }]), 'NZD', table)).toEqual([]);
  });
});

// --- Korint ---------------------------------------------------------------------------------------------------------

const centsTotal = fc
  .record({ pre: fc.integer({ min: 0, max: 10_000_000 }), fees: fc.array(fc.nat(500_000), { maxLength: 3 }), taxes: fc.array(fc.nat(500_000), { maxLength: 3 }) })
  .map(
    ({ pre, fees, taxes }): CentsTotal => ({
      pre,
      fees: fees.map((c, i) => ({ id: `f${i}`, chargeType: 'ONE_TIME', cents: c, brokerageFirmId: 'bf' })),
      taxes: taxes.map((c, i) => ({ id: `t${i}`, chargeType: 'ONE_TIME', cents: c })),
    }),
  );

function korint(lines: CentsTotal[], shift: number) {
  const total: CentsTotal = { pre: lines.reduce((s, l) => s + l.pre, 0), fees: lines.flatMap((l) => l.fees), taxes: lines.flatMap((l) => l.taxes) };
  const wire = wireTotal(total);
  const stated = total.pre + total.fees.reduce((s, f) => s + f.cents, 0) + total.taxes.reduce((s, t) => s + t.cents, 0);
  wire.amountWithFeesAndTaxes = centsToNumber(stated + shift);
  return korintInvoiceSchema.parse({
    id: 'kor_prop',
    status: 'ISSUED',
    lines: lines.map((l) => ({ label: 'line', total: wireTotal(l) })),
    components: lines.map((l, i) => ({ type: i === 0 ? 'PREMIUM' : 'PERIL', premium: wireTotal(l) })),
    total: wire,
  });
}

describe('Korint: lines, components, fees and taxes against the total', () => {
  it('property: lines and components that make the total have no discrepancy; a total off by d has one of exactly d', () => {
    fc.assert(
      fc.property(fc.array(centsTotal, { minLength: 1, maxLength: 4 }), fc.integer({ min: -10_000, max: 10_000 }), (lines, d) => {
        const invoice = korintInvoiceToModel(korint(lines, d), { currency: 'EUR', currencies: table });
        // Never negative either way, and a Korint invoice is receivable unless its total is below zero.
        expect(cents(invoice.total)! >= 0n).toBe(true);
        if (d === 0) {
          expect(invoice.discrepancies).toEqual([]);
          return;
        }
        const [entry, ...rest] = invoice.discrepancies;
        expect(rest).toEqual([]);
        expect(entry.kind).toBe('LINES_VS_TOTAL');
        expect(cents(entry.actual)! - cents(entry.expected)!).toBe(BigInt(d));
      }),
    );
  });
});

// --- Laziness ---------------------------------------------------------------------------------------------------------

describe('discrepancies cost nothing unless read', () => {
  it('are computed when first read, not when the invoice is built (a change to the wire before the read shows)', () => {
    const xeroWire = xeroInvoice([{ amount: 10_000, tax: 1_500 }], 'Exclusive', 0);
    const xero = xeroInvoiceToModel(xeroWire, table);
    xeroWire.Total = 115.01;
    expect(kinds(xero.discrepancies)).toEqual(['LINES_VS_TOTAL', 'SETTLEMENT_VS_TOTAL']);

    const korintWire = korint([{ pre: 10_000, fees: [], taxes: [] }], 0);
    const model = korintInvoiceToModel(korintWire, { currency: 'EUR', currencies: table });
    korintWire.total.amountWithFeesAndTaxes = 100.01;
    expect(kinds(model.discrepancies)).toEqual(['LINES_VS_TOTAL']);

    const fragmentWire = fc.sample(fragmentInvoice, { seed: 7, numRuns: 1 })[0];
    const fragment = fragmentInvoiceFromWire(fragmentWire, table, 'fragment');
    fragmentWire.balances[0].payins.expected = String(BigInt(fragmentWire.balances[0].payins.expected) + 1n);
    expect(kinds(fragment.discrepancies)).toContain('LINES_VS_TOTAL');
  });

  it('never fail the invoice: an amount that cannot be read yields no entry', () => {
    // A mismatch in a currency the gateway does not know: it cannot be stated exactly, so it is not stated.
    const wire = fc.sample(fragmentInvoice, { seed: 3, numRuns: 1 })[0];
    for (const line of wire.line_items) line.currency_code = 'XQQ';
    wire.balances[0].currency = 'XQQ';
    wire.balances[0].payins.expected = String(BigInt(wire.balances[0].payins.expected) + 1n);
    const invoice = fragmentInvoiceFromWire(wire, table, 'fragment');
    expect(invoice.discrepancies).toEqual([]);
    expect(() => invoice.total).toThrow(/cannot read/);
  });
});
