// Exact money: an integer coefficient with a number of decimals, never a binary float.
import type { CurrencyTable } from './currencies.js';
import { defaultCurrencies } from './currencies.js';

/** An exact amount: `coefficient / 10^decimals` in `currency`, whose smallest unit has `currencyScale` decimals. */
export interface Money {
  readonly coefficient: bigint;
  readonly decimals: number;
  readonly currency: string;
  readonly currencyScale: number;
}

/** Thrown when an amount cannot be carried exactly or is not a valid amount. */
export class MoneyError extends Error {
  override name = 'MoneyError';
}

/** Thrown when amounts of two currencies are combined. */
export class CurrencyMismatchError extends MoneyError {
  override name = 'CurrencyMismatchError';
}

const DECIMAL_TEXT = /^([+-])?(\d+)(?:\.(\d+))?$/;
const INTEGER_TEXT = /^[+-]?\d+$/;
/** Doubles carry any decimal of at most 15 significant digits exactly through their shortest text. */
const MAX_EXACT_DIGITS = 15;

function scaleOf(currency: string, table: CurrencyTable): number {
  const scale = table.scaleOf(currency);
  if (scale === undefined) throw new MoneyError(`unknown currency code "${currency}"`);
  return scale;
}

/** Money from an integer string in the currency's smallest unit (Fragment's `"1000"` = 10.00 USD). */
export function moneyFromMinorUnits(text: string, currency: string, table: CurrencyTable = defaultCurrencies): Money {
  if (typeof text !== 'string' || !INTEGER_TEXT.test(text)) {
    throw new MoneyError(`"${String(text)}" is not an integer amount in minor units`);
  }
  const code = currency.toUpperCase();
  const scale = scaleOf(code, table);
  return { coefficient: BigInt(text), decimals: scale, currency: code, currencyScale: scale };
}

/** Money from a decimal in major units, as text (`"12.34"`). */
export function moneyFromDecimalText(text: string, currency: string, table: CurrencyTable = defaultCurrencies): Money {
  const match = DECIMAL_TEXT.exec(text);
  if (!match) throw new MoneyError(`"${text}" is not a decimal amount`);
  const [, sign, whole, fraction = ''] = match;
  const code = currency.toUpperCase();
  const coefficient = BigInt(`${sign === '-' ? '-' : ''}${whole}${fraction}`);
  return { coefficient, decimals: fraction.length, currency: code, currencyScale: scaleOf(code, table) };
}

/** Expands `1.5e-7` / `1e+21` (what `String(n)` may print) into plain decimal text. */
function expandExponent(text: string): string {
  const match = /^(-)?(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign = '', whole, fraction = '', exponentText] = match;
  const digits = whole + fraction;
  const point = whole.length + Number(exponentText);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function significantDigits(text: string): number {
  const digits = text.replace(/[-+.]/g, '').replace(/^0+/, '').replace(/0+$/, '');
  return digits.length;
}

/**
 * Money from a JSON number in major units (Xero, Korint). The number's shortest decimal text is read digit by digit;
 * a number with more significant digits than a double carries exactly is refused rather than rounded.
 */
export function moneyFromNumber(value: number, currency: string, table: CurrencyTable = defaultCurrencies): Money {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new MoneyError(`${String(value)} is not a finite amount`);
  }
  const text = expandExponent(String(value));
  if (significantDigits(text) > MAX_EXACT_DIGITS) {
    throw new MoneyError(`${String(value)} has more than ${MAX_EXACT_DIGITS} significant digits and cannot be carried exactly`);
  }
  return moneyFromDecimalText(text, currency, table);
}

/** Powers of ten up to 10^36, computed once: formatting an amount should not exponentiate a BigInt. */
const POWERS_OF_TEN: readonly bigint[] = Array.from({ length: 37 }, (_, n) => 10n ** BigInt(n));

function pow10(n: number): bigint {
  return POWERS_OF_TEN[n] ?? 10n ** BigInt(n);
}

function rescale(money: Money, decimals: number): bigint {
  return decimals === money.decimals ? money.coefficient : money.coefficient * pow10(decimals - money.decimals);
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new CurrencyMismatchError(`cannot combine ${a.currency} with ${b.currency}`);
  }
}

/** `a + b`; refuses to mix currencies. */
export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  const decimals = Math.max(a.decimals, b.decimals);
  return { ...a, coefficient: rescale(a, decimals) + rescale(b, decimals), decimals };
}

/** `a - b`; refuses to mix currencies. */
export function subtractMoney(a: Money, b: Money): Money {
  return addMoney(a, negateMoney(b));
}

/** `-a`. */
export function negateMoney(a: Money): Money {
  return { ...a, coefficient: -a.coefficient };
}

/** Zero in `currency`. */
export function zeroMoney(currency: string, table: CurrencyTable = defaultCurrencies): Money {
  const code = currency.toUpperCase();
  const scale = scaleOf(code, table);
  return { coefficient: 0n, decimals: scale, currency: code, currencyScale: scale };
}

/** Compares two amounts of one currency: negative, zero or positive. */
export function compareMoney(a: Money, b: Money): number {
  assertSameCurrency(a, b);
  const decimals = Math.max(a.decimals, b.decimals);
  const diff = rescale(a, decimals) - rescale(b, decimals);
  return diff === 0n ? 0 : diff < 0n ? -1 : 1;
}

/** True when the amount is zero. */
export function isZeroMoney(a: Money): boolean {
  return a.coefficient === 0n;
}

/** Sums amounts per currency; the result holds one amount per currency, sorted by currency code. */
export function sumByCurrency(amounts: Iterable<Money>): Money[] {
  const totals = new Map<string, Money>();
  for (const amount of amounts) {
    const seen = totals.get(amount.currency);
    totals.set(amount.currency, seen ? addMoney(seen, amount) : amount);
  }
  return [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/** The exact decimal text in major units, with at least the currency's decimals (`"12.30"`, `"1500"` for JPY). */
export function formatAmount(money: Money): string {
  const decimals = Math.max(money.decimals, money.currencyScale);
  const coefficient = rescale(money, decimals);
  const negative = coefficient < 0n;
  const digits = (negative ? -coefficient : coefficient).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals);
  return `${negative ? '-' : ''}${whole}${decimals > 0 ? `.${fraction}` : ''}`;
}

/** The amount as an integer count of the currency's smallest unit, or null when it is not a whole number of them. */
export function toMinorUnits(money: Money): string | null {
  if (money.decimals <= money.currencyScale) return rescale(money, money.currencyScale).toString();
  const divisor = pow10(money.decimals - money.currencyScale);
  if (money.coefficient % divisor !== 0n) return null;
  return (money.coefficient / divisor).toString();
}
