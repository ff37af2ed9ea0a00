// Xero's dates: Microsoft JSON dates (`/Date(1511827200000+0000)/`: milliseconds since the epoch, in UTC, with the
// organisation's offset as a hint), twinned by a zone-less string (`2017-11-28T00:00:00`) that Xero means as UTC.
const MS_DATE = /^\/Date\((-?\d+)([+-])?(\d{2})?(\d{2})?\)\/$/;
const ZONELESS = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

interface ParsedDate {
  /** The instant, epoch ms. */
  ms: number;
  /** The offset east of UTC the provider stated, in minutes (0 when none). */
  offsetMinutes: number;
}

function parse(value: string | null | undefined): ParsedDate | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  const ms = MS_DATE.exec(trimmed);
  if (ms) {
    const [, epoch, sign, hours = '00', minutes = '00'] = ms;
    const offset = sign ? (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) : 0;
    return { ms: Number(epoch), offsetMinutes: offset };
  }
  const zoneless = ZONELESS.exec(trimmed);
  if (zoneless) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = zoneless;
    const at = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0')));
    return Number.isNaN(at) ? undefined : { ms: at, offsetMinutes: 0 };
  }
  const iso = Date.parse(trimmed);
  return Number.isNaN(iso) ? undefined : { ms: iso, offsetMinutes: 0 };
}

/** A Xero date (`/Date(...)/`, else its string twin) as an ISO 8601 UTC instant, or null when neither is readable. */
export function xeroDateToIso(value: string | null | undefined, fallback?: string | null): string | null {
  const parsed = parse(value) ?? parse(fallback);
  if (!parsed || !Number.isFinite(parsed.ms)) return null;
  const date = new Date(parsed.ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A Xero date as the calendar date (`YYYY-MM-DD`) in the offset Xero stated, or null. */
export function xeroDateToIsoDate(value: string | null | undefined, fallback?: string | null): string | null {
  const parsed = parse(value) ?? parse(fallback);
  if (!parsed) return null;
  const local = new Date(parsed.ms + parsed.offsetMinutes * 60_000);
  return Number.isNaN(local.getTime()) ? null : local.toISOString().slice(0, 10);
}

/** An epoch-ms instant in Xero's form, `/Date(1511827200000+0000)/`. */
export function toXeroDate(ms: number): string {
  return `/Date(${ms}+0000)/`;
}
