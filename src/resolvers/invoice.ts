// Invoice, its related invoices and its payments: ids formed from the source, nested lookups through the loaders.
import type { InvoiceResolvers, RelatedInvoiceResolvers } from '../__generated__/resolvers.js';
import { toGlobalId } from '../ids.js';
import { fromSource } from '../model-refs.js';

export const Invoice: InvoiceResolvers = {
  id: (invoice) => toGlobalId(invoice.sourceName, 'Invoice', invoice.remoteId),
  source: (invoice) => ({ name: invoice.sourceName }),
  payments: (invoice) => invoice.payments.map((payment) => fromSource(invoice.sourceName, payment)),
  relatedInvoices: (invoice) => invoice.related.map((link) => fromSource(invoice.sourceName, link)),
};

export const RelatedInvoice: RelatedInvoiceResolvers = {
  relation: (link) => link.relation,
  invoiceId: (link) => toGlobalId(link.sourceName, 'Invoice', link.invoiceRemoteId),
  invoice: (link, _args, ctx) => ctx.loaders.invoices(link.sourceName).load(link.invoiceRemoteId),
};
