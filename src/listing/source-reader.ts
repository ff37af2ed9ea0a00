// One source's side of a listInvoices page. The position is a keyset: the sort key and tie id of the last invoice the
// source gave (or passed over). A page reads the provider from that key on (the adapter bounds the read there), drops
// what sorts at or before the position, and orders the invoices that share a key by id itself: a group of invoices
// sharing a key is given only once all of it was read, so the order a provider gives ties in never matters, and an
// invoice whose key did not change is neither repeated nor skipped whatever else changed between pages.
import type { InvoiceListFilter, InvoiceListing, InvoiceListOrder, ListBoundary } from '../../adapters/kit/listing.js';
import { AdapterError } from '../../adapters/kit/errors.js';
import type { CallContext } from '../../adapters/kit/http.js';
import type { Invoice } from '../../adapters/kit/model.js';
import { userError } from '../errors.js';
import { toGlobalId } from '../ids.js';
import type { SourceCursorState } from './cursor.js';
import { compareKeys, sortKeyOf, tieIdOf, type SortPlace } from './sort-key.js';

/** A listed invoice with its place in the order. */
export interface ListedInvoice extends SortPlace {
  source: string;
  invoice: Invoice;
}

interface Item extends ListedInvoice {
  tie: string;
  matches: boolean;
  /** Its rank among the invoices sharing its key (1-based, in id order), and how many share it. */
  rank: number;
  groupSize: number;
  /** The adapter's hint of the invoice just before its key's group in the provider's order. */
  fence: string | undefined;
}

interface Position {
  key: number | null;
  tie: string;
  n: number;
  g: number;
  fence: string | undefined;
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
  /** The fewest invoices asked per call when the gateway filters this source's answers (so one call goes further). */
  filteredReadSize: number;
}

export interface SourceReader {
  readonly source: string;
  /** The upstream calls made for this page. */
  readonly calls: number;
  /** The error that stopped this source on this page, if any. */
  readonly failure: unknown;
  /** True when the failure is the gateway's refusal (an order the provider cannot answer), made before any call. */
  readonly refused: boolean;
  /** True when the gateway may drop some of what the provider answers (a filter it does not apply exactly). */
  readonly gatewayFilters: boolean;
  /** The provider's count for exactly this filter, when it reported one (and the gateway filters nothing more). */
  readonly totalCount: number | undefined;
  /** True when the next invoice is unknown until another call is made. */
  needsCall(): boolean;
  /**
   * True when another call may be made for this page: always when the provider applies the whole filter (each call
   * brings what the page needs); with a filter the gateway applies, within `budget` calls or to complete a group of
   * invoices sharing a key that holds one to give.
   */
  mayCall(budget: number): boolean;
  /** Reads on (`wanted` more invoices are wanted); a failure is kept in `failure`, never thrown. */
  read(wanted: number): Promise<void>;
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

/** A safety net: no page makes more calls than this to one source, whatever the provider answers. */
const MAX_CALLS_PER_PAGE = 100;

const compareTies = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Creates the reader of one source for one page. */
export function createSourceReader(options: SourceReaderOptions): SourceReader {
  const { source, listing, order, predicate, resume } = options;
  const refused = !listing.orders.includes(order);
  let failure: unknown = refused
    ? userError('UNSUPPORTED', `${source} cannot list invoices in ${order} order (it answers in ${listing.orders.join(', ') || 'no order'}): leave it out with filter.sources, or choose another order`, { source })
    : undefined;
  const gatewayFilters = mayDrop(listing, options.filter);
  let totalCount: number | undefined = resume?.t;
  let ended = resume?.e === 1;
  /** The last invoice given or passed over: the position the cursor keeps. */
  let last: Position | undefined =
    resume?.i !== undefined ? { key: resume.k ?? null, tie: resume.i, n: resume.n ?? 0, g: resume.g ?? 0, fence: resume.h } : undefined;
  /** Where this page's read starts: the position the page began at, fixed for all its calls. */
  const start = last;
  const from: ListBoundary | undefined = start ? { key: start.key, ...(start.fence !== undefined ? { hint: start.fence } : {}) } : undefined;

  let token: string | undefined;
  let upstreamDone = ended;
  let calls = 0;
  const seen = new Set<string>();
  // The provider's order as read: the last key and hint, and the fence of the group being read.
  let readKey: number | null | undefined;
  let readHint: string | undefined;
  let groupFence = start?.fence;
  // The group being read (items after the start position) and how many of its items sort at or before the start.
  let pending: Item[] = [];
  let pendingDropped = 0;
  // Complete groups, ordered, and how far they were consumed.
  const ready: Item[] = [];
  let index = 0;

  const flush = () => {
    if (pending.length === 0) return;
    pending.sort((a, b) => compareTies(a.tie, b.tie));
    const size = pendingDropped + pending.length;
    pending.forEach((item, i) => {
      item.rank = pendingDropped + i + 1;
      item.groupSize = size;
      ready.push(item);
    });
    pending = [];
  };

  const consume = (item: Item) => {
    last = { key: item.key, tie: item.tie, n: item.rank, g: item.groupSize, fence: item.fence };
  };

  const skipUnmatched = () => {
    while (index < ready.length && !ready[index].matches) consume(ready[index++]);
  };

  /** How many invoices the next call asks for. */
  const limitFor = (wanted: number): number => {
    let limit: number;
    if (token !== undefined) {
      // Completing a group of invoices sharing a key: it may be large, so read as far as one call goes.
      limit = pending.length > 0 || pendingDropped > 0 ? listing.maxLimit : wanted + 1;
    } else {
      // From the start position: its key's group again (the invoices given of it are dropped), then what is wanted,
      // and one more to see whether the last group goes on.
      limit = (start ? Math.max(start.g, start.n + wanted) : wanted) + 1;
    }
    if (gatewayFilters) limit = Math.max(limit, options.filteredReadSize);
    return Math.max(1, Math.min(listing.maxLimit, limit));
  };

  const readPage = async (wanted: number) => {
    if (calls >= MAX_CALLS_PER_PAGE) {
      throw new AdapterError('UPSTREAM_BAD_RESPONSE', `${source} kept answering without reaching the next invoice (${MAX_CALLS_PER_PAGE} calls for one page)`, { source });
    }
    const first = token === undefined && from === undefined;
    calls += 1;
    const page = await listing.list({ filter: options.filter, order, from, token, limit: limitFor(wanted) }, options.call);
    if (first && !gatewayFilters && page.totalCount !== undefined) totalCount = page.totalCount;
    page.items.forEach((invoice, i) => {
      const tie = tieIdOf(invoice.remoteId);
      // A read continued by page number may answer an invoice again.
      if (seen.has(tie)) return;
      seen.add(tie);
      const key = sortKeyOf(invoice, order);
      if (readKey !== undefined && compareKeys(key, readKey, order) < 0) {
        throw new AdapterError('UPSTREAM_BAD_RESPONSE', `${source} answered its listing out of the ${order} order it was asked for`, { source });
      }
      if (readKey === undefined || key !== readKey) {
        // A new key: the group read so far is complete.
        flush();
        pendingDropped = 0;
        if (readKey !== undefined) groupFence = readHint;
      }
      readKey = key;
      readHint = page.hints?.[i];
      if (start && (compareKeys(key, start.key, order) || compareTies(tie, start.tie)) <= 0) {
        // Given on an earlier page (or passed over there).
        if (key === start.key) pendingDropped += 1;
        return;
      }
      const id = toGlobalId(source, 'Invoice', tie);
      pending.push({ source, invoice, key, id, tie, matches: predicate(invoice), rank: 0, groupSize: 0, fence: groupFence });
    });
    if (page.next === null) {
      upstreamDone = true;
      flush();
    } else {
      token = page.next;
    }
  };

  return {
    source,
    get calls() {
      return calls;
    },
    get failure() {
      return failure;
    },
    refused,
    gatewayFilters,
    get totalCount() {
      return totalCount;
    },
    needsCall() {
      if (failure !== undefined || ended) return false;
      skipUnmatched();
      return index >= ready.length && !upstreamDone;
    },
    mayCall(budget) {
      if (calls === 0 || !gatewayFilters) return true;
      return calls < budget || pending.some((item) => item.matches);
    },
    async read(wanted) {
      try {
        await readPage(wanted);
      } catch (error) {
        failure = error;
      }
    },
    head() {
      if (failure !== undefined) return undefined;
      skipUnmatched();
      return ready[index];
    },
    take() {
      const item = ready[index++];
      consume(item);
      return item;
    },
    hasMore() {
      if (refused || ended) return false;
      skipUnmatched();
      return failure !== undefined || index < ready.length || !upstreamDone;
    },
    state() {
      const count = totalCount !== undefined ? { t: totalCount } : {};
      if (refused) return { ...count };
      skipUnmatched();
      if (ended || (failure === undefined && upstreamDone && index >= ready.length)) {
        ended = true;
        return { e: 1, ...count };
      }
      if (!last) return { ...count };
      return { k: last.key, i: last.tie, n: last.n, g: last.g, ...(last.fence !== undefined ? { h: last.fence } : {}), ...count };
    },
  };
}
