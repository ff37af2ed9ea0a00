// JSON bodies whose amounts are JSON numbers written from exact decimal text (`"Amount": 10.50`), never through a
// binary float: `JSON.stringify(10.50)` prints `10.5`, and a float cannot carry every decimal a provider types as a
// number. (JSON.rawJSON does this natively, but only from Node 21.)
import { randomUUID } from 'node:crypto';

const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/** A number to be written into JSON exactly as its decimal text. */
export class ExactDecimal {
  constructor(readonly text: string) {
    if (!DECIMAL.test(text)) throw new Error(`"${text.slice(0, 40)}" is not a JSON decimal number`);
  }
}

/** Marks decimal text (`"10.50"`) to be written as the JSON number `10.50` by stringifyExact. */
export function exactDecimal(text: string): ExactDecimal {
  return new ExactDecimal(text);
}

/** JSON.stringify, except that every ExactDecimal is written as its decimal text, digit for digit. */
export function stringifyExact(value: unknown): string {
  // Each ExactDecimal becomes a token no caller text can contain (a fresh UUID), then the quoted token its digits.
  const nonce = randomUUID();
  const texts: string[] = [];
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof ExactDecimal) {
      texts.push(v.text);
      return `${nonce}:${texts.length - 1}`;
    }
    return v;
  });
  if (json === undefined) throw new Error('nothing to serialise');
  return texts.length === 0 ? json : json.replace(new RegExp(`"${nonce}:(\\d+)"`, 'g'), (_m, index: string) => texts[Number(index)]);
}
