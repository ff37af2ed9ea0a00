// JSON numbers a double cannot carry. `JSON.parse` rounds `100.000000000000001` to `100` without a word, and the money
// functions would then accept the rounded value. Before a provider's JSON is parsed, its text is scanned for number
// tokens with more significant digits than a double carries exactly (15); each one is replaced by a marker object,
// `{"$inexactNumber":"<the digits>"}`, which no amount schema accepts: the item holding it fails with
// UPSTREAM_BAD_RESPONSE naming the field, and nothing is rounded.
//
// Cost: one regular-expression test over the text finds whether any number token of 16 or more digits follows a `:`,
// `,` or `[` (a string value starts with a quote, so ids, dates and minor-unit strings never match). Only then is the
// text walked token by token, to tell numbers from look-alikes inside strings. A lossless parser (lossless-json) would
// parse every body a second, slower way; this regex pass costs a fraction of JSON.parse (`npm run bench:json`), and a
// provider whose amounts are never JSON numbers (Fragment: strings of minor units) skips it (HttpClientOptions).
import { z } from 'zod';

/** The key of the object that stands in for a number a double cannot carry. */
export const INEXACT_NUMBER_KEY = '$inexactNumber';

/** Doubles carry any decimal of at most 15 significant digits exactly. */
const MAX_EXACT_DIGITS = 15;

/** A number token of 16+ digit-or-dot characters where a JSON value starts: the only texts that may need the walk. */
const CANDIDATE = /[:,[]\s*-?\d[\d.]{15}/;

function significantDigits(token: string): number {
  let end = token.length;
  for (let i = 0; i < token.length; i += 1) {
    const c = token.charCodeAt(i);
    if (c === 101 || c === 69) {
      end = i;
      break;
    }
  }
  let first = -1;
  let last = -1;
  let count = 0;
  // Digits from the first non-zero to the last non-zero, the decimal point not counted.
  for (let i = 0; i < end; i += 1) {
    const c = token.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    if (c !== 48) {
      if (first < 0) first = count;
      last = count;
    }
    count += 1;
  }
  return first < 0 ? 0 : last - first + 1;
}

const isNumberChar = (c: number): boolean => (c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45;

/** Where the string starting at the quote `open` ends (the index after its closing quote). */
function endOfString(text: string, open: number): number {
  let at = open + 1;
  for (;;) {
    const quote = text.indexOf('"', at);
    if (quote < 0) return text.length;
    let slashes = 0;
    for (let k = quote - 1; k > open && text.charCodeAt(k) === 92; k -= 1) slashes += 1;
    if (slashes % 2 === 0) return quote + 1;
    at = quote + 1;
  }
}

/**
 * The JSON text with every number token that has more significant digits than a double carries replaced by
 * `{"$inexactNumber":"<token>"}`; the same string when there is none (the usual case, found by one regex test).
 */
export function markInexactNumbers(text: string): string {
  if (!CANDIDATE.test(text)) return text;
  const parts: string[] = [];
  let copied = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i = endOfString(text, i);
      continue;
    }
    // Outside strings, only a number starts with a digit or a minus sign.
    if (c === 45 || (c >= 48 && c <= 57)) {
      let j = i + 1;
      while (j < n && isNumberChar(text.charCodeAt(j))) j += 1;
      if (j - i > MAX_EXACT_DIGITS) {
        const token = text.slice(i, j);
        if (significantDigits(token) > MAX_EXACT_DIGITS) {
          parts.push(text.slice(copied, i), `{"${INEXACT_NUMBER_KEY}":"${token}"}`);
          copied = j;
        }
      }
      i = j;
      continue;
    }
    i += 1;
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

/** True for the marker that stands in for a number a double cannot carry. */
export function isInexactNumberMarker(value: unknown): value is { [INEXACT_NUMBER_KEY]: string } {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[INEXACT_NUMBER_KEY] === 'string';
}

/** A JSON number in a wire schema, whose error says so when the provider sent more digits than a double carries. */
export function exactNumber() {
  return z.number({
    error: (issue) =>
      isInexactNumberMarker(issue.input)
        ? `a number with more than ${MAX_EXACT_DIGITS} significant digits, which cannot be carried exactly (refused, not rounded)`
        : undefined,
  });
}
