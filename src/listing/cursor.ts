// The listInvoices cursor: versioned JSON (each source's keyset position: the sort key and tie id of the last invoice it
// gave), base64url, with an HMAC tag. The key is GATEWAY_CURSOR_SECRET when configured (unforgeable, and valid on every
// replica that shares it); otherwise a built-in key, which still detects a damaged or edited cursor and works across
// replicas and restarts. The cursor also carries a digest of the query (order, filter, sources), so it is refused with
// any other query. Nothing in it grows with the data: a few numbers and one id of at most 81 characters per source.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { userError } from '../errors.js';

const VERSION = 2;
const BUILT_IN_KEY = 'invoice-gateway listInvoices cursor v1';
const TAG_BYTES = 16;
const MAX_CURSOR_LENGTH = 4_096;

/** One source's place in a listing: after the invoice (k, i), or at the start when i is absent, or at its end (e). */
export interface SourceCursorState {
  /** The sort key (sort-key.ts) of the last invoice this source gave or passed over; null for one without a time. */
  k?: number | null;
  /** Its tie id (sort-key.ts tieIdOf): with k, the keyset position. */
  i?: string;
  /** How many invoices of key k were given up to it, and how many share k: they size the next read. */
  n?: number;
  g?: number;
  /** The adapter's hint for finding key k again (a provider without key bounds: Korint). */
  h?: string;
  /** 1 when the source has nothing more. */
  e?: 1;
  /** The count the source reported for the query, once known. */
  t?: number;
}

export interface CursorState {
  /** Digest of the query the cursor belongs to. */
  q: string;
  s: Record<string, SourceCursorState>;
}

export interface CursorCodec {
  encode(state: CursorState): string;
  /** The state, or BAD_USER_INPUT for anything malformed, truncated, tampered with or of another query. */
  decode(cursor: string, query: string): CursorState;
}

/** A short digest naming a query (order, filter, sources): a cursor is valid only with the query it came from. */
export function queryDigest(query: unknown): string {
  return createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 16);
}

function badCursor(reason: string) {
  return userError('BAD_USER_INPUT', `"after" is not a cursor of this listInvoices query (${reason})`);
}

const isCount = (value: unknown) => value === undefined || (Number.isSafeInteger(value) && (value as number) >= 0);

function isSourceState(value: unknown): value is SourceCursorState {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const s = value as Record<string, unknown>;
  if (!Object.keys(s).every((key) => ['k', 'i', 'n', 'g', 'h', 'e', 't'].includes(key))) return false;
  return (
    (s.k === undefined || s.k === null || Number.isSafeInteger(s.k)) &&
    (s.i === undefined || (typeof s.i === 'string' && s.i.length > 0 && s.i.length <= 100)) &&
    (s.i === undefined) === (s.k === undefined) &&
    isCount(s.n) &&
    isCount(s.g) &&
    (s.h === undefined || (typeof s.h === 'string' && s.h.length <= 64)) &&
    (s.e === undefined || s.e === 1) &&
    isCount(s.t)
  );
}

/** Creates the codec; `secret` is GATEWAY_CURSOR_SECRET when configured. */
export function createCursorCodec(secret?: string): CursorCodec {
  const key = secret || BUILT_IN_KEY;
  const tag = (body: string) => createHmac('sha256', key).update(`v${VERSION}.${body}`).digest().subarray(0, TAG_BYTES);
  return {
    encode(state) {
      const body = Buffer.from(JSON.stringify({ v: VERSION, ...state }), 'utf8').toString('base64url');
      return `${body}.${tag(body).toString('base64url')}`;
    },
    decode(cursor, query) {
      if (cursor.length > MAX_CURSOR_LENGTH) throw badCursor('too long');
      const [body, mac, extra] = cursor.split('.');
      if (!body || !mac || extra !== undefined) throw badCursor('malformed');
      const given = Buffer.from(mac, 'base64url');
      if (given.length !== TAG_BYTES || !timingSafeEqual(given, tag(body))) throw badCursor('damaged or altered');
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      } catch {
        throw badCursor('malformed');
      }
      const state = parsed as { v?: unknown; q?: unknown; s?: unknown };
      if (state.v !== VERSION) throw badCursor('another version');
      if (state.q !== query) throw badCursor('another filter, order or set of sources');
      if (typeof state.s !== 'object' || state.s === null || !Object.values(state.s).every(isSourceState)) throw badCursor('malformed');
      return { q: state.q, s: state.s as Record<string, SourceCursorState> };
    },
  };
}
