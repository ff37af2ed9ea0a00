// listInvoices: the arguments checked, the sources the client may read chosen, the page read (listing-page.ts), and the
// page as a connection. Listed invoices prime the request's invoice loaders, so nested lookups reuse them.
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
import { reportListingError } from './listing-errors.js';
import { readListingPage } from './listing-page.js';
import { listingSettingsOf } from './listing-settings.js';

export const MAX_FIRST = 100;

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
  if (f.direction) filter.direction = f.direction;
  if (f.hasDiscrepancies !== undefined && f.hasDiscrepancies !== null) filter.hasDiscrepancies = f.hasDiscrepancies;
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
  // `failure` is what the source's reader failed with (its own code, for the summary and the log).
  const report = (source: string, error: GraphQLError, failure?: unknown) => {
    incomplete.add(source);
    if (failure !== undefined) ctx.onUpstreamError(source, failure);
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

  const call = {
    signal: ctx.signal,
    deadline: ctx.deadline,
    onCall: (c: Parameters<GatewayContext['upstream']['record']>[0]) => ctx.upstream.record(c),
    // The page's calls spend the operation's upstream budget like every lookup (src/limits).
    admit: ctx.budget?.admitUpstream,
    party: ctx.budget?.clientKey,
  };
  const page = await readListingPage({
    sources: listable.map((name) => ({ name, listing: ctx.registry.get(name)!.adapter.listInvoices! })),
    filter,
    order,
    first,
    after: args.after,
    codec: settings.codec,
    call,
    maxCallsPerSource: settings.maxCallsPerSource,
  });

  // A source refused before any call (an order it cannot answer) is no upstream failure.
  for (const failure of page.failures) report(failure.source, toGraphQLError(failure.error), failure.refused ? undefined : failure.error);
  const edges = page.edges.map(({ item, cursor }) => {
    const node = fromSource(item.source, item.invoice);
    // Nested fields that look this invoice up (a payment's invoice) find it without another call.
    ctx.loaders.invoices(item.source).prime(item.invoice.remoteId, node);
    return { node, cursor };
  });
  const complete = incomplete.size === 0 && page.counts.every((count) => count !== undefined);
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.resumed,
      startCursor: edges[0]?.cursor() ?? null,
      endCursor: page.endCursor,
    },
    incompleteSources: [...incomplete].sort(),
    totalCount: complete ? page.counts.reduce<number>((sum, count) => sum + (count ?? 0), 0) : null,
  };
}
