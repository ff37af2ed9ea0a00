// Deriving OPEN / PARTIALLY_PAID / PAID from amounts, for providers whose status says less than their numbers.
import type { Money } from './money.js';
import type { InvoiceStatus } from './model.js';

/** The amounts of one currency that say how far an invoice is paid. */
export interface PaidAmounts {
  expected: Money;
  remaining: Money;
}

/** One side of an invoice (its payins or its payouts in one currency) as integers of one scale. */
export interface SideAmounts {
  expected: bigint;
  remaining: bigint;
}

/**
 * The status of an invoice from each side that expects money (payins and payouts, per currency; sides expecting
 * nothing are left out): PAID when no side has anything left to settle, OPEN when nothing has moved on any side,
 * PARTIALLY_PAID otherwise. A side is settled when nothing remains, or when it was overpaid (its remaining is past zero,
 * the other way from what it expects): an overpaid invoice is PAID, never PARTIALLY_PAID. An invoice with nothing
 * expected is OPEN.
 */
export function statusFromSides(sides: readonly SideAmounts[]): InvoiceStatus {
  let expecting = 0;
  let settled = 0;
  let untouched = 0;
  for (const { expected, remaining } of sides) {
    if (expected === 0n) continue;
    expecting += 1;
    if (remaining === 0n || remaining < 0n !== expected < 0n) settled += 1;
    else if (remaining === expected) untouched += 1;
  }
  if (expecting === 0) return 'OPEN';
  if (settled === expecting) return 'PAID';
  return untouched === expecting ? 'OPEN' : 'PARTIALLY_PAID';
}

/** statusFromSides over Money amounts (each pair in one currency, rescaled to one scale). */
export function statusFromAmounts(amounts: readonly PaidAmounts[]): InvoiceStatus {
  return statusFromSides(
    amounts.map(({ expected, remaining }) => {
      // Both amounts usually carry the currency's decimals: compare coefficients without rescaling them.
      if (expected.decimals === remaining.decimals) return { expected: expected.coefficient, remaining: remaining.coefficient };
      const decimals = Math.max(expected.decimals, remaining.decimals);
      return {
        expected: expected.coefficient * 10n ** BigInt(decimals - expected.decimals),
        remaining: remaining.coefficient * 10n ** BigInt(decimals - remaining.decimals),
      };
    }),
  );
}
