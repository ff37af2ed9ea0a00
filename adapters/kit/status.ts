// Deriving OPEN / PARTIALLY_PAID / PAID from amounts, for providers whose status says less than their numbers.
import type { Money } from './money.js';
import { isZeroMoney } from './money.js';
import type { InvoiceStatus } from './model.js';

/** The amounts of one currency that say how far an invoice is paid. */
export interface PaidAmounts {
  expected: Money;
  remaining: Money;
}

/**
 * PAID when nothing remains in any currency, OPEN when everything expected still remains, PARTIALLY_PAID otherwise.
 * An invoice with nothing expected is OPEN.
 */
export function statusFromAmounts(amounts: readonly PaidAmounts[]): InvoiceStatus {
  const expecting = amounts.filter((a) => !isZeroMoney(a.expected));
  if (expecting.length === 0) return 'OPEN';
  if (expecting.every((a) => isZeroMoney(a.remaining))) return 'PAID';
  const untouched = expecting.every((a) =>
    // Both amounts usually carry the currency's decimals: compare coefficients without rescaling them.
    a.remaining.decimals === a.expected.decimals
      ? a.remaining.coefficient === a.expected.coefficient
      : a.remaining.coefficient * 10n ** BigInt(a.expected.decimals) === a.expected.coefficient * 10n ** BigInt(a.remaining.decimals),
  );
  return untouched ? 'OPEN' : 'PARTIALLY_PAID';
}
