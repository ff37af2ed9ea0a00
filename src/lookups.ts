// Looking up nodes by global id through the request's loaders: ids routed by source, errors kept per id.
import type { GraphQLError } from 'graphql';
import type { SimulationContext } from '../adapters/kit/adapter.js';
import type { GatewayContext } from './context.js';
import { toGraphQLError, userError } from './errors.js';
import { parseGlobalId, type GlobalId, type NodeType } from './ids.js';
import type { BatchPaymentRef, InvoiceRef, PaymentRef } from './model-refs.js';

export interface RefByType {
  Invoice: InvoiceRef;
  Payment: PaymentRef;
  BatchPayment: BatchPaymentRef;
}

export type LookupAnswer<T> = T | null | GraphQLError;

/** Refuses a list argument longer than the documented maximum. */
export function assertIdCount(ids: readonly unknown[], ctx: GatewayContext, argument: string): void {
  if (ids.length > ctx.limits.maxIds) {
    throw userError('BAD_USER_INPUT', `${argument} takes at most ${ctx.limits.maxIds} ids, got ${ids.length}`);
  }
}

/** Loads one node of a known type by its source and remote id. */
export function loadRef<K extends NodeType>(
  ctx: GatewayContext,
  type: K,
  source: string,
  remoteId: string,
  simulation?: SimulationContext,
): Promise<RefByType[K] | null> {
  if (type === 'Invoice') return ctx.loaders.invoices(source, simulation).load(remoteId) as Promise<RefByType[K] | null>;
  const loader = type === 'Payment' ? ctx.loaders.payments(source) : ctx.loaders.batchPayments(source);
  if (!loader) {
    return Promise.reject(
      userError('UNSUPPORTED', `source "${source}" cannot look up ${type} objects`, { source }),
    );
  }
  return loader.load(remoteId) as Promise<RefByType[K] | null>;
}

/**
 * Parses a global id and puts its remote id in the source's one spelling (Xero's GUIDs in lower case), so the same
 * object asked for under two spellings is one loader key, one cache entry, one count. Throws BAD_USER_INPUT for a bad id.
 */
export function parseNodeId(ctx: GatewayContext, id: string, expected?: NodeType): GlobalId {
  const parsed = parseGlobalId(id, ctx.registry.names, expected);
  const canonical = ctx.registry.get(parsed.source)?.adapter.canonicalRemoteId;
  return canonical ? { ...parsed, remoteId: canonical(parsed.remoteId, parsed.type) } : parsed;
}

/** Loads one node by global id; `expected` restricts the type. Throws BAD_USER_INPUT for a bad id. */
export async function loadNode(
  ctx: GatewayContext,
  id: string,
  expected?: NodeType,
  simulation?: SimulationContext,
): Promise<(RefByType[NodeType] & { __typename: NodeType }) | null> {
  const parsed = parseNodeId(ctx, id, expected);
  const ref = await loadRef(ctx, parsed.type, parsed.source, parsed.remoteId, simulation);
  // Tagged in place, as fromSource does: a copy would build the lazily built model whole. A ref only ever has one type.
  if (ref) (ref as { __typename?: NodeType }).__typename = parsed.type;
  return ref as (RefByType[NodeType] & { __typename: NodeType }) | null;
}

/**
 * Loads many nodes by global id, in order: the node, null when not found, or an error for that id alone (a bad id, a
 * failing source). All ids of one source go to its loader together, so they share batches.
 */
export function loadNodes(
  ctx: GatewayContext,
  ids: readonly string[],
  expected?: NodeType,
  simulation?: SimulationContext,
): Promise<Array<LookupAnswer<RefByType[NodeType] & { __typename: NodeType }>>> {
  return Promise.all(
    ids.map((id) =>
      loadNode(ctx, id, expected, simulation).catch((error: unknown) => toGraphQLError(error)),
    ),
  );
}
