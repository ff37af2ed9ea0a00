// One sign convention for every provider: `total` and `amountDue` are never negative, and `direction` says which way
// the money goes. Providers hand in signed net amounts (payins minus payouts); these functions turn them around.
import type { InvoiceDirection } from './model.js';
import type { Money } from './money.js';

/** The direction of a net expected amount: PAYABLE below zero, RECEIVABLE otherwise (a zero net is RECEIVABLE). */
export function directionOfNet(netExpected: Money): InvoiceDirection {
  return netExpected.coefficient < 0n ? 'PAYABLE' : 'RECEIVABLE';
}

/**
 * The direction of an invoice holding several currencies, where nets cannot be added: PAYABLE when no currency's net
 * is above zero and one is below, RECEIVABLE otherwise. `signs` are the nets' signs (-1, 0, 1).
 */
export function directionOfSigns(signs: readonly number[]): InvoiceDirection {
  return signs.some((s) => s < 0) && !signs.some((s) => s > 0) ? 'PAYABLE' : 'RECEIVABLE';
}

/** `|a|`. */
export function absMoney(a: Money): Money {
  return a.coefficient < 0n ? { ...a, coefficient: -a.coefficient } : a;
}

/**
 * What remains owed in the invoice's direction, from the signed net remaining: never negative. An overpaid invoice
 * (money received beyond what was asked) owes nothing: zero here, and the excess stays visible as a negative
 * `remaining` in its balances.
 */
export function dueInDirection(netRemaining: Money, direction: InvoiceDirection): Money {
  const owed = direction === 'RECEIVABLE' ? netRemaining.coefficient : -netRemaining.coefficient;
  // The usual case (a receivable with something or nothing due) is the amount itself: no copy.
  if (owed === netRemaining.coefficient && owed >= 0n) return netRemaining;
  return { ...netRemaining, coefficient: owed > 0n ? owed : 0n };
}
