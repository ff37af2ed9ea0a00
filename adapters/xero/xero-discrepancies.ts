// Where a Xero invoice's or batch payment's own numbers do not add up, by Xero's documented rules:
// - `LineAmountTypes` says how line amounts relate to tax. Exclusive (Xero's default): the lines' LineAmount add up to
//   SubTotal, and with their TaxAmount (TotalTax) to Total. Inclusive: the lines already hold their tax and add up to
//   Total (SubTotal = Total - TotalTax). NoTax: the lines add up to Total. LineAmount already carries a line's discount.
// - AmountPaid + AmountCredited + AmountDue = Total (credit notes, prepayments and overpayments are in AmountCredited);
//   not checked for a VOIDED or DELETED invoice, which asks for nothing any more.
// - A batch payment's TotalAmount is the sum of its payments (in the bank account's currency: BankAmount when a payment
//   settles an invoice in another currency).
// An invoice answered without its lines (Xero leaves them out of unpaged lists) has nothing to compare them with.
import type { CurrencyTable } from '../kit/currencies.js';
import { collectDiscrepancies, compareAmounts, type AmountDiscrepancy } from '../kit/discrepancy.js';
import { addMoney, moneyFromNumber, zeroMoney, type Money } from '../kit/money.js';
import type { XeroBatchPayment, XeroInvoice } from './wire.js';

function sum(values: ReadonlyArray<number | null | undefined>, currency: string, table: CurrencyTable): Money | null {
  let total = zeroMoney(currency, table);
  for (const value of values) {
    if (value === null || value === undefined) return null;
    total = addMoney(total, moneyFromNumber(value, currency, table));
  }
  return total;
}

const money = (value: number | null | undefined, currency: string, table: CurrencyTable): Money | null =>
  value === null || value === undefined ? null : moneyFromNumber(value, currency, table);

/** The lines (with their tax, by LineAmountTypes) against Total, then SubTotal, then TotalTax. */
function linesVsTotal(invoice: XeroInvoice, currency: string, table: CurrencyTable): AmountDiscrepancy | null {
  const lines = invoice.LineItems ?? [];
  const total = money(invoice.Total, currency, table);
  if (lines.length === 0 || !total) return null;
  const lineAmounts = sum(lines.map((line) => line.LineAmount), currency, table);
  if (!lineAmounts) return null;
  const subTotal = money(invoice.SubTotal, currency, table);
  const totalTax = money(invoice.TotalTax, currency, table);
  const kind = (invoice.LineAmountTypes ?? 'Exclusive').toUpperCase();
  if (kind === 'EXCLUSIVE') {
    // The lines' own tax when every line states it, else the invoice's TotalTax.
    const lineTax = sum(lines.map((line) => line.TaxAmount), currency, table);
    const tax = lineTax ?? totalTax;
    if (!tax) return null;
    return (
      compareAmounts('LINES_VS_TOTAL', addMoney(lineAmounts, tax), total, 'the line items with their tax (tax exclusive)', 'Total') ??
      (subTotal && compareAmounts('LINES_VS_TOTAL', lineAmounts, subTotal, 'the line items (tax exclusive)', 'SubTotal')) ??
      (lineTax && totalTax && compareAmounts('LINES_VS_TOTAL', lineTax, totalTax, "the line items' tax", 'TotalTax'))
    );
  }
  if (kind === 'INCLUSIVE' || kind === 'NOTAX') {
    const what = kind === 'INCLUSIVE' ? 'the line items (tax inclusive)' : 'the line items (no tax)';
    return (
      compareAmounts('LINES_VS_TOTAL', lineAmounts, total, what, 'Total') ??
      (subTotal && totalTax && compareAmounts('LINES_VS_TOTAL', addMoney(subTotal, totalTax), total, 'SubTotal and TotalTax', 'Total'))
    );
  }
  // A LineAmountTypes Xero has not documented: its rule is unknown, so nothing is claimed.
  return null;
}

/** AmountPaid + AmountCredited + AmountDue against Total. */
function settlementVsTotal(invoice: XeroInvoice, currency: string, table: CurrencyTable): AmountDiscrepancy | null {
  const status = invoice.Status.toUpperCase();
  if (status === 'VOIDED' || status === 'DELETED') return null;
  const total = money(invoice.Total, currency, table);
  const due = money(invoice.AmountDue, currency, table);
  if (!total || !due) return null;
  const zero = zeroMoney(currency, table);
  const settled = addMoney(addMoney(money(invoice.AmountPaid, currency, table) ?? zero, money(invoice.AmountCredited, currency, table) ?? zero), due);
  return compareAmounts('SETTLEMENT_VS_TOTAL', settled, total, 'AmountPaid, AmountCredited and AmountDue', 'Total');
}

/** The discrepancies of one parsed Xero invoice (ACCREC or ACCPAY) in `currency`. */
export function xeroInvoiceDiscrepancies(invoice: XeroInvoice, currency: string, table: CurrencyTable): AmountDiscrepancy[] {
  return collectDiscrepancies([() => linesVsTotal(invoice, currency, table), () => settlementVsTotal(invoice, currency, table)]);
}

/** A batch payment's payments against its TotalAmount, in the batch's (bank account's) currency. */
export function xeroBatchDiscrepancies(batch: XeroBatchPayment, currency: string, table: CurrencyTable): AmountDiscrepancy[] {
  return collectDiscrepancies([
    () => {
      const payments = batch.Payments ?? [];
      if (batch.TotalAmount == null || payments.length === 0) return null;
      const total = moneyFromNumber(batch.TotalAmount, currency, table);
      const sameCurrency = payments.every((p) => (p.Invoice?.CurrencyCode ?? currency).toUpperCase() === currency);
      // A payment of an invoice in another currency counts its BankAmount (in the account's currency).
      const amounts = payments.map((p) => (sameCurrency ? p.Amount : p.BankAmount));
      const parts = sum(amounts, currency, table);
      return parts && compareAmounts('PAYMENTS_VS_TOTAL', parts, total, 'the payments', 'TotalAmount');
    },
  ]);
}
