// Fragment's invoice listing: `POST /invoices/search` with `filter.status` and `filter.created { after, before }`,
// paged by `page_info { after, limit }` and `next_cursor`. Fragment documents no order parameter: the order its search
// answers in is an assumption kept in settings (`searchOrder`), and the gateway orders every other way itself.
import { z } from 'zod';
import { callContextOf, type HttpClient } from '../kit/http.js';
import type { InvoiceListFilter, InvoiceListing, InvoiceListOrder } from '../kit/listing.js';
import type { Invoice, InvoiceStatus } from '../kit/model.js';
import { parseWire } from '../kit/wire.js';
import type { FragmentSettings } from './settings.js';
import { snakeKeys } from './wire.js';

/** `POST /invoices/search`: items are read one by one by the caller. */
const FragmentSearchAnswer = z.preprocess(
  snakeKeys,
  z.looseObject({
    data: z.preprocess(
      snakeKeys,
      z.looseObject({
        invoices: z.array(z.unknown()),
        page_info: z.preprocess(snakeKeys, z.looseObject({ next_cursor: z.string().min(1).nullish() })).nullish(),
      }),
    ),
  }),
);

/** The statuses a Fragment `active` invoice can have: its status is derived from its balances. */
const ACTIVE_OUTCOMES: readonly InvoiceStatus[] = ['OPEN', 'PARTIALLY_PAID', 'PAID'];

const DAY_MS = 86_400_000;

/** ISO 8601 to the second, as Fragment prints its times. */
const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The search `filter` Fragment applies for `filter`: `status` and `created` (exclusive bounds, whole seconds). */
export function fragmentSearchFilter(filter: InvoiceListFilter): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  // Every open, partly paid or paid Fragment invoice is `active`, its one documented status.
  if (filter.statuses && filter.statuses.every((status) => ACTIVE_OUTCOMES.includes(status))) body.status = 'active';
  const created: Record<string, string> = {};
  // Fragment has no issue date: its invoices are listed by creation time, a second before the first day...
  if (filter.issuedFrom) created.after = isoSeconds(Date.parse(`${filter.issuedFrom}T00:00:00Z`) - 1000);
  // ...to the start of the day after the last one.
  if (filter.issuedTo) created.before = isoSeconds(Date.parse(`${filter.issuedTo}T00:00:00Z`) + DAY_MS);
  if (Object.keys(created).length > 0) body.created = created;
  return body;
}

export interface FragmentListingDependencies {
  settings: FragmentSettings;
  http: HttpClient;
  /** The adapter's own wire-item-to-model function (the lookups' one), throwing on a malformed item. */
  readInvoice: (raw: unknown) => Invoice;
}

/** Creates the listing of one Fragment source. */
export function createFragmentListing(deps: FragmentListingDependencies): InvoiceListing {
  const { settings, http } = deps;
  const order: InvoiceListOrder = settings.searchOrder === 'created-desc' ? 'ISSUED_AT_DESC' : 'ISSUED_AT_ASC';
  return {
    orders: [order],
    start: { cursor: null, skip: 0 },
    filters: ['statuses', 'issuedFrom', 'issuedTo'],
    async list(request, options) {
      if (!('cursor' in request.from)) throw new RangeError('Fragment listings are positioned by cursor');
      const { cursor, skip } = request.from;
      if (request.filter.statuses && !request.filter.statuses.some((status) => ACTIVE_OUTCOMES.includes(status))) {
        return { items: [], next: null };
      }
      // The page from `cursor` up to the items wanted: Fragment cannot start in the middle of a page.
      const limit = Math.min(settings.searchPageSize, skip + Math.max(1, request.limit));
      const response = await http.send({
        method: 'POST',
        path: '/invoices/search',
        json: {
          filter: fragmentSearchFilter(request.filter),
          page_info: { limit, ...(cursor ? { after: cursor } : {}) },
        },
        // A search reads only.
        idempotent: true,
        ...callContextOf(options),
      });
      const answer = parseWire(settings.name, FragmentSearchAnswer, response.body, 'search answer');
      const items = answer.data.invoices.slice(skip).map(deps.readInvoice);
      const nextCursor = answer.data.page_info?.next_cursor;
      return { items, next: nextCursor ? { cursor: nextCursor, skip: 0 } : null };
    },
  };
}
