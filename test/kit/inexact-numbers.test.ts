// JSON numbers a double cannot carry are marked before parsing, never rounded: what JSON.parse alone would accept
// silently (`100.000000000000001` -> 100) becomes a marker no amount schema accepts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INEXACT_NUMBER_KEY, exactNumber, isInexactNumberMarker, markInexactNumbers } from '../../adapters/kit/inexact-numbers.js';

const parse = (text: string) => JSON.parse(markInexactNumbers(text)) as Record<string, unknown>;

describe('markInexactNumbers', () => {
  it('marks the number JSON.parse would round, and leaves its neighbours as they were', () => {
    const text = '{"Total":100.000000000000001,"SubTotal":86.96,"Id":"3d4f"}';
    expect(JSON.parse(text).Total).toBe(100); // what the gateway used to accept
    const parsed = parse(text);
    expect(parsed.Total).toEqual({ [INEXACT_NUMBER_KEY]: '100.000000000000001' });
    expect(parsed.SubTotal).toBe(86.96);
    expect(parsed.Id).toBe('3d4f');
  });

  it('marks integers past 2^53, long fractions and exponent forms; keeps 15 significant digits and zeros', () => {
    const parsed = parse(
      '[12345678901234567, 0.1234567890123456, 1.2345678901234567e3, 123456789012345, 0.000000000000000001, 100.000000000000000, -999999999999999.9]',
    ) as unknown as unknown[];
    expect(parsed.map((value) => isInexactNumberMarker(value))).toEqual([true, true, true, false, false, false, true]);
    expect(parsed[3]).toBe(123456789012345);
    expect(parsed[5]).toBe(100);
  });

  it('never touches digits inside strings: Fragment minor units, Xero dates, escaped quotes', () => {
    const text = String.raw`{"amount":"1000000000000000000000","Date":"/Date(1511827200000+0000)/","note":"a \": 12345678901234567890, b","n":1}`;
    expect(markInexactNumbers(text)).toBe(text);
    expect(parse(text).note).toBe('a ": 12345678901234567890, b');
  });

  it('property: a number of at most 15 significant digits is never marked and parses to itself', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }), fc.integer({ min: 0, max: 10 }), (coefficient, decimals) => {
        const digits = (coefficient < 0n ? -coefficient : coefficient).toString().padStart(decimals + 1, '0');
        const text = `${coefficient < 0n ? '-' : ''}${decimals ? `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}` : digits}`;
        const json = `{"a":"x","v":${text},"w":[${text}]}`;
        expect(markInexactNumbers(json)).toBe(json);
      }),
    );
  });

  it('property: a number with more than 15 significant digits is always marked, with its exact text', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 10n ** 15n, max: 10n ** 30n }), fc.integer({ min: 0, max: 12 }), fc.boolean(), (coefficient, decimals, negative) => {
        // Trailing zeros do not count: make the last digit non-zero.
        const c = coefficient - (coefficient % 10n) + 7n;
        const digits = c.toString().padStart(decimals + 1, '0');
        const text = `${negative ? '-' : ''}${decimals ? `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}` : digits}`;
        const parsed = parse(`{"v": ${text}, "s": "${text}"}`);
        expect(parsed.v).toEqual({ [INEXACT_NUMBER_KEY]: text });
        expect(parsed.s).toBe(text);
      }),
    );
  });

  it('an amount schema refuses the marker with a message that says why', () => {
    const result = exactNumber().safeParse({ [INEXACT_NUMBER_KEY]: '100.000000000000001' });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].message).toMatch(/more than 15 significant digits.*not rounded/);
    expect(exactNumber().safeParse(86.96).data).toBe(86.96);
  });
});
