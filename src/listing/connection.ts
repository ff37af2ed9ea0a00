// What the listInvoices resolvers pass around: edges whose cursor is encoded only when a client selects it.
import type { InvoiceRef } from '../model-refs.js';

export interface InvoiceEdgeRef {
  node: InvoiceRef;
  cursor: () => string;
}

export interface InvoiceConnectionRef {
  edges: InvoiceEdgeRef[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  incompleteSources: string[];
  totalCount: number | null;
}
