// A payment's amount against its invoice's currency, for any decimal text: accepted exactly when it is a positive whole
// number of the currency's minor units, and then written at the currency's scale with the same value; never rounded.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Invoice } from '../../adapters/kit/model.js';
import { moneyFromMinorUnits } from '../../adapters/kit/money.js';
import { paymentAmount } from '../../src/payments/payment-amount.js';

const invoiceIn = (currency: string): Invoice =>
  ({ remoteId: 'inv', currency, amountDue: moneyFromMinorUnits('100', currency), total: null }) as unknown as Invoice;

describe('paymentAmount', () => {
  it('refuses 10.505 USD and 1.5 JPY, accepts 10.500 USD as 10.50 and 0.001 KWD as 0.001', () => {
    expect(() => paymentAmount('10.505', invoiceIn('USD'), 'amount', 'xero')).toThrow(/more decimal places than USD has \(2\)/);
    expect(() => paymentAmount('1.5', invoiceIn('JPY'), 'amount', 'xero')).toThrow(/JPY has \(0\)/);
    expect(paymentAmount('10.500', invoiceIn('USD'), 'amount', 'xero')).toBe('10.50');
    expect(paymentAmount('10.5', invoiceIn('USD'), 'amount', 'xero')).toBe('10.50');
    expect(paymentAmount('0.001', invoiceIn('KWD'), 'amount', 'xero')).toBe('0.001');
    expect(() => paymentAmount('0.00', invoiceIn('USD'), 'amount', 'xero')).toThrow(/greater than zero/);
    expect(() => paymentAmount('-1', invoiceIn('USD'), 'amount', 'xero')).toThrow(/greater than zero/);
  });

  it('accepts exactly the whole numbers of minor units, keeping their value', () => {
    const currencies = fc.constantFrom(['USD', 2], ['JPY', 0], ['KWD', 3], ['NZD', 2]) as fc.Arbitrary<[string, number]>;
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 20n }), fc.integer({ min: 0, max: 6 }), currencies, (digits, places, [currency, scale]) => {
        const padded = digits.toString().padStart(places + 1, '0');
        const text = places === 0 ? padded : `${padded.slice(0, -places)}.${padded.slice(-places)}`;
        // Whole minor units: the digits past the currency's scale are all zero.
        const excess = Math.max(0, places - scale);
        const whole = excess === 0 || digits % 10n ** BigInt(excess) === 0n;
        if (!whole) {
          expect(() => paymentAmount(text, invoiceIn(currency), 'amount', 'xero')).toThrow(/never rounded/);
          return;
        }
        const written = paymentAmount(text, invoiceIn(currency), 'amount', 'xero');
        const [, fraction = ''] = written.split('.');
        expect(fraction.length).toBe(scale);
        // Same value: both texts denote the same count of 10^-max units.
        const units = (t: string, at: number) => {
          const [w, f = ''] = t.split('.');
          return BigInt(w + f.padEnd(at, '0'));
        };
        const at = Math.max(places, scale);
        expect(units(written, at)).toBe(units(text, at));
      }),
    );
  });
});
