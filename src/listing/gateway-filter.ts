// The filter as the gateway applies it to every listed invoice, whatever the provider already applied: the answer is the
// same whichever side filtered.
import type { InvoiceListFilter } from '../../adapters/kit/listing.js';
import type { Invoice } from '../../adapters/kit/model.js';
import { issuedKey, updatedKey } from './sort-key.js';

const DAY_MS = 86_400_000;

/** True when something remains due: amountDue above zero, or for a multi-currency invoice a remaining net balance. */
function hasAmountDue(invoice: Invoice): boolean {
  if (invoice.amountDue) return invoice.amountDue.coefficient > 0n;
  return invoice.balances.some((balance) => balance.net.remaining.coefficient > 0n);
}

/** True when the invoice is outstanding: something is due and it is neither a draft nor void. */
export function isOutstanding(invoice: Invoice): boolean {
  return invoice.status !== 'DRAFT' && invoice.status !== 'VOID' && hasAmountDue(invoice);
}

/** Builds the predicate of `filter` (the `sources` field is applied when choosing the sources). */
export function createInvoicePredicate(filter: InvoiceListFilter): (invoice: Invoice) => boolean {
  const from = filter.issuedFrom ? Date.parse(`${filter.issuedFrom}T00:00:00Z`) : undefined;
  const to = filter.issuedTo ? Date.parse(`${filter.issuedTo}T00:00:00Z`) + DAY_MS : undefined;
  const since = filter.updatedSince ? Date.parse(filter.updatedSince) : undefined;
  const statuses = filter.statuses ? new Set(filter.statuses) : undefined;
  return (invoice) => {
    if (statuses && !statuses.has(invoice.status)) return false;
    if (from !== undefined || to !== undefined) {
      const issued = issuedKey(invoice);
      if (issued === null || (from !== undefined && issued < from) || (to !== undefined && issued >= to)) return false;
    }
    if (since !== undefined) {
      const updated = updatedKey(invoice);
      if (updated === null || updated < since) return false;
    }
    if (filter.currency) {
      const inCurrency =
        invoice.currency === filter.currency ||
        (invoice.currency === null && invoice.balances.some((balance) => balance.currency === filter.currency));
      if (!inCurrency) return false;
    }
    if (filter.outstanding !== undefined && isOutstanding(invoice) !== filter.outstanding) return false;
    return true;
  };
}
