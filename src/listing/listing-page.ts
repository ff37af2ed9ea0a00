// One page of the merged listing over given sources, from a cursor: the readers, the merge and the cursor, without
// the resolver's concerns (arguments, grants, error reporting, the connection's shape). listInvoices calls it; the
// listing's property tests call it over in-memory providers.
import type { CallContext } from '../../adapters/kit/http.js';
import type { InvoiceListFilter, InvoiceListing, InvoiceListOrder } from '../../adapters/kit/listing.js';
import { userError } from '../errors.js';
import { queryDigest, type CursorCodec, type CursorState } from './cursor.js';
import { createInvoicePredicate } from './gateway-filter.js';
import { mergePage } from './merge.js';
import { createSourceReader, type ListedInvoice } from './source-reader.js';

/** What a source whose answers the gateway filters is asked for per call, so one call goes further. */
const FILTERED_READ_SIZE = 100;

export interface ListingPageRequest {
  /** The sources to list, sorted by name (the cursor is tied to this set). */
  sources: ReadonlyArray<{ name: string; listing: InvoiceListing }>;
  filter: InvoiceListFilter;
  order: InvoiceListOrder;
  first: number;
  /** A cursor of an earlier page of this same query. */
  after?: string | null;
  codec: CursorCodec;
  call: CallContext;
  /** Calls a source whose answers the gateway filters may take for one page. */
  maxCallsPerSource: number;
}

export interface ListingPage {
  /** True when the page continued from a cursor. */
  resumed: boolean;
  edges: Array<{ item: ListedInvoice; cursor: () => string }>;
  endCursor: string;
  hasNextPage: boolean;
  /** Sources that failed on this page, or were refused before any call (an order they cannot answer). */
  failures: Array<{ source: string; error: unknown; refused: boolean }>;
  /** Sources whose answers the gateway filtered (a filter they do not apply exactly). */
  gatewayFiltered: string[];
  /** Each source's count for exactly the query, when it reported one. */
  counts: Array<number | undefined>;
  /** The upstream calls each source made for this page. */
  calls: Record<string, number>;
}

/** Reads one page; a bad cursor is BAD_USER_INPUT, a failing source is in `failures`. */
export async function readListingPage(request: ListingPageRequest): Promise<ListingPage> {
  const { filter, order, first, codec } = request;
  const names = request.sources.map((source) => source.name);
  const query = queryDigest({ order, filter, sources: names });
  let resume: CursorState | undefined;
  if (request.after !== undefined && request.after !== null) resume = codec.decode(request.after, query);
  if (resume && !names.every((name) => name in resume.s)) {
    throw userError('BAD_USER_INPUT', '"after" is not a cursor of this listInvoices query (another set of sources)');
  }
  const predicate = createInvoicePredicate(filter);
  const readers = request.sources.map(({ name, listing }) =>
    createSourceReader({ source: name, listing, filter, order, predicate, resume: resume?.s[name], call: request.call, filteredReadSize: FILTERED_READ_SIZE }),
  );
  // A page reads each source as far as it needs; a source whose answers the gateway filters gets a budget of calls.
  const page = await mergePage({ readers, order, first, query, maxCalls: Math.max(1, request.maxCallsPerSource) });
  return {
    resumed: resume !== undefined,
    edges: page.edges.map(({ item, state }) => ({ item, cursor: () => codec.encode(state) })),
    endCursor: codec.encode(page.end),
    hasNextPage: page.hasNextPage,
    failures: readers.filter((reader) => reader.failure !== undefined).map((reader) => ({ source: reader.source, error: reader.failure, refused: reader.refused })),
    gatewayFiltered: readers.filter((reader) => reader.gatewayFilters).map((reader) => reader.source),
    counts: readers.map((reader) => reader.totalCount),
    calls: Object.fromEntries(readers.map((reader) => [reader.source, reader.calls])),
  };
}
