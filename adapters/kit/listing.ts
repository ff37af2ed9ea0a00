// The optional list capability of an adapter: one page of a provider's own invoice listing, filtered and ordered as far
// as the provider can. The gateway resumes a listing by keyset (the sort key of the last invoice it gave, see
// src/listing/): an adapter turns that key into the provider's own bound (Xero: a `where` on Date; Fragment: a
// `filter.created` bound; Korint, which has none: a hint of where the key stood), and continues one such bounded read
// with the provider's cursor or page number only within one gateway page.
import type { CallContext } from './http.js';
import type { Invoice, InvoiceDirection, InvoiceStatus } from './model.js';

/** The orders a listing can be asked for; the gateway breaks ties by the invoice's id itself. */
export type InvoiceListOrder = 'ISSUED_AT_DESC' | 'ISSUED_AT_ASC' | 'UPDATED_AT_DESC';

/** What a list may be narrowed by; every field is optional and they combine with AND. */
export interface InvoiceListFilter {
  statuses?: readonly InvoiceStatus[];
  /**
   * Calendar days (`YYYY-MM-DD`), inclusive, on the issue date (the creation time where a provider has none): the
   * provider's own days (Xero's dates are the organisation's local days), UTC days for timestamps.
   */
  issuedFrom?: string;
  issuedTo?: string;
  /** An ISO instant: only invoices modified at or after it. */
  updatedSince?: string;
  /** An upper-case currency code. */
  currency?: string;
  /** True: something remains on either side (not a draft, not void); false: every other invoice. */
  outstanding?: boolean;
  /** Only invoices going this way (Invoice.direction). */
  direction?: InvoiceDirection;
  /** True: only invoices whose numbers do not add up; false: only those that do (applied by the gateway). */
  hasDiscrepancies?: boolean;
}

/** The filter fields a provider can apply itself (the gateway applies every field again, so a superset is fine). */
export type InvoiceListFilterField = keyof InvoiceListFilter;

/**
 * Where a listing resumes: at a sort key (epoch ms of the order's time, as src/listing/sort-key.ts reads it from the
 * model), every invoice whose key is that one or comes after it in the order. Invoices before it may be answered too
 * (the gateway drops them), none after it may be left out.
 */
export interface ListBoundary {
  /** The key; null for invoices without the order's time, which sort last. */
  key: number | null;
  /** A hint this adapter gave (`InvoiceListPage.hints`) for an invoice just before that key, when it needs one. */
  hint?: string;
}

/** One request for a page of a listing. */
export interface InvoiceListRequest {
  filter: InvoiceListFilter;
  /** The order wanted: one of the listing's `orders`. */
  order: InvoiceListOrder;
  /** Where to start; undefined for the listing's first invoice. */
  from?: ListBoundary;
  /** The `next` of the previous answer to this same request (filter, order, from): the read continues there. */
  token?: string;
  /** How many items are wanted, at most the listing's `maxLimit`; an answer may hold fewer (or a few more). */
  limit: number;
}

/** One page of a listing. */
export interface InvoiceListPage {
  /**
   * The items in the order's key order (invoices sharing a key in any order the provider likes): the same model objects
   * the lookups produce.
   */
  items: Invoice[];
  /** Per item, where a later read can find it again (`ListBoundary.hint`), for a provider without key bounds. */
  hints?: Array<string | undefined>;
  /** The token continuing this read, or null when the listing has no more items. */
  next: string | null;
  /** How many items match what the provider applied, across all pages, when it says (read only from a first page). */
  totalCount?: number;
}

/** A provider's listing: what it can do itself, and one page of it. */
export interface InvoiceListing {
  /** The orders the provider can answer in; another order is refused before any call (UNSUPPORTED). */
  readonly orders: readonly InvoiceListOrder[];
  /** The filter fields the provider applies itself (before the gateway applies them all). */
  readonly filters: readonly InvoiceListFilterField[];
  /**
   * Those of `filters` it applies exactly, so the gateway drops none of its answers for them (and its count is the
   * answer's); the others it narrows to a superset. All of `filters` when omitted.
   */
  readonly exactFilters?: readonly InvoiceListFilterField[];
  /** The most items one call answers (the provider's largest page). */
  readonly maxLimit: number;
  /** Reads one page; rejects when the call failed. */
  list(request: InvoiceListRequest, options: CallContext): Promise<InvoiceListPage>;
}

/**
 * The page number and size of a page-numbered listing whose one page covers the `limit` items from `offset`, using
 * pages of at most `maxPageSize` (page `p` of size `s` holds the items `(p-1)*s .. p*s-1`). Chooses the smallest such
 * page (the fewest items transferred); when none covers them all, the page of `maxPageSize` holding `offset`.
 */
export function coveringPage(offset: number, limit: number, maxPageSize: number): { page: number; pageSize: number } {
  const want = Math.max(1, Math.min(limit, maxPageSize));
  for (let size = want; size <= maxPageSize; size += 1) {
    if ((offset % size) + want <= size) return { page: Math.floor(offset / size) + 1, pageSize: size };
  }
  return { page: Math.floor(offset / maxPageSize) + 1, pageSize: maxPageSize };
}

/** The offset a page-numbered read continues at, from its token (`o:<offset>`); 0 without one. */
export function offsetOfToken(token: string | undefined, source: string): number {
  if (token === undefined) return 0;
  const match = /^o:(\d{1,9})$/.exec(token);
  if (!match) throw new RangeError(`not a ${source} listing token`);
  return Number(match[1]);
}

/** The token of a page-numbered read continuing at `offset`. */
export function offsetToken(offset: number): string {
  return `o:${offset}`;
}
