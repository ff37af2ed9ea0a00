// Fragment's invoice listing: `POST /invoices/search` with `filter.status` and `filter.created { after, before }`,
// paged by `page_info { after, limit }` and `next_cursor` (or by creation time, see below). Fragment documents no order
// parameter: the order its search
// answers in is an assumption kept in settings (`searchOrder`), and the gateway orders every other way itself.
import { AdapterError } from '../kit/errors.js';
import { callContextOf, type HttpClient } from '../kit/http.js';
import type { InvoiceListFilter, InvoiceListing, InvoiceListOrder, ListPosition } from '../kit/listing.js';
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

/** A position after the invoice created at `ms` with id `id` (read with Fragment's search order and `filter.created`). */
const keyToken = (ms: number, id: string): string => `k:${ms}:${id}`;

/** A position at one of Fragment's own `next_cursor`s. */
const cursorToken = (cursor: string): string => `c:${cursor}`;

function readToken(token: string | null): { cursor?: string; after?: { ms: number; id: string } } {
  if (token === null) return {};
  if (token.startsWith('c:') && token.length > 2) return { cursor: token.slice(2) };
  const key = /^k:(-?\d{1,16}):(.+)$/.exec(token);
  if (key) return { after: { ms: Number(key[1]), id: key[2] } };
  throw new AdapterError('BAD_USER_INPUT', 'not a Fragment listing position', { source: 'fragment' });
}

/**
 * Creates the listing of one Fragment source. A page continues from Fragment's `next_cursor` when it ended on a page
 * boundary, and otherwise from the last invoice it gave: `filter.created` bounded at that invoice's creation time,
 * skipping the invoices of that same second already given (ties come in id order), so no page reads the ones before.
 */
export function createFragmentListing(deps: FragmentListingDependencies): InvoiceListing {
  const { settings, http } = deps;
  const newestFirst = settings.searchOrder === 'created-desc';
  const order: InvoiceListOrder = newestFirst ? 'ISSUED_AT_DESC' : 'ISSUED_AT_ASC';
  /** True when an invoice (created at `ms`, id `id`) comes at or before the position `after` in the search order. */
  const given = (ms: number, id: string, after: { ms: number; id: string }) =>
    (newestFirst ? ms > after.ms : ms < after.ms) || (ms === after.ms && id <= after.id);
  return {
    orders: [order],
    start: { token: null },
    filters: ['statuses', 'issuedFrom', 'issuedTo'],
    // `active` covers three statuses, and `created` is bounded to the second around the days asked.
    exactFilters: [],
    // Fragment's `modified` is set at creation and moves only forward.
    issuedNotAfterUpdated: true,
    async list(request, options) {
      if (!('token' in request.from)) throw new RangeError('Fragment listings are positioned by token');
      const { cursor, after } = readToken(request.from.token);
      if (request.filter.statuses && !request.filter.statuses.some((status) => ACTIVE_OUTCOMES.includes(status))) {
        return { items: [], positions: [], next: null };
      }
      const filter = fragmentSearchFilter(request.filter);
      if (after) {
        // Creation times are whole seconds at Fragment: bound the search at the last invoice's second (exclusive bounds).
        const created = { ...((filter.created as Record<string, string> | undefined) ?? {}) };
        if (newestFirst) {
          const before = isoSeconds(after.ms + 1000);
          if (!created.before || Date.parse(created.before) > Date.parse(before)) created.before = before;
        } else {
          const from = isoSeconds(after.ms - 1000);
          if (!created.after || Date.parse(created.after) < Date.parse(from)) created.after = from;
        }
        filter.created = created;
      }
      // A few more than wanted when resuming by time: the invoices of the same second already given are skipped.
      const limit = Math.min(settings.searchPageSize, Math.max(1, request.limit) + (after ? 10 : 0));
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
      const items: Invoice[] = [];
      const positions: ListPosition[] = [];
      let position: ListPosition = request.from;
      for (const raw of answer.invoices) {
        const invoice = deps.readInvoice(raw);
        const ms = invoice.createdAt ? Date.parse(invoice.createdAt) : Number.NaN;
        if (after && !Number.isNaN(ms) && given(ms, invoice.remoteId, after)) continue;
        items.push(invoice);
        positions.push(position);
        if (!Number.isNaN(ms)) position = { token: keyToken(ms, invoice.remoteId) };
      }
      const nextCursor = answer.nextCursor;
      return { items, positions, next: nextCursor ? { token: cursorToken(nextCursor) } : null };
    },
  };
}
