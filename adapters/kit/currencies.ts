// How many decimals each currency has: ISO 4217 from the maintained `currency-codes` data, plus the crypto and
// non-monetary units Fragment accepts, which ISO does not list.
import currencyCodes from 'currency-codes';

/** Scales of the non-ISO units Fragment accepts (as published in Fragment's currency list). */
export const NON_ISO_SCALES: Readonly<Record<string, number>> = {
  ADA: 6,
  BTC: 8,
  BCH: 8,
  LTC: 8,
  DAI: 18,
  ETH: 18,
  AAVE: 18,
  LINK: 18,
  UNI: 18,
  MATIC: 18,
  SOL: 9,
  XLM: 7,
  USDC: 6,
  USDT: 6,
  USDG: 6,
  EURC: 6,
  CADC: 6,
  CADT: 6,
  LOGICAL: 0,
  CUSTOM: 0,
  PTS: 0,
  // Territory currencies Fragment lists that ISO 4217 does not: pegged to sterling / the Australian dollar.
  GGP: 2,
  IMP: 2,
  TVD: 2,
  SPL: 2,
  // Withdrawn ISO codes Fragment still accepts.
  BYR: 0,
  VEF: 2,
  HRK: 2,
  SLL: 2,
};

export interface CurrencyTable {
  /** The number of decimals of `code`, or undefined for a code nobody knows. */
  scaleOf(code: string): number | undefined;
}

/** ISO 4217 scales by code, built once: `currencyCodes.code()` scans its whole list on every call. */
const ISO_SCALES: ReadonlyMap<string, number> = new Map(currencyCodes.data.map((entry) => [entry.code, entry.digits]));

/** A currency table: settings overrides first, then the non-ISO table, then ISO 4217; one Map lookup per code. */
export function createCurrencyTable(overrides: Readonly<Record<string, number>> = {}): CurrencyTable {
  const scales = new Map<string, number>(ISO_SCALES);
  for (const [code, scale] of Object.entries(NON_ISO_SCALES)) scales.set(code, scale);
  for (const [code, scale] of Object.entries(overrides)) scales.set(code.toUpperCase(), scale);
  return {
    scaleOf(code) {
      // Codes arrive upper-case from every provider; only a miss pays for the case folding.
      return scales.get(code) ?? scales.get(code.toUpperCase());
    },
  };
}

/** The default table, with no overrides. */
export const defaultCurrencies: CurrencyTable = createCurrencyTable();
