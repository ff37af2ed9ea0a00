// Builds Xero `where` filters from checked values only: ids must be GUIDs, dates real calendar dates, enums known words.
// Nothing a caller typed is pasted into a filter as is, so no input can change the filter's meaning.
import { AdapterError } from '../kit/errors.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ENUM_WORD = /^[A-Z][A-Z_]*$/;

/** True when `id` has the shape of a Xero id (a GUID); anything else cannot exist at Xero. */
export function isXeroGuid(id: string): boolean {
  return GUID.test(id);
}

/** A Xero id in its one spelling: a GUID in lower case (Xero accepts and answers either case); anything else as it is. */
export function canonicalXeroId(id: string): string {
  return GUID.test(id) ? id.toLowerCase() : id;
}

/** `Field==Guid("a") OR Field==Guid("b")`, for ids already checked with isXeroGuid. */
export function guidEqualsAny(field: 'PaymentID' | 'BatchPaymentID' | 'InvoiceID', ids: readonly string[]): string {
  return ids
    .map((id) => {
      if (!isXeroGuid(id)) throw new RangeError('not a GUID');
      return `${field}==Guid("${id.toLowerCase()}")`;
    })
    .join(' OR ');
}

/** The parts of an ISO date, or a BAD_USER_INPUT error naming the argument. */
export function parseIsoDate(source: string, what: string, value: string): { year: number; month: number; day: number } {
  const match = ISO_DATE.exec(value);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (!match || check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new AdapterError('BAD_USER_INPUT', `${what} must be a date in the form YYYY-MM-DD`, { source });
  }
  return { year, month, day };
}

/** `Field >= DateTime(2024, 01, 31)` (or `<=`). */
export function dateComparison(source: string, field: 'Date', op: '>=' | '<=', isoDate: string, what: string): string {
  const { year, month, day } = parseIsoDate(source, what, isoDate);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${field} ${op} DateTime(${year}, ${pad(month)}, ${pad(day)})`;
}

/** `Field < DateTime(2024, 01, 31, 09, 30, 00)` (or another comparison) at the UTC second of `ms`. */
export function dateTimeComparison(field: 'UpdatedDateUTC', op: '<' | '<=' | '>' | '>=', ms: number): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) throw new RangeError('not an instant');
  const pad = (n: number) => String(n).padStart(2, '0');
  const parts = [date.getUTCFullYear(), pad(date.getUTCMonth() + 1), pad(date.getUTCDate()), pad(date.getUTCHours()), pad(date.getUTCMinutes()), pad(date.getUTCSeconds())];
  return `${field} ${op} DateTime(${parts.join(', ')})`;
}

/** `Field=="WORD"` for an enum value, or BAD_USER_INPUT when the value is not a plain upper-case word. */
export function enumEquals(source: string, field: 'Status' | 'Type', value: string, what: string): string {
  if (!ENUM_WORD.test(value)) throw new AdapterError('BAD_USER_INPUT', `${what} must be an upper-case word such as AUTHORISED`, { source });
  return `${field}=="${value}"`;
}

/** Joins clauses with AND, bracketing those that contain OR. */
export function allOf(clauses: readonly string[]): string | undefined {
  if (clauses.length === 0) return undefined;
  if (clauses.length === 1) return clauses[0];
  return clauses.map((c) => (c.includes(' OR ') ? `(${c})` : c)).join(' AND ');
}
