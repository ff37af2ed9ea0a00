// Root lookups: node(s), invoice(s), payments, batch payments by id, and the configured sources.
import type { QueryResolvers } from '../__generated__/resolvers.js';
import { userError } from '../errors.js';
import { assertIdCount, loadNode, loadNodes } from '../lookups.js';
import type { InvoiceRef } from '../model-refs.js';
import { balanceSummary } from './balance-summary.js';
import { batchPayments } from './batch-payments-connection.js';
import { listInvoices } from './listing.js';

function simulationOf(args: { simulatedAt?: string | null; whenAt?: string | null }) {
  return { simulatedAt: args.simulatedAt ?? undefined, whenAt: args.whenAt ?? undefined };
}

async function found<T>(id: string, ref: Promise<T | null>): Promise<T> {
  const value = await ref;
  if (value === null) throw userError('NOT_FOUND', `no object with id "${id.slice(0, 200)}"`);
  return value;
}

// Lists may hold a GraphQLError per item: graphql-js reports it at that item's path and answers null there.
type AnyList = Array<never>;

export const Query: QueryResolvers = {
  node: (_root, { id }, ctx) => found(id, loadNode(ctx, id)),
  nodes: (_root, { ids }, ctx) => {
    assertIdCount(ids, ctx, 'nodes(ids)');
    return loadNodes(ctx, ids) as Promise<AnyList>;
  },
  invoice: (_root, args, ctx) => found(args.id, loadNode(ctx, args.id, 'Invoice', simulationOf(args))) as Promise<InvoiceRef>,
  invoices: (_root, args, ctx) => {
    assertIdCount(args.ids, ctx, 'invoices(ids)');
    return loadNodes(ctx, args.ids, 'Invoice', simulationOf(args)) as Promise<AnyList>;
  },
  payments: (_root, { ids }, ctx) => {
    assertIdCount(ids, ctx, 'payments(ids)');
    return loadNodes(ctx, ids, 'Payment') as Promise<AnyList>;
  },
  batchPaymentsByIds: (_root, { ids }, ctx) => {
    assertIdCount(ids, ctx, 'batchPaymentsByIds(ids)');
    return loadNodes(ctx, ids, 'BatchPayment') as Promise<AnyList>;
  },
  batchPayments,
  balanceSummary,
  listInvoices,
  sources: (_root, _args, ctx) => ctx.registry.list().map((source) => ({ name: source.name })),
};
