// Korint's invoice listing: the list-by-ids path without ids, paged, in an order given by a sort parameter. Korint
// publishes none of this, so the path, the parameters and the sort values are settings (see settings.ts); Korint is
// not known to filter, so the gateway applies every filter to its invoices. Korint has no bound to resume at a key: a
// read from a key starts at the offset where the invoice just before that key's group stood (its hint), and steps back
// a page while invoices removed ahead of it since moved that key earlier.
import { callContextOf, type HttpClient } from '../kit/http.js';
import { coveringPage, offsetOfToken, offsetToken, type InvoiceListing, type InvoiceListOrder } from '../kit/listing.js';
import type { Invoice } from '../kit/model.js';
import { mapOrError, parseWire } from '../kit/wire.js';
import { korintInvoiceFromWire, type KorintMappingContext } from './korint-to-model.js';
import type { KorintSettings } from './settings.js';
import { korintInvoiceSchema, korintPageSchema, normalizeKorintPage } from './wire.js';

export interface KorintListingDependencies {
  settings: KorintSettings;
  http: HttpClient;
  mapping: KorintMappingContext;
}

/** Creates the listing of one Korint source. */
export function createKorintListing({ settings, http, mapping }: KorintListingDependencies): InvoiceListing {
  const source = settings.name;
  const read = (raw: unknown): Invoice => {
    const invoice = mapOrError(source, 'invoice', () => korintInvoiceFromWire(raw, mapping, source));
    // A list item has no requested id to pin an error on: a malformed invoice fails the page.
    if (invoice instanceof Error) throw invoice;
    return invoice;
  };
  const orders = Object.entries(settings.listOrders)
    .filter(([, value]) => value !== undefined)
    .map(([order]) => order as InvoiceListOrder);
  /** The time Korint sorts by: the issue time, the creation time for a draft (the gateway's issue key). */
  const keyOf = (invoice: Invoice): number => Date.parse(invoice.issuedAt ?? invoice.createdAt ?? '');
  const readWindow = async (offset: number, limit: number, order: string, options: Parameters<InvoiceListing['list']>[1]) => {
    const { page, pageSize } = coveringPage(offset, limit, settings.pageSize);
    const response = await http.send({
      method: 'GET',
      path: settings.listPath,
      query: { [settings.pageParam]: page, [settings.pageSizeParam]: pageSize, [settings.listSortParam]: order },
      idempotent: true,
      ...callContextOf(options),
    });
    const envelope = parseWire(source, korintPageSchema, response.body, 'invoice page');
    const { items: raw, hasMore } = normalizeKorintPage(envelope);
    const items = raw.slice(Math.max(0, offset - (page - 1) * pageSize)).map(read);
    const total = 'totalCount' in envelope && typeof envelope.totalCount === 'number' ? envelope.totalCount : 'total' in envelope ? envelope.total : undefined;
    return { items, hasMore, total: typeof total === 'number' ? total : undefined };
  };
  return {
    orders,
    filters: [],
    maxLimit: settings.pageSize,
    async list(request, options) {
      const order = settings.listOrders[request.order] ?? settings.listOrders.ISSUED_AT_DESC;
      const from = request.from;
      const hinted = request.token === undefined && from?.hint !== undefined && from.key !== null;
      let offset = request.token !== undefined ? offsetOfToken(request.token, source) : hinted ? Number(from.hint) : 0;
      if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError('not a Korint listing hint');
      const ascending = request.order === 'ISSUED_AT_ASC';
      // The invoice at the hint sorted before the key: it still must, or invoices ahead of it were removed since.
      const before = (invoice: Invoice) => (ascending ? keyOf(invoice) < from!.key! : keyOf(invoice) > from!.key!);
      for (;;) {
        const window = await readWindow(offset, request.limit + (hinted ? 1 : 0), order, options);
        const stale = hinted && offset > 0 && (window.items.length === 0 ? true : !before(window.items[0]));
        if (stale) {
          offset = Math.max(0, offset - settings.pageSize);
          continue;
        }
        return {
          items: window.items,
          hints: window.items.map((_, i) => String(offset + i)),
          next: window.hasMore ? offsetToken(offset + window.items.length) : null,
          totalCount: window.total,
        };
      }
    },
  };
}
