// Where a provider's own numbers do not add up: the common kinds and how an entry is made. Each provider's rules (what
// adds up to what, and what its documentation says is not a mismatch) live beside its mapping; this file only compares.
import { compareMoney, formatAmount, type Money } from './money.js';

/** What was compared: the lines (with fees and taxes) to the total, paid + credited + due to the total, a batch's payments to its total. */
export type DiscrepancyKind = 'LINES_VS_TOTAL' | 'SETTLEMENT_VS_TOTAL' | 'PAYMENTS_VS_TOTAL';

/** One mismatch: `expected` is what the parts add up to, `actual` what the provider states; both exact. */
export interface AmountDiscrepancy {
  kind: DiscrepancyKind;
  expected: Money;
  actual: Money;
  message: string;
}

/** Shown in messages: `12.30 USD`. */
export function moneyText(money: Money): string {
  return `${formatAmount(money)} ${money.currency}`;
}

/**
 * An entry when `parts` (what the parts add up to) differs from `stated` (what the provider says), else null.
 * `partsWhat` and `statedWhat` name both sides in the message (`the line items with their tax`, `Total`).
 */
export function compareAmounts(kind: DiscrepancyKind, parts: Money, stated: Money, partsWhat: string, statedWhat: string): AmountDiscrepancy | null {
  if (parts.currency !== stated.currency || compareMoney(parts, stated) === 0) return null;
  return {
    kind,
    expected: parts,
    actual: stated,
    message: `${partsWhat} add up to ${moneyText(parts)}, but ${statedWhat} is ${moneyText(stated)}`,
  };
}

/**
 * Runs a provider's checks and keeps the first entry of each kind, in the order given. A check that cannot read its
 * values (an unknown currency, a number it cannot carry) yields nothing: a discrepancy never fails the invoice, and the
 * unreadable amount fails its own field.
 */
export function collectDiscrepancies(checks: ReadonlyArray<() => AmountDiscrepancy | null>): AmountDiscrepancy[] {
  const found: AmountDiscrepancy[] = [];
  for (const check of checks) {
    let entry: AmountDiscrepancy | null;
    try {
      entry = check();
    } catch {
      entry = null;
    }
    if (entry && !found.some((seen) => seen.kind === entry.kind)) found.push(entry);
  }
  return found;
}

/**
 * A property computed on first read and kept, defined on an eagerly built model object: the computation costs nothing
 * unless a resolver (or a filter) reads it. Enumerable, so a spread or a plain copy still carries the value.
 */
export function defineLazy<T extends object, K extends string, V>(target: T, key: K, compute: () => V): T & Record<K, V> {
  let value: V | undefined;
  let done = false;
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get() {
      if (!done) {
        value = compute();
        done = true;
      }
      return value;
    },
  });
  return target as T & Record<K, V>;
}
