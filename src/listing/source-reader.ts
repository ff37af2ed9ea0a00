// One source's side of a listInvoices page: its provider's pages read forward from the cursor's position, the gateway's
// filter applied, and the position of the first invoice not yet returned. A source whose provider answers in the order
// asked for streams (one call fills a page); one that cannot is read whole and ordered here (a scan), bounded.
import type { InvoiceListFilter, InvoiceListing, InvoiceListOrder, ListPosition } from '../../adapters/kit/listing.js';
import type { CallContext } from '../../adapters/kit/http.js';
import type { Invoice } from '../../adapters/kit/model.js';
import { userError } from '../errors.js';
import { toGlobalId } from '../ids.js';
import type { SourceCursorState } from './cursor.js';
import { comparePlaces, compareKeys, sortKeyOf, type SortPlace } from './sort-key.js';

/** A listed invoice with its place in the order. */
export interface ListedInvoice extends SortPlace {
  source: string;
  invoice: Invoice;
}

interface Buffered extends ListedInvoice {
  /** The provider position of this invoice. */
  position: ListPosition;
  matches: boolean;
}

export interface SourceReaderOptions {
  source: string;
  listing: InvoiceListing;
  filter: InvoiceListFilter;
  order: InvoiceListOrder;
  predicate: (invoice: Invoice) => boolean;
  /** Where the previous page left this source (undefined on the first page). */
  resume: SourceCursorState | undefined;
  call: CallContext;
  /** The most calls a scan may make for one page. */
  maxScanCalls: number;
}

export interface SourceReader {
  readonly source: string;
  /** The upstream calls made for this page. */
  readonly calls: number;
  /** The error that stopped this source on this page, if any. */
  readonly failure: unknown;
  /** The provider's count for exactly this filter, when it reported one (and the gateway filters nothing more). */
  readonly totalCount: number | undefined;
  /** True when the next invoice is unknown until another call is made. */
  needsCall(): boolean;
  /** Reads the next provider page (`limit` invoices wanted); a failure is kept in `failure`, never thrown. */
  read(limit: number): Promise<void>;
  /** The next invoice in the order, if known. */
  head(): ListedInvoice | undefined;
  /** Takes the head. */
  take(): ListedInvoice;
  /** True when invoices may remain after what was taken (including when the source failed before its end). */
  hasMore(): boolean;
  /** The state a cursor keeps for this source now. */
  state(): SourceCursorState;
}

/** True when the gateway may drop some of what `listing` answers for `filter` (a field it applies loosely or not at all). */
export function mayDrop(listing: InvoiceListing, filter: InvoiceListFilter): boolean {
  const exact = listing.exactFilters ?? listing.filters;
  return Object.entries(filter).some(([field, value]) => value !== undefined && !exact.includes(field as keyof InvoiceListFilter));
}

/** Creates the reader of one source for one page. */
export function createSourceReader(options: SourceReaderOptions): SourceReader {
  const { source, listing, order, predicate } = options;
  const scan = !listing.orders.includes(order);
  const resume = options.resume;
  let next: ListPosition | null = resume ? resume.p : listing.start;
  let lastKey = resume?.k;
  let lastId = resume?.i;
  const buffer: Buffered[] = [];
  let index = 0;
  let calls = 0;
  let failure: unknown;
  let totalCount: number | undefined = resume?.t;
  // Whether the gateway may drop some of the provider's answers: then the provider's count is not the answer's.
  const gatewayFilters = mayDrop(listing, options.filter);
  const last: SortPlace | undefined = lastId !== undefined ? { key: lastKey ?? null, id: toGlobalId(source, 'Invoice', lastId) } : undefined;

  const place = (invoice: Invoice, position: ListPosition): Buffered => {
    const key = sortKeyOf(invoice, order);
    const id = toGlobalId(source, 'Invoice', invoice.remoteId);
    let matches = predicate(invoice);
    // Resumed: an invoice before the last one returned was returned already (the provider's list shifted under us).
    if (matches && last && (scan ? comparePlaces({ key, id }, last, order) <= 0 : compareKeys(key, last.key, order) < 0)) matches = false;
    return { source, invoice, key, id, position, matches };
  };

  const skipUnmatched = () => {
    while (index < buffer.length && !buffer[index].matches) index += 1;
  };

  const readStream = async (limit: number) => {
    const from = next as ListPosition;
    calls += 1;
    const page = await listing.list({ filter: options.filter, order, from, limit }, options.call);
    page.items.forEach((invoice, i) => buffer.push(place(invoice, page.positions[i] ?? from)));
    next = page.next;
    if (!gatewayFilters && page.totalCount !== undefined) totalCount = page.totalCount;
  };

  const readWhole = async () => {
    let from: ListPosition | null = listing.start;
    const all: Buffered[] = [];
    // Oldest first, everything issued before the last invoice's day was given already: a provider that filters on the
    // issue date (Fragment's filter.created) then sends only what is left, so a scan shrinks page after page.
    let filter = options.filter;
    if (order === 'ISSUED_AT_ASC' && last?.key != null && listing.filters.includes('issuedFrom')) {
      const day = new Date(last.key).toISOString().slice(0, 10);
      if (!filter.issuedFrom || filter.issuedFrom < day) filter = { ...filter, issuedFrom: day };
    }
    // Newest modification first, what is left was modified (so issued) no later than the last invoice given.
    if (order === 'UPDATED_AT_DESC' && last?.key != null && listing.issuedNotAfterUpdated && listing.filters.includes('issuedTo')) {
      const day = new Date(last.key).toISOString().slice(0, 10);
      if (!filter.issuedTo || filter.issuedTo > day) filter = { ...filter, issuedTo: day };
    }
    while (from) {
      if (calls >= options.maxScanCalls) {
        throw userError(
          'UNSUPPORTED',
          `${source} cannot list in this order itself and holds more invoices than one page may read (${options.maxScanCalls} calls): narrow the filter`,
          { source },
        );
      }
      calls += 1;
      const page = await listing.list({ filter, order: undefined, from, limit: 1_000 }, options.call);
      const at: ListPosition = from;
      page.items.forEach((invoice, i) => all.push(place(invoice, page.positions[i] ?? at)));
      from = page.next;
    }
    // A bounded scan no longer sees every match: the count comes from the first page (kept in the cursor).
    if (filter === options.filter) totalCount = all.filter((item) => predicate(item.invoice)).length;
    buffer.push(...all.filter((item) => item.matches).sort((a, b) => comparePlaces(a, b, order)));
    next = null;
  };

  return {
    source,
    get calls() {
      return calls;
    },
    get failure() {
      return failure;
    },
    get totalCount() {
      return totalCount;
    },
    needsCall() {
      if (failure !== undefined) return false;
      skipUnmatched();
      return index >= buffer.length && next !== null;
    },
    async read(limit) {
      try {
        if (scan) await readWhole();
        else await readStream(limit);
      } catch (error) {
        failure = error;
      }
    },
    head() {
      if (failure !== undefined) return undefined;
      skipUnmatched();
      return buffer[index];
    },
    take() {
      const item = buffer[index];
      index += 1;
      lastKey = item.key;
      lastId = item.invoice.remoteId;
      return item;
    },
    hasMore() {
      skipUnmatched();
      return index < buffer.length || next !== null;
    },
    state() {
      skipUnmatched();
      // A scan keeps only the last invoice it gave: the next page reads the source whole again and starts after it.
      const p = scan ? (index < buffer.length || next !== null ? listing.start : null) : index < buffer.length ? buffer[index].position : next;
      return { p, ...(lastId !== undefined ? { k: lastKey ?? null, i: lastId } : {}), ...(totalCount !== undefined ? { t: totalCount } : {}) };
    },
  };
}
