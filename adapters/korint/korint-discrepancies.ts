// Where a Korint invoice's own numbers do not add up. A Korint amount is taken apart as amountPreFeesAndTaxes + fees
// (totalFees) = amountWithFeesPreTaxes, + taxes (totalTaxes) = amountWithFeesAndTaxes; the invoice's lines, and its
// components, each carry such a breakdown and together make the invoice's total. Compared, in this order (the first
// mismatch is the entry): the lines with their fees and taxes, then the components with theirs, against the total;
// then the total's own parts (pre-fee amount, each fee, each tax) against its amountWithFeesAndTaxes.
import type { CurrencyTable } from '../kit/currencies.js';
import { collectDiscrepancies, compareAmounts, type AmountDiscrepancy } from '../kit/discrepancy.js';
import { addMoney, moneyFromNumber, type Money } from '../kit/money.js';
import type { KorintInvoice, KorintTotal } from './wire.js';

/** What a breakdown's parts add up to: the pre-fee amount, each fee and each tax (the totals when the lists are absent). */
function partsOf(total: KorintTotal, money: (value: number) => Money): Money {
  const fees = total.fees ? total.fees.reduce((sum, fee) => addMoney(sum, money(fee.amount)), money(0)) : money(total.totalFees);
  const taxes = total.taxes ? total.taxes.reduce((sum, tax) => addMoney(sum, money(tax.amount)), money(0)) : money(total.totalTaxes);
  return addMoney(addMoney(money(total.amountPreFeesAndTaxes), fees), taxes);
}

/** The sum of the parts of several breakdowns, or null when one is missing (nothing to compare). */
function sumOfParts(totals: ReadonlyArray<KorintTotal | null | undefined>, money: (value: number) => Money): Money | null {
  if (totals.length === 0) return null;
  let sum = money(0);
  for (const total of totals) {
    if (!total) return null;
    sum = addMoney(sum, partsOf(total, money));
  }
  return sum;
}

/** The discrepancies of one validated Korint invoice, its amounts in `currency`. */
export function korintDiscrepancies(invoice: KorintInvoice, currency: string, table: CurrencyTable): AmountDiscrepancy[] {
  const money = (value: number): Money => moneyFromNumber(value, currency, table);
  const stated = () => money(invoice.total.amountWithFeesAndTaxes);
  const against = (parts: Money | null, what: string) =>
    parts && compareAmounts('LINES_VS_TOTAL', parts, stated(), what, 'the total (amountWithFeesAndTaxes)');
  return collectDiscrepancies([
    () =>
      against(sumOfParts((invoice.lines ?? []).map((line) => line.total), money), 'the lines with their fees and taxes') ??
      against(sumOfParts((invoice.components ?? []).map((c) => c.premium), money), 'the components with their fees and taxes') ??
      against(partsOf(invoice.total, money), "the total's pre-fee amount, fees and taxes"),
  ]);
}
