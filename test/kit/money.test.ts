import { describe, expect, it } from 'vitest';
import {
  CurrencyMismatchError,
  MoneyError,
  addMoney,
  createCurrencyTable,
  formatAmount,
  moneyFromDecimalText,
  moneyFromMinorUnits,
  moneyFromNumber,
  negateMoney,
  subtractMoney,
  sumByCurrency,
  toMinorUnits,
} from '../../adapters/kit/index.js';

const show = (m: ReturnType<typeof moneyFromNumber>) => ({ amount: formatAmount(m), minor: toMinorUnits(m), scale: m.currencyScale });

describe('money from JSON numbers', () => {
  it('reads 19.99 digit by digit, not as 1998.9999999999998 cents', () => {
    expect(19.99 * 100).not.toBe(1999);
    expect(show(moneyFromNumber(19.99, 'USD'))).toEqual({ amount: '19.99', minor: '1999', scale: 2 });
  });

  it('keeps 1.005 exact: three decimals in a two-decimal currency have no whole minor units', () => {
    const m = moneyFromNumber(1.005, 'USD');
    expect(formatAmount(m)).toBe('1.005');
    expect(toMinorUnits(m)).toBeNull();
  });

  it('adds 0.1 and 0.2 to exactly 0.3', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    const sum = addMoney(moneyFromNumber(0.1, 'EUR'), moneyFromNumber(0.2, 'EUR'));
    expect(show(sum)).toEqual({ amount: '0.30', minor: '30', scale: 2 });
  });

  it('refuses the float result 0.1 + 0.2 itself: 17 significant digits cannot be carried exactly', () => {
    expect(() => moneyFromNumber(0.1 + 0.2, 'EUR')).toThrow(MoneyError);
  });

  it('refuses a number with more than 15 significant digits rather than rounding it', () => {
    expect(() => moneyFromNumber(1234567890.1234567, 'USD')).toThrow(/significant digits/);
    expect(() => moneyFromNumber(12345678901234567, 'USD')).toThrow(MoneyError);
    expect(formatAmount(moneyFromNumber(123456789012.345, 'USD'))).toBe('123456789012.345');
  });

  it('reads numbers printed with an exponent', () => {
    expect(formatAmount(moneyFromNumber(1e-7, 'BTC'))).toBe('0.00000010');
    expect(formatAmount(moneyFromNumber(1e21, 'JPY'))).toBe('1000000000000000000000');
  });

  it('handles negative amounts', () => {
    expect(show(moneyFromNumber(-42.5, 'USD'))).toEqual({ amount: '-42.50', minor: '-4250', scale: 2 });
    expect(show(negateMoney(moneyFromNumber(0.05, 'USD')))).toEqual({ amount: '-0.05', minor: '-5', scale: 2 });
    expect(formatAmount(subtractMoney(moneyFromNumber(1, 'USD'), moneyFromNumber(2.5, 'USD')))).toBe('-1.50');
  });

  it('maps 1234567.89 NZD and 1234.56 EUR exactly', () => {
    expect(show(moneyFromNumber(1234567.89, 'NZD'))).toEqual({ amount: '1234567.89', minor: '123456789', scale: 2 });
    expect(show(moneyFromNumber(1234.56, 'EUR'))).toEqual({ amount: '1234.56', minor: '123456', scale: 2 });
  });

  it('refuses NaN and Infinity', () => {
    expect(() => moneyFromNumber(Number.NaN, 'USD')).toThrow(MoneyError);
    expect(() => moneyFromNumber(Number.POSITIVE_INFINITY, 'USD')).toThrow(MoneyError);
  });
});

describe('currency scales', () => {
  it('JPY has no decimals', () => {
    expect(show(moneyFromMinorUnits('1500', 'JPY'))).toEqual({ amount: '1500', minor: '1500', scale: 0 });
    expect(show(moneyFromNumber(1500, 'JPY'))).toEqual({ amount: '1500', minor: '1500', scale: 0 });
  });

  it('KWD has three', () => {
    expect(show(moneyFromMinorUnits('12345', 'KWD'))).toEqual({ amount: '12.345', minor: '12345', scale: 3 });
  });

  it('BTC has eight, from the non-ISO table', () => {
    expect(show(moneyFromMinorUnits('150000000', 'BTC'))).toEqual({ amount: '1.50000000', minor: '150000000', scale: 8 });
    expect(show(moneyFromMinorUnits('1', 'btc'))).toEqual({ amount: '0.00000001', minor: '1', scale: 8 });
  });

  it('knows the non-monetary units and lets settings override a scale', () => {
    expect(moneyFromMinorUnits('7', 'PTS').currencyScale).toBe(0);
    expect(moneyFromMinorUnits('7', 'LOGICAL').currencyScale).toBe(0);
    const table = createCurrencyTable({ PTS: 2 });
    expect(formatAmount(moneyFromMinorUnits('705', 'PTS', table))).toBe('7.05');
  });

  it('refuses an unknown currency and a non-integer minor-unit string', () => {
    expect(() => moneyFromMinorUnits('100', 'ZZZ')).toThrow(/unknown currency/);
    expect(() => moneyFromMinorUnits('12.5', 'USD')).toThrow(MoneyError);
    expect(() => moneyFromMinorUnits('1e3', 'USD')).toThrow(MoneyError);
  });

  it('keeps a 4-decimal unit price exact with null minor units', () => {
    const unit = moneyFromDecimalText('12.3456', 'USD');
    expect(formatAmount(unit)).toBe('12.3456');
    expect(toMinorUnits(unit)).toBeNull();
    expect(toMinorUnits(moneyFromDecimalText('12.3400', 'USD'))).toBe('1234');
  });
});

describe('sums', () => {
  it('refuse to mix currencies', () => {
    expect(() => addMoney(moneyFromNumber(1, 'USD'), moneyFromNumber(1, 'EUR'))).toThrow(CurrencyMismatchError);
  });

  it('sum per currency, exactly, sorted by code', () => {
    const totals = sumByCurrency([
      moneyFromNumber(19.99, 'USD'),
      moneyFromMinorUnits('1', 'USD'),
      moneyFromNumber(0.1, 'EUR'),
      moneyFromNumber(0.2, 'EUR'),
      moneyFromMinorUnits('100', 'JPY'),
    ]);
    expect(totals.map((m) => `${formatAmount(m)} ${m.currency}`)).toEqual(['0.30 EUR', '100 JPY', '20.00 USD']);
  });
});
