// Xero's invoice listing: `GET /Invoices` paged with `page` and `pageSize`, ordered with `order`, narrowed by `Statuses`,
// a `where` on Date, CurrencyCode and AmountDue, and If-Modified-Since. A read from a key adds a `where` bound on the
// order's field (`Date <= DateTime(...)`: Xero's dates are whole days, so the day's invoices all come again and the
// gateway orders them itself); page numbers go on only within one such read. Calls go through the tenant's client, so
// they pass its rate limiter like every other Xero call.
import { AdapterError } from '../kit/errors.js';
import { callContextOf, type HttpClient } from '../kit/http.js';
import {
  coveringPage,
  offsetOfToken,
  offsetToken,
  type InvoiceListFilter,
  type InvoiceListing,
  type InvoiceListOrder,
  type ListBoundary,
} from '../kit/listing.js';
import type { Invoice, InvoiceStatus } from '../kit/model.js';
import type { CurrencyTable } from '../kit/currencies.js';
import { mapOrError, parseWire } from '../kit/wire.js';
import { XeroInvoicesEnvelopeSchema } from './wire.js';
import { xeroInvoiceFromWire } from './xero-to-model.js';
import { allOf, dateComparison, dateTimeComparison, enumEquals } from './xero-where.js';

/**
 * `order` per listing order (Date, UpdatedDateUTC and InvoiceID are the fields Xero orders large organisations by).
 * InvoiceID second so that one read's pages partition the invoices of a day (Xero compares GUIDs its own way, not as
 * text: the gateway orders a day's invoices by id itself).
 */
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

/** The `where` bound of a read from `from` in `order`: every invoice at that key or after it. */
export function xeroKeyBound(source: string, order: InvoiceListOrder, from: ListBoundary | undefined): string | undefined {
  if (!from || from.key === null) return undefined;
  const iso = new Date(from.key).toISOString();
  if (order === 'UPDATED_AT_DESC') {
    // UpdatedDateUTC carries milliseconds, a DateTime whole seconds: bound just after the key's second.
    return dateTimeComparison('UpdatedDateUTC', '<', Math.floor(from.key / 1000) * 1000 + 1000);
  }
  // Xero's Date is a day (midnight): the key's day, and every day before (or after) it.
  return dateComparison(source, 'Date', order === 'ISSUED_AT_ASC' ? '>=' : '<=', iso.slice(0, 10), 'the listing position');
}

/** The `where` clauses Xero applies for `filter` (and a read's key bound). */
export function xeroListWhere(source: string, filter: InvoiceListFilter, bound?: string): string | undefined {
  const clauses: string[] = [];
  if (bound) clauses.push(bound);
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
  /** The largest `pageSize` a listing asks for (settings' listPageSize). */
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
    filters: ['statuses', 'issuedFrom', 'issuedTo', 'updatedSince', 'currency', 'outstanding', 'direction'],
    // A Xero status can become several of ours (AUTHORISED: open, partly paid or paid), and AmountDue>0 keeps drafts.
    exactFilters: ['issuedFrom', 'issuedTo', 'updatedSince', 'currency', 'direction'],
    maxLimit: deps.maxPageSize,
    async list(request, options) {
      const offset = offsetOfToken(request.token, source);
      const statuses = request.filter.statuses ? xeroStatusesFor(request.filter.statuses) : undefined;
      // No Xero status can become the statuses asked for, or a currency code Xero cannot hold: nothing to ask.
      if (statuses?.length === 0 || (request.filter.currency && !/^[A-Z]{3}$/.test(request.filter.currency))) {
        return { items: [], next: null, totalCount: 0 };
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
          order: XERO_ORDER[request.order],
          Statuses: statuses?.join(','),
          where: xeroListWhere(source, request.filter, xeroKeyBound(source, request.order, request.from)),
        },
        headers,
        acceptStatus: [304],
        idempotent: true,
        ...callContextOf(options),
      });
      if (response.status === 304) return { items: [], next: null, totalCount: 0 };
      const envelope = parseWire(source, XeroInvoicesEnvelopeSchema, response.body, 'invoice list');
      const start = (page - 1) * pageSize;
      const items = envelope.Invoices.slice(Math.max(0, offset - start)).map(read);
      const itemCount = envelope.pagination?.itemCount ?? undefined;
      const end = start + envelope.Invoices.length;
      const more = itemCount !== undefined ? end < itemCount : envelope.Invoices.length >= pageSize;
      return { items, next: more ? offsetToken(end) : null, totalCount: itemCount };
    },
  };
}
