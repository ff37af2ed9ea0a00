// The filter as the gateway applies it to every listed invoice, whatever the provider already applied: the answer is the
// same whichever side filtered.
import type { InvoiceListFilter } from '../../adapters/kit/listing.js';
import type { Invoice } from '../../adapters/kit/model.js';
import { issuedKey, updatedKey } from './sort-key.js';

const DAY_MS = 86_400_000;

/**
 * True when the invoice is not settled: something remains on either side (payins or payouts, any currency; an overpaid
 * side remains nothing), or, for an invoice without balances, its amountDue is above zero.
 */
function hasAmountRemaining(invoice: Invoice): boolean {
  const balances = invoice.balances;
  if (balances.length === 0) return invoice.amountDue !== null && invoice.amountDue.coefficient > 0n;
  return balances.some((balance) => balance.payins.remaining.coefficient > 0n || balance.payouts.remaining.coefficient > 0n);
}

/** True when the invoice is outstanding: not settled on either side, and neither a draft (not money yet) nor void. */
export function isOutstanding(invoice: Invoice): boolean {
  return invoice.status !== 'DRAFT' && invoice.status !== 'VOID' && hasAmountRemaining(invoice);
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
    if (filter.direction !== undefined && invoice.direction !== filter.direction) return false;
    // Last: the discrepancies are computed only for invoices every other field let through.
    if (filter.hasDiscrepancies !== undefined && invoice.discrepancies.length > 0 !== filter.hasDiscrepancies) return false;
    return true;
  };
}
