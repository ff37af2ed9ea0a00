// One source's listing, page by page, with a filter and an order: the entry point for what reads a single source (the
// change poller), on the same keyset positions as listInvoices, so it terminates and never repeats either.
import type { CallContext } from '../../adapters/kit/http.js';
import type { InvoiceListFilter, InvoiceListing, InvoiceListOrder } from '../../adapters/kit/listing.js';
import type { Invoice } from '../../adapters/kit/model.js';
import type { SourceCursorState } from './cursor.js';
import { createInvoicePredicate } from './gateway-filter.js';
import { mergePage } from './merge.js';
import { createSourceReader } from './source-reader.js';

export interface SourcePageRequest {
  /** The source's name (its invoices' global ids start with it). */
  source: string;
  listing: InvoiceListing;
  filter: InvoiceListFilter;
  order: InvoiceListOrder;
  /** How many invoices, at least 1. */
  first: number;
  /** Where the previous page ended (its `next`); the start when omitted. */
  after?: SourceCursorState;
  call: CallContext;
  /** Calls a page may take when the gateway filters the source's answers (default 5). */
  maxCalls?: number;
}

export interface SourcePage {
  /** Up to `first` invoices in the order (fewer only at the end, or when a filter only the gateway applies used its budget). */
  invoices: Invoice[];
  /** The position after this page (plain JSON, safe to store); null when the source has nothing more. */
  next: SourceCursorState | null;
  /** The upstream calls this page made. */
  calls: number;
}

/** Reads one page of one source; rejects with the source's error (an AdapterError or a coded GraphQLError). */
export async function readSourcePage(request: SourcePageRequest): Promise<SourcePage> {
  const reader = createSourceReader({
    source: request.source,
    listing: request.listing,
    filter: request.filter,
    order: request.order,
    predicate: createInvoicePredicate(request.filter),
    resume: request.after,
    call: request.call,
    filteredReadSize: 100,
  });
  const page = await mergePage({ readers: [reader], order: request.order, first: Math.max(1, request.first), query: '', maxCalls: request.maxCalls ?? 5 });
  if (reader.failure !== undefined) throw reader.failure;
  return {
    invoices: page.edges.map((edge) => edge.item.invoice),
    next: page.hasNextPage ? page.end.s[request.source] : null,
    calls: reader.calls,
  };
}

/** Every page of one source from `after` (or the start) to its end. */
export async function* readSourcePages(request: SourcePageRequest): AsyncGenerator<SourcePage> {
  let after = request.after;
  for (;;) {
    const page = await readSourcePage({ ...request, after });
    yield page;
    if (!page.next) return;
    after = page.next;
  }
}
