// `batchPayments` as a Relay connection. Xero has no paging for batch payments, so the source answers the filtered
// list once and the gateway pages it; cursors name a batch, so a page boundary survives new batches arriving.
import type { BatchPaymentFilter } from '../../adapters/kit/adapter.js';
import type { QueryResolvers } from '../__generated__/resolvers.js';
import { toGraphQLError, userError } from '../errors.js';
import type { GatewayContext } from '../context.js';
import { fromSource } from '../model-refs.js';
import { assertCanRead, forbiddenError, readableSources } from '../access/grants.js';

const DEFAULT_PAGE = 20;
const MAX_PAGE = 100;

/** Opaque cursor for a batch payment. */
export function encodeCursor(remoteId: string): string {
  return Buffer.from(`BatchPayment:${remoteId}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('BatchPayment:') || text.length <= 'BatchPayment:'.length) {
    throw userError('BAD_USER_INPUT', `"${cursor.slice(0, 80)}" is not a batchPayments cursor`);
  }
  return text.slice('BatchPayment:'.length);
}

function pickSource(ctx: GatewayContext, requested: string | null | undefined) {
  if (requested) {
    const source = ctx.registry.get(requested);
    if (!source) throw userError('BAD_USER_INPUT', `unknown source "${requested.slice(0, 60)}"`);
    // Grants first: a client learns nothing of a source it may not read, not even what it can do.
    assertCanRead(ctx, source.name);
    if (!source.adapter.listBatchPayments) {
      throw userError('UNSUPPORTED', `source "${requested}" has no batch payments`, { source: requested });
    }
    return source;
  }
  // Without a named source, only the sources this client may read are candidates.
  const able = readableSources(ctx).filter((s) => s.adapter.listBatchPayments);
  if (able.length === 1) return able[0];
  if (able.length === 0) {
    const hidden = ctx.registry.list().find((s) => s.adapter.listBatchPayments);
    if (hidden) throw forbiddenError(ctx.client, hidden.name, 'read');
    throw userError('UNSUPPORTED', 'no configured source has batch payments');
  }
  throw userError('BAD_USER_INPUT', `several sources have batch payments (${able.map((s) => s.name).join(', ')}): name one with "source"`);
}

export const batchPayments: NonNullable<QueryResolvers['batchPayments']> = async (_root, args, ctx) => {
  const first = args.first ?? DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) {
    throw userError('BAD_USER_INPUT', `first must be between 0 and ${MAX_PAGE}, got ${first}`);
  }
  const source = pickSource(ctx, args.source);
  const filter: BatchPaymentFilter = {
    dateFrom: args.filter?.dateFrom ?? undefined,
    dateTo: args.filter?.dateTo ?? undefined,
    status: args.filter?.status ?? undefined,
    type: args.filter?.type ?? undefined,
    modifiedSince: args.filter?.modifiedSince ?? undefined,
  };
  if (filter.dateFrom && filter.dateTo && filter.dateFrom > filter.dateTo) {
    throw userError('BAD_USER_INPUT', 'filter.dateFrom is after filter.dateTo');
  }
  const afterId = args.after ? decodeCursor(args.after) : undefined;
  let all;
  try {
    all = await source.adapter.listBatchPayments!(filter, { signal: ctx.signal, deadline: ctx.deadline, onCall: (call) => ctx.upstream.record(call), admit: ctx.budget?.admitUpstream, party: ctx.budget?.clientKey });
  } catch (error) {
    ctx.onUpstreamError(source.name, error);
    throw toGraphQLError(error);
  }
  let start = 0;
  if (afterId !== undefined) {
    const index = all.findIndex((batch) => batch.remoteId === afterId);
    if (index < 0) throw userError('BAD_USER_INPUT', 'the "after" cursor names a batch payment no longer in this list');
    start = index + 1;
  }
  const page = all.slice(start, start + first);
  const edges = page.map((batch) => ({ cursor: encodeCursor(batch.remoteId), node: fromSource(source.name, batch) }));
  return {
    edges,
    totalCount: all.length,
    pageInfo: {
      hasNextPage: start + first < all.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
};
