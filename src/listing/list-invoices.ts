// listInvoices: the arguments checked, the sources the client may read chosen, one reader per source, the merge, and
// the page as a connection. Listed invoices prime the request's invoice loaders, so nested lookups reuse them.
import { GraphQLError, type GraphQLResolveInfo, responsePathAsArray } from 'graphql';
import type { InvoiceListFilter, InvoiceListOrder } from '../../adapters/kit/listing.js';
import { defaultCurrencies } from '../../adapters/kit/currencies.js';
import { canRead } from '../access/client.js';
import { forbiddenError } from '../access/grants.js';
import type { GatewayContext } from '../context.js';
import { toGraphQLError, userError } from '../errors.js';
import type { QueryListInvoicesArgs } from '../__generated__/resolvers.js';
import { fromSource } from '../model-refs.js';
import type { InvoiceConnectionRef } from './connection.js';
import { queryDigest, type CursorState } from './cursor.js';
import { createInvoicePredicate } from './gateway-filter.js';
import { reportListingError } from './listing-errors.js';
import { listingSettingsOf } from './listing-settings.js';
import { mergePage } from './merge.js';
import { createSourceReader, mayDrop } from './source-reader.js';

export const MAX_FIRST = 100;
/** What a source whose answers the gateway filters is asked for per call, so one call goes further. */
const FILTERED_READ_SIZE = 100;

function readFilter(args: QueryListInvoicesArgs): InvoiceListFilter {
  const f = args.filter ?? {};
  const filter: InvoiceListFilter = {};
  // An empty list filters nothing: no chip selected means all.
  if (f.statuses && f.statuses.length > 0) filter.statuses = [...new Set(f.statuses)].sort();
  if (f.issuedFrom) filter.issuedFrom = f.issuedFrom;
  if (f.issuedTo) filter.issuedTo = f.issuedTo;
  if (filter.issuedFrom && filter.issuedTo && filter.issuedFrom > filter.issuedTo) {
    throw userError('BAD_USER_INPUT', 'filter.issuedFrom is after filter.issuedTo');
  }
  if (f.updatedSince) filter.updatedSince = new Date(Date.parse(f.updatedSince)).toISOString();
  if (f.currency !== undefined && f.currency !== null) {
    const code = f.currency.trim().toUpperCase();
    if (defaultCurrencies.scaleOf(code) === undefined) {
      throw userError('BAD_USER_INPUT', `filter.currency "${f.currency.slice(0, 12)}" is not a known currency`);
    }
    filter.currency = code;
  }
  if (f.outstanding !== undefined && f.outstanding !== null) filter.outstanding = f.outstanding;
  return filter;
}

function sourceError(info: GraphQLResolveInfo, error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, { path: responsePathAsArray(info.path), extensions: error.extensions, originalError: error });
}

export async function listInvoices(
  _root: unknown,
  args: QueryListInvoicesArgs,
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
): Promise<InvoiceConnectionRef> {
  const first = args.first ?? 20;
  if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST) {
    throw userError('BAD_USER_INPUT', `first must be between 1 and ${MAX_FIRST}, got ${first}`);
  }
  const order: InvoiceListOrder = args.orderBy ?? 'ISSUED_AT_DESC';
  const filter = readFilter(args);
  const settings = listingSettingsOf(ctx.registry);

  // The sources: those the client may read, narrowed by filter.sources; one named but not readable is reported.
  const incomplete = new Set<string>();
  const report = (source: string, error: GraphQLError, upstream = false) => {
    incomplete.add(source);
    if (upstream) ctx.onUpstreamError(source, error);
    reportListingError(ctx, sourceError(info, error));
  };
  let names = ctx.registry.list().map((source) => source.name);
  const requested = args.filter?.sources?.length ? [...new Set(args.filter.sources)] : undefined;
  if (requested) {
    const unknown = requested.find((name) => !ctx.registry.get(name));
    if (unknown !== undefined) throw userError('BAD_USER_INPUT', `filter.sources names an unknown source "${unknown.slice(0, 60)}"`);
    names = requested;
  }
  const readable = names.filter((name) => {
    if (canRead(ctx.client, name)) return true;
    // Only a source the client asked for by name is reported; the others are simply not the client's to see.
    if (requested) report(name, forbiddenError(ctx.client, name, 'read'));
    return false;
  });
  const listable = readable.filter((name) => {
    if (ctx.registry.get(name)?.adapter.listInvoices) return true;
    if (requested) report(name, userError('UNSUPPORTED', `source "${name}" cannot list invoices`, { source: name }));
    return false;
  });
  listable.sort();

  const query = queryDigest({ order, filter, sources: listable });
  let resume: CursorState | undefined;
  if (args.after !== undefined && args.after !== null) resume = settings.codec.decode(args.after, query);
  if (resume && !listable.every((name) => name in resume.s)) {
    throw userError('BAD_USER_INPUT', '"after" is not a cursor of this listInvoices query (another set of sources)');
  }

  const predicate = createInvoicePredicate(filter);
  const call = {
    signal: ctx.signal,
    deadline: ctx.deadline,
    onCall: (c: Parameters<GatewayContext['upstream']['record']>[0]) => ctx.upstream.record(c),
    // The page's calls spend the operation's upstream budget like every lookup (src/limits).
    admit: ctx.budget?.admitUpstream,
    party: ctx.budget?.clientKey,
  };
  const readers = listable.map((name) => {
    const listing = ctx.registry.get(name)!.adapter.listInvoices!;
    const reader = createSourceReader({
      source: name,
      listing,
      filter,
      order,
      predicate,
      resume: resume?.s[name],
      call,
      maxScanCalls: settings.maxScanCalls,
    });
    return { reader, readSize: mayDrop(listing, filter) ? FILTERED_READ_SIZE : 0 };
  });
  const sizes = new Map(readers.map(({ reader, readSize }) => [reader, readSize]));
  const page = await mergePage({
    readers: readers.map(({ reader }) => reader),
    order,
    first,
    query,
    // A page asks each source once; again only for what the gateway filters out of its answers, bounded. A source whose
    // page ended before the invoices wanted ends the page early instead (Korint's pages hold at most 100).
    maxCalls: (reader) => ((sizes.get(reader) ?? 0) > 0 ? Math.max(1, settings.maxCallsPerSource) : 1),
    filteredReadSize: (reader) => sizes.get(reader) ?? 0,
  });

  for (const { reader } of readers) {
    if (reader.failure !== undefined) report(reader.source, toGraphQLError(reader.failure), true);
  }
  const edges = page.edges.map(({ item, state }) => {
    const node = fromSource(item.source, item.invoice);
    // Nested fields that look this invoice up (a payment's invoice) find it without another call.
    ctx.loaders.invoices(item.source).prime(item.invoice.remoteId, node);
    return { node, cursor: () => settings.codec.encode(state) };
  });
  const counts = readers.map(({ reader }) => reader.totalCount);
  const complete = incomplete.size === 0 && counts.every((count) => count !== undefined);
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: resume !== undefined,
      startCursor: edges[0]?.cursor() ?? null,
      endCursor: settings.codec.encode(page.end),
    },
    incompleteSources: [...incomplete].sort(),
    totalCount: complete ? counts.reduce<number>((sum, count) => sum + (count ?? 0), 0) : null,
  };
}
