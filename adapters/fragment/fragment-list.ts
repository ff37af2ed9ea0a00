// Fragment's invoice listing: `POST /invoices/search` with `filter.status` and `filter.created { after, before }`,
// paged by `page_info { after, limit }` and `next_cursor`. Fragment documents no order parameter: the order its search
// answers in is an assumption kept in settings (`searchOrder`); the gateway refuses the other orders for Fragment.
import { AdapterError } from '../kit/errors.js';
import { callContextOf, type HttpClient } from '../kit/http.js';
import type { InvoiceListFilter, InvoiceListing, InvoiceListOrder } from '../kit/listing.js';
import type { Invoice, InvoiceStatus } from '../kit/model.js';
import type { FragmentSettings } from './settings.js';
import { FragmentWireIssue, readFragmentSearch } from './wire.js';

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

/** A Fragment listing token: its own `next_cursor`, valid with the very filter it came from (the same request). */
const cursorOfToken = (token: string | undefined): string | undefined => {
  if (token === undefined) return undefined;
  if (!token.startsWith('c:') || token.length < 3) throw new RangeError('not a Fragment listing token');
  return token.slice(2);
};

/**
 * Creates the listing of one Fragment source. A read from a key bounds `filter.created` at that key's second (the
 * whole second, so every invoice sharing it comes again and the gateway orders them itself: Fragment documents no order
 * for ties), and goes on with Fragment's `next_cursor` under that same filter, where the cursor is stable.
 */
export function createFragmentListing(deps: FragmentListingDependencies): InvoiceListing {
  const { settings, http } = deps;
  const newestFirst = settings.searchOrder === 'created-desc';
  const order: InvoiceListOrder = newestFirst ? 'ISSUED_AT_DESC' : 'ISSUED_AT_ASC';
  return {
    orders: [order],
    filters: ['statuses', 'issuedFrom', 'issuedTo'],
    // `active` covers three statuses; the `created` bounds are exact for Fragment's whole-second times.
    exactFilters: ['issuedFrom', 'issuedTo'],
    maxLimit: settings.searchPageSize,
    async list(request, options) {
      const cursor = cursorOfToken(request.token);
      if (request.filter.statuses && !request.filter.statuses.some((status) => ACTIVE_OUTCOMES.includes(status))) {
        return { items: [], next: null };
      }
      const filter = fragmentSearchFilter(request.filter);
      if (request.from && request.from.key !== null) {
        // Fragment's bounds are exclusive and its times whole seconds: bound just outside the key's second.
        const second = Math.floor(request.from.key / 1000) * 1000;
        const created = { ...((filter.created as Record<string, string> | undefined) ?? {}) };
        if (newestFirst) {
          const before = isoSeconds(second + 1000);
          if (!created.before || Date.parse(created.before) > Date.parse(before)) created.before = before;
        } else {
          const after = isoSeconds(second - 1000);
          if (!created.after || Date.parse(created.after) < Date.parse(after)) created.after = after;
        }
        filter.created = created;
      }
      const limit = Math.max(1, Math.min(settings.searchPageSize, request.limit));
      const response = await http.send({
        method: 'POST',
        path: '/invoices/search',
        json: { filter, page_info: { limit, ...(cursor ? { after: cursor } : {}) } },
        // A search reads only.
        idempotent: true,
        ...callContextOf(options),
      });
      // Read in either casing (`page_info` / `pageInfo`), as every Fragment answer.
      const answer = readFragmentSearch(response.body);
      if (answer instanceof FragmentWireIssue) {
        throw new AdapterError('UPSTREAM_BAD_RESPONSE', `${settings.name} sent a malformed search answer at ${answer.path}`, { source: settings.name });
      }
      const items = answer.invoices.map((raw) => deps.readInvoice(raw));
      return { items, next: answer.nextCursor ? `c:${answer.nextCursor}` : null };
    },
  };
}
