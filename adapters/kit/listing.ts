// The optional list capability of an adapter: one page of a provider's own invoice listing, filtered and ordered as far
// as the provider can, starting exactly at a position the gateway got from an earlier page.
import type { CallContext } from './http.js';
import type { Invoice, InvoiceDirection, InvoiceStatus } from './model.js';

/** The orders a listing can be asked for; ties are broken by the invoice's id, ascending. */
export type InvoiceListOrder = 'ISSUED_AT_DESC' | 'ISSUED_AT_ASC' | 'UPDATED_AT_DESC';

/** What a list may be narrowed by; every field is optional and they combine with AND. */
export interface InvoiceListFilter {
  statuses?: readonly InvoiceStatus[];
  /** UTC calendar days (`YYYY-MM-DD`), inclusive, on the issue date (the creation time where a provider has none). */
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
 * Where a listing stands at the provider: an offset into its filtered, ordered list (page-numbered providers), or a
 * token only the adapter reads (a provider cursor, or the last item's sort key; null for the start).
 */
export type ListPosition = { offset: number } | { token: string | null };

/** One request for a page of a listing. */
export interface InvoiceListRequest {
  filter: InvoiceListFilter;
  /** The order wanted; undefined when the gateway orders the items itself and any stable order will do. */
  order: InvoiceListOrder | undefined;
  /** The first item wanted. */
  from: ListPosition;
  /** How many items are wanted; an answer may hold fewer (the provider's page ended first). */
  limit: number;
}

/** One page of a listing. */
export interface InvoiceListPage {
  /** The items from `from` on, in the provider's order: the same model objects the lookups produce. */
  items: Invoice[];
  /** Where a listing starting exactly at each item begins (same length as `items`). */
  positions: ListPosition[];
  /** The position after the last item, or null when the listing has no more items. */
  next: ListPosition | null;
  /** How many items match what the provider applied, across all pages, when it says. */
  totalCount?: number;
}

/** A provider's listing: what it can do itself, and one page of it. */
export interface InvoiceListing {
  /** The orders the provider can answer in, ties broken by id ascending. */
  readonly orders: readonly InvoiceListOrder[];
  /** The position of the listing's first item. */
  readonly start: ListPosition;
  /** The filter fields the provider applies itself (before the gateway applies them all). */
  readonly filters: readonly InvoiceListFilterField[];
  /**
   * Those of `filters` it applies exactly, so the gateway drops none of its answers for them (and its count is the
   * answer's); the others it narrows to a superset. All of `filters` when omitted.
   */
  readonly exactFilters?: readonly InvoiceListFilterField[];
  /** True when an invoice's issue time (or creation time) is never after its modification time at this provider. */
  readonly issuedNotAfterUpdated?: boolean;
  /** Reads one page; rejects when the call failed. */
  list(request: InvoiceListRequest, options: CallContext): Promise<InvoiceListPage>;
}

/** The positions of `count` items read from `offset` on. */
export function offsetPositions(offset: number, count: number): ListPosition[] {
  return Array.from({ length: count }, (_, i) => ({ offset: offset + i }));
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
