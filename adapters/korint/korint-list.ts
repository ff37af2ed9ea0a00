// Korint's invoice listing: the list-by-ids path without ids, paged, in an order given by a sort parameter. Korint
// publishes none of this, so the path, the parameters and the sort values are settings (see settings.ts); Korint is
// not known to filter, so the gateway applies every filter to its invoices.
import { callContextOf, type HttpClient } from '../kit/http.js';
import { coveringPage, offsetPositions, type InvoiceListing, type InvoiceListOrder } from '../kit/listing.js';
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
  return {
    orders,
    start: { offset: 0 },
    filters: [],
    async list(request, options) {
      if (!('offset' in request.from)) throw new RangeError('Korint listings are positioned by offset');
      const offset = request.from.offset;
      const { page, pageSize } = coveringPage(offset, request.limit, settings.pageSize);
      const order = request.order ? settings.listOrders[request.order] : undefined;
      const response = await http.send({
        method: 'GET',
        path: settings.listPath,
        query: {
          [settings.pageParam]: page,
          [settings.pageSizeParam]: pageSize,
          [settings.listSortParam]: order ?? settings.listOrders.ISSUED_AT_DESC,
        },
        idempotent: true,
        ...callContextOf(options),
      });
      const envelope = parseWire(source, korintPageSchema, response.body, 'invoice page');
      const { items: raw, hasMore } = normalizeKorintPage(envelope);
      const start = (page - 1) * pageSize;
      const items = raw.slice(offset - start).map(read);
      const total = 'totalCount' in envelope && typeof envelope.totalCount === 'number' ? envelope.totalCount : 'total' in envelope ? envelope.total : undefined;
      return { items, positions: offsetPositions(offset, items.length), next: hasMore ? { offset: offset + items.length } : null, totalCount: typeof total === 'number' ? total : undefined };
    },
  };
}
