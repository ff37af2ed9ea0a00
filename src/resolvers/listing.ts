// listInvoices and its connection types; the merge and the cursor live in src/listing.
import type { InvoiceConnectionResolvers, InvoiceEdgeResolvers, QueryResolvers } from '../__generated__/resolvers.js';
import { listInvoices as listInvoicePage } from '../listing/list-invoices.js';

export const listInvoices: NonNullable<QueryResolvers['listInvoices']> = (root, args, ctx, info) => listInvoicePage(root, args, ctx, info);

export const InvoiceConnection: InvoiceConnectionResolvers = {
  nodes: (connection) => connection.edges.map((edge) => edge.node),
};

export const InvoiceEdge: InvoiceEdgeResolvers = {
  cursor: (edge) => edge.cursor(),
};
