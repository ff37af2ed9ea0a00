// Deriving OPEN / PARTIALLY_PAID / PAID from amounts, for providers whose status says less than their numbers.
import type { Money } from './money.js';
import type { InvoiceStatus } from './model.js';

/** The amounts of one currency that say how far an invoice is paid. */
export interface PaidAmounts {
  expected: Money;
  remaining: Money;
}

/** The state of one side of an invoice (its payins or its payouts in one currency): the signs of what it expects and of
 * what remains (-1, 0, 1), and whether nothing has moved (remaining equals expected). */
export interface SideState {
  expected: number;
  remaining: number;
  untouched: boolean;
}

const sign = (n: bigint): number => (n < 0n ? -1 : n > 0n ? 1 : 0);

/**
 * The status of an invoice from each side that expects money (payins and payouts, per currency; sides expecting
 * nothing are left out): PAID when no side has anything left to settle, OPEN when nothing has moved on any side,
 * PARTIALLY_PAID otherwise. A side is settled when nothing remains, or when it was overpaid (its remaining is past zero,
 * the other way from what it expects): an overpaid invoice is PAID, never PARTIALLY_PAID. An invoice with nothing
 * expected is OPEN.
 */
export function statusFromSides(sides: readonly SideState[]): InvoiceStatus {
  let expecting = 0;
  let settled = 0;
  let untouched = 0;
  for (const side of sides) {
    if (side.expected === 0) continue;
    expecting += 1;
    if (side.remaining !== side.expected) settled += 1;
    else if (side.untouched) untouched += 1;
  }
  if (expecting === 0) return 'OPEN';
  if (settled === expecting) return 'PAID';
  return untouched === expecting ? 'OPEN' : 'PARTIALLY_PAID';
}

/** A side's state from its amounts as integers of one scale. */
export function sideState(expected: bigint, remaining: bigint): SideState {
  return { expected: sign(expected), remaining: sign(remaining), untouched: expected === remaining };
}

/** statusFromSides over Money amounts (each pair in one currency). */
export function statusFromAmounts(amounts: readonly PaidAmounts[]): InvoiceStatus {
  return statusFromSides(
    amounts.map(({ expected, remaining }) => {
      // Both amounts usually carry the currency's decimals: compare coefficients without rescaling them.
      if (expected.decimals === remaining.decimals) return sideState(expected.coefficient, remaining.coefficient);
      const decimals = Math.max(expected.decimals, remaining.decimals);
      return sideState(
        expected.coefficient * 10n ** BigInt(decimals - expected.decimals),
        remaining.coefficient * 10n ** BigInt(decimals - remaining.decimals),
      );
    }),
  );
}
