// Xero's invoice listing: `GET /Invoices` paged with `page` and `pageSize`, ordered with `order`, narrowed by `Statuses`,
// a `where` on Date, CurrencyCode and AmountDue, and If-Modified-Since. Calls go through the tenant's client, so they
// pass its rate limiter like every other Xero call.
import { AdapterError } from '../kit/errors.js';
import { callContextOf, type HttpClient } from '../kit/http.js';
import { coveringPage, offsetPositions, type InvoiceListFilter, type InvoiceListing, type InvoiceListOrder } from '../kit/listing.js';
import type { Invoice, InvoiceStatus } from '../kit/model.js';
import type { CurrencyTable } from '../kit/currencies.js';
import { mapOrError, parseWire } from '../kit/wire.js';
import { XeroInvoicesEnvelopeSchema } from './wire.js';
import { xeroInvoiceFromWire } from './xero-to-model.js';
import { allOf, dateComparison, enumEquals } from './xero-where.js';

/** `order` per listing order; InvoiceID second, so ties come in id order and pages never shift within a tie. */
const XERO_ORDER: Record<InvoiceListOrder, string> = {
  ISSUED_AT_DESC: 'Date DESC,InvoiceID ASC',
  ISSUED_AT_ASC: 'Date ASC,InvoiceID ASC',
  UPDATED_AT_DESC: 'UpdatedDateUTC DESC,InvoiceID ASC',
};

/** The common statuses each Xero status can become (see invoiceStatusOf): AUTHORISED depends on the amounts. */
const XERO_STATUS_OUTCOMES: Record<string, readonly InvoiceStatus[]> = {
  DRAFT: ['DRAFT'],
  SUBMITTED: ['DRAFT'],
  AUTHORISED: ['OPEN', 'PARTIALLY_PAID', 'PAID'],
  PAID: ['PAID'],
  VOIDED: ['VOID'],
  DELETED: ['VOID'],
};

/** The Xero statuses whose invoices may have one of `statuses`. */
export function xeroStatusesFor(statuses: readonly InvoiceStatus[]): string[] {
  return Object.entries(XERO_STATUS_OUTCOMES)
    .filter(([, outcomes]) => outcomes.some((status) => statuses.includes(status)))
    .map(([xero]) => xero);
}

/** Xero's If-Modified-Since in the spec's date-time form with an offset (`2020-02-06T12:17:43.202+00:00`). */
export function xeroModifiedSince(source: string, instant: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new AdapterError('BAD_USER_INPUT', 'updatedSince must be an ISO 8601 date-time', { source });
  return new Date(ms).toISOString().replace(/Z$/, '+00:00');
}

/** The `where` clauses Xero applies for `filter`. */
export function xeroListWhere(source: string, filter: InvoiceListFilter): string | undefined {
  const clauses: string[] = [];
  if (filter.issuedFrom) clauses.push(dateComparison(source, 'Date', '>=', filter.issuedFrom, 'issuedFrom'));
  if (filter.issuedTo) clauses.push(dateComparison(source, 'Date', '<=', filter.issuedTo, 'issuedTo'));
  if (filter.currency) {
    if (!/^[A-Z]{3}$/.test(filter.currency)) throw new AdapterError('BAD_USER_INPUT', 'currency must be a three-letter code', { source });
    clauses.push(`CurrencyCode=="${filter.currency}"`);
  }
  // Only "something is due" narrows Xero's list simply; the gateway applies the rest of `outstanding` itself.
  if (filter.outstanding === true) clauses.push('AmountDue>0');
  // Sales invoices are receivable, bills payable (xero-to-model.ts).
  if (filter.direction) clauses.push(enumEquals(source, 'Type', filter.direction === 'PAYABLE' ? 'ACCPAY' : 'ACCREC', 'direction'));
  return allOf(clauses);
}

export interface XeroListingDependencies {
  source: string;
  http: HttpClient;
  table: CurrencyTable;
  /** The largest `pageSize` a listing asks for. */
  maxPageSize: number;
}

/** Creates the listing of one Xero tenant. */
export function createXeroListing(deps: XeroListingDependencies): InvoiceListing {
  const { source, http, table } = deps;
  const read = (raw: unknown): Invoice => {
    const invoice = mapOrError(source, 'invoice', () => xeroInvoiceFromWire(raw, table, source));
    // A list item has no requested id to pin an error on: a malformed invoice fails the page.
    if (invoice instanceof Error) throw invoice;
    return invoice;
  };
  return {
    orders: ['ISSUED_AT_DESC', 'ISSUED_AT_ASC', 'UPDATED_AT_DESC'],
    start: { offset: 0 },
    filters: ['statuses', 'issuedFrom', 'issuedTo', 'updatedSince', 'currency', 'outstanding', 'direction'],
    // A Xero status can become several of ours (AUTHORISED: open, partly paid or paid), and AmountDue>0 keeps drafts.
    exactFilters: ['issuedFrom', 'issuedTo', 'updatedSince', 'currency', 'direction'],
    async list(request, options) {
      if (!('offset' in request.from)) throw new RangeError('Xero listings are positioned by offset');
      const offset = request.from.offset;
      const statuses = request.filter.statuses ? xeroStatusesFor(request.filter.statuses) : undefined;
      // No Xero status can become the statuses asked for, or a currency code Xero cannot hold: nothing to ask.
      if (statuses?.length === 0 || (request.filter.currency && !/^[A-Z]{3}$/.test(request.filter.currency))) {
        return { items: [], positions: [], next: null, totalCount: 0 };
      }
      const { page, pageSize } = coveringPage(offset, request.limit, deps.maxPageSize);
      const headers: Record<string, string> = {};
      if (request.filter.updatedSince) headers['if-modified-since'] = xeroModifiedSince(source, request.filter.updatedSince);
      const response = await http.send({
        method: 'GET',
        path: '/Invoices',
        query: {
          page,
          pageSize,
          // unitdp=4 as the lookups ask, so listed invoices are the same objects.
          unitdp: 4,
          order: XERO_ORDER[request.order ?? 'ISSUED_AT_DESC'],
          Statuses: statuses?.join(','),
          where: xeroListWhere(source, request.filter),
        },
        headers,
        acceptStatus: [304],
        idempotent: true,
        ...callContextOf(options),
      });
      if (response.status === 304) return { items: [], positions: [], next: null, totalCount: 0 };
      const envelope = parseWire(source, XeroInvoicesEnvelopeSchema, response.body, 'invoice list');
      const start = (page - 1) * pageSize;
      const items = envelope.Invoices.slice(offset - start).map(read);
      const itemCount = envelope.pagination?.itemCount ?? undefined;
      const more = itemCount !== undefined ? start + envelope.Invoices.length < itemCount : envelope.Invoices.length >= pageSize;
      return { items, positions: offsetPositions(offset, items.length), next: more ? { offset: offset + items.length } : null, totalCount: itemCount };
    },
  };
}
