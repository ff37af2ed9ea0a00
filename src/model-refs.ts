// What resolvers pass around: the adapters' model objects tagged with the source they came from.
import type { BatchPayment, Balance, Invoice, InvoiceLink, Payment } from '../adapters/kit/model.js';

/** A model object and the name of the source that answered it (ids and nested lookups need it). */
export type FromSource<T> = T & { readonly sourceName: string };

export type InvoiceRef = FromSource<Invoice>;
export type PaymentRef = FromSource<Payment>;
export type BatchPaymentRef = FromSource<BatchPayment>;
export type RelatedInvoiceRef = FromSource<InvoiceLink>;

/** A source as the schema shows it; health and capabilities are read from the registry. */
export interface SourceRef {
  name: string;
}

export interface BalanceSummaryRef {
  totals: Balance[];
  invoiceCount: number;
  missingInvoiceIds: string[];
  forbiddenInvoiceIds: string[];
  /** Drafts: they ask for no money yet, so they are not in the totals. */
  draftInvoiceIds: string[];
  /** Invoices found whose amounts could not be read; not in the totals (the summary is then incomplete). */
  unreadableInvoiceIds: string[];
  incompleteSources: string[];
}

/**
 * Tags a model object with its source name, in place: adapters build their models lazily (getters that build nested
 * parts when read), and a copy by spread would build everything and drop what is not an own property. An object only
 * ever belongs to one source, so tagging it again (a cached or nested object) writes the same name.
 */
export function fromSource<T extends object>(sourceName: string, value: T): FromSource<T> {
  const tagged = value as FromSource<T>;
  if (tagged.sourceName !== sourceName) (tagged as { sourceName: string }).sourceName = sourceName;
  return tagged;
}
