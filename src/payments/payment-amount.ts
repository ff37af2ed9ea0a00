// A payment's amount, checked against the currency of the invoice it pays: exact, greater than zero, and a whole number of
// the currency's minor units (10.505 USD is refused, never rounded). The currency comes from the invoice itself, read
// through the request's loaders, so a payment costs no call of its own to check and the check uses the scale the
// source's adapter reads that invoice with (its currency table, overrides included).
import { defaultCurrencies, type CurrencyTable } from '../../adapters/kit/currencies.js';
import type { Invoice } from '../../adapters/kit/model.js';
import { formatAmount, moneyFromDecimalText, moneyFromMinorUnits, toMinorUnits, type Money } from '../../adapters/kit/money.js';
import { userError } from '../errors.js';

/** The scale (decimal places) of `invoice`'s currency, as its source reads it. */
function scaleOf(invoice: Invoice): number | undefined {
  const money: Money | null = invoice.amountDue ?? invoice.total;
  return money?.currencyScale ?? defaultCurrencies.scaleOf(invoice.currency ?? '');
}

/**
 * The amount as exact decimal text at the currency's scale (`"10.5"` USD -> `"10.50"`), so the same payment always
 * sends the same body; BAD_USER_INPUT naming `argument` for an amount the currency cannot carry or that is not positive.
 */
export function paymentAmount(amount: string, invoice: Invoice, argument: string, source: string): string {
  const currency = invoice.currency;
  const scale = scaleOf(invoice);
  if (!currency || scale === undefined) {
    throw userError('BAD_USER_INPUT', `${argument}: the invoice names no currency the gateway knows, so no amount can be checked`, { source });
  }
  // The invoice's own scale: its source may override the ISO one.
  const table: CurrencyTable = { scaleOf: () => scale };
  let money: Money;
  try {
    money = moneyFromDecimalText(amount, currency, table);
  } catch {
    throw userError('BAD_USER_INPUT', `${argument} "${amount.slice(0, 40)}" is not a decimal amount`, { source });
  }
  if (money.coefficient <= 0n) throw userError('BAD_USER_INPUT', `${argument} must be greater than zero`, { source });
  const minor = toMinorUnits(money);
  if (minor === null) {
    throw userError(
      'BAD_USER_INPUT',
      `${argument} ${amount.slice(0, 40)} has more decimal places than ${currency} has (${scale}); amounts are never rounded`,
      { source },
    );
  }
  return formatAmount(moneyFromMinorUnits(minor, currency, table));
}
