// Where a Fragment invoice's own numbers do not add up. Fragment derives each balance from the invoice's line items
// (per currency, payin lines make the payins' expected amount, payout lines the payouts') and from its payments
// (actual), with remaining = expected - actual. Checked on the wire's integer amounts, in minor units: nothing is built
// unless an entry is made.
import type { CurrencyTable } from '../kit/currencies.js';
import { collectDiscrepancies, compareAmounts, type AmountDiscrepancy } from '../kit/discrepancy.js';
import { moneyFromMinorUnits } from '../kit/money.js';
import { fragmentField, fragmentList, fragmentText, type FragmentWireObject } from './wire.js';

type Side = 'payins' | 'payouts';
const SIDES: readonly Side[] = ['payins', 'payouts'];
const SIDE_OF_TYPE: Readonly<Record<string, Side>> = { payin: 'payins', payout: 'payouts' };

/** Per currency and side, what the line items add up to; undefined when a line's direction is not known. */
function lineSums(lines: readonly FragmentWireObject[]): Map<string, Record<Side, bigint>> | undefined {
  const sums = new Map<string, Record<Side, bigint>>();
  for (const line of lines) {
    const side = SIDE_OF_TYPE[String(line.type)];
    const currency = fragmentText(line, 'currency_code');
    if (!side || !currency) return undefined;
    const code = currency.toUpperCase();
    let sum = sums.get(code);
    if (!sum) sums.set(code, (sum = { payins: 0n, payouts: 0n }));
    sum[side] += BigInt(line.amount as string);
  }
  return sums;
}

const amountOf = (balance: FragmentWireObject | undefined, side: Side, field: string): bigint =>
  balance ? BigInt((balance[side] as FragmentWireObject)[field] as string) : 0n;

/** The line items of each side against the balance's expected amount, currency by currency. */
function linesVsBalances(wire: FragmentWireObject, table: CurrencyTable): AmountDiscrepancy | null {
  // An answer without line items (or balances) says nothing about them: there is nothing to compare.
  if (fragmentField(wire, 'line_items') == null || fragmentField(wire, 'balances') == null) return null;
  const sums = lineSums(fragmentList(wire, 'line_items'));
  if (!sums) return null;
  const balances = new Map(fragmentList(wire, 'balances').map((b) => [(b.currency as string).toUpperCase(), b]));
  const currencies = [...new Set([...balances.keys(), ...sums.keys()])];
  for (const currency of currencies) {
    const balance = balances.get(currency);
    for (const side of SIDES) {
      const parts = sums.get(currency)?.[side] ?? 0n;
      const stated = amountOf(balance, side, 'expected');
      if (parts === stated) continue;
      const money = (minor: bigint) => moneyFromMinorUnits(minor.toString(), currency, table);
      const kind = side === 'payins' ? 'payin' : 'payout';
      return compareAmounts('LINES_VS_TOTAL', money(parts), money(stated), `the ${kind} line items in ${currency}`, `the ${side}' expected balance`);
    }
  }
  return null;
}

/** Each side's actual and remaining amounts against its expected amount. */
function settlementVsExpected(wire: FragmentWireObject, table: CurrencyTable): AmountDiscrepancy | null {
  for (const balance of fragmentList(wire, 'balances')) {
    const currency = (balance.currency as string).toUpperCase();
    for (const side of SIDES) {
      const parts = amountOf(balance, side, 'actual') + amountOf(balance, side, 'remaining');
      const stated = amountOf(balance, side, 'expected');
      if (parts === stated) continue;
      const money = (minor: bigint) => moneyFromMinorUnits(minor.toString(), currency, table);
      return compareAmounts('SETTLEMENT_VS_TOTAL', money(parts), money(stated), `the ${side}' actual and remaining amounts in ${currency}`, `their expected amount`);
    }
  }
  return null;
}

/** The discrepancies of one checked Fragment invoice (wire amounts are integer text: checkFragmentInvoice). */
export function fragmentDiscrepancies(wire: FragmentWireObject, table: CurrencyTable): AmountDiscrepancy[] {
  return collectDiscrepancies([() => linesVsBalances(wire, table), () => settlementVsExpected(wire, table)]);
}
