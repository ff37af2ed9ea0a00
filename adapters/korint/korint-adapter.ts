// The Korint adapter: invoices by ids through Korint's paginated ids filter, with its simulation context forwarded.
import { SourceStartError, type Adapter, type AdapterDependencies, type BatchFunction, type LoadOptions } from '../kit/adapter.js';
import { answerInOrder, chunk, mapConcurrently, uniqueIds } from '../kit/batching.js';
import { createCurrencyTable } from '../kit/currencies.js';
import { callContextOf, createHttpClient } from '../kit/http.js';
import type { Invoice, Payment } from '../kit/model.js';
import { bearerAuth, staticBearer } from '../kit/oauth-client-credentials.js';
import { createFileTokenSource } from '../kit/token-file.js';
import { mapOrError, parseWire } from '../kit/wire.js';
import { createKorintListing } from './korint-list.js';
import { korintInvoiceFromWire, parseKorintPaymentRemoteId, type KorintMappingContext } from './korint-to-model.js';
import type { KorintSettings } from './settings.js';
import { korintInvoiceSchema, korintItemIdSchema, korintPageSchema, normalizeKorintPage } from './wire.js';

export const KORINT_KIND = 'korint';

/**
 * The most ids one loadInvoices call takes. Korint has no hard batch limit of its own (ids are paginated), so the
 * adapter takes large batches and chunks them itself to `maxIdsPerRequest` ids per request.
 */
export const KORINT_MAX_BATCH_SIZE = 1000;

/**
 * Ids per request: the largest multiple of the page size that fits `maxIdsPerRequest`, so every page but a batch's
 * last is full and a batch of n ids costs at most ceil(n / pageSize) page requests.
 */
export function korintIdsPerRequest(settings: Pick<KorintSettings, 'pageSize' | 'maxIdsPerRequest'>): number {
  if (settings.pageSize >= settings.maxIdsPerRequest) return settings.maxIdsPerRequest;
  return Math.floor(settings.maxIdsPerRequest / settings.pageSize) * settings.pageSize;
}

/** Creates a Korint adapter. The dispatcher belongs to the caller, so `close()` has nothing of its own to release. */
export function createKorintAdapter(settings: KorintSettings, deps: AdapterDependencies): Adapter {
  const source = settings.name;
  // A token file is read again when it changes and after a 401 (whose call is then retried once with the new token).
  const tokenFile = settings.tokenFile ? createFileTokenSource({ source, path: settings.tokenFile, variable: 'KORINT_TOKEN_FILE' }) : undefined;
  const http = createHttpClient({
    source,
    baseUrl: settings.baseUrl,
    dispatcher: deps.dispatcher,
    timeouts: deps.timeouts,
    maxResponseBytes: deps.maxResponseBytes,
    headers: { accept: 'application/json' },
    middleware: [...(deps.middleware ?? []), tokenFile ? bearerAuth(tokenFile) : staticBearer(settings.token ?? '')],
  });
  const mapping: KorintMappingContext = {
    currency: settings.currency,
    currencies: createCurrencyTable(settings.currencyScales),
  };
  const idsPerRequest = korintIdsPerRequest(settings);

  /** Follows the pages of one ids chunk until every id is answered or the pages end. */
  const loadChunk = async (ids: string[], options: LoadOptions): Promise<Map<string, Invoice | Error>> => {
    const wanted = new Set(ids);
    const found = new Map<string, Invoice | Error>();
    const simulation = options.simulation ?? {};
    // Each page but the last brings at least one item, so a chunk never needs more pages than it has ids.
    for (let page = 1; page <= ids.length; page += 1) {
      const response = await http.send({
        method: 'GET',
        path: settings.invoicesPath,
        query: {
          [settings.idsParam]: ids.join(','),
          [settings.pageParam]: page,
          [settings.pageSizeParam]: settings.pageSize,
          simulatedAt: simulation.simulatedAt || undefined,
          whenAt: simulation.whenAt || undefined,
        },
        idempotent: true,
        ...callContextOf(options),
      });
      const { items, hasMore } = normalizeKorintPage(parseWire(source, korintPageSchema, response.body, 'invoice page'));
      for (const item of items) {
        // An item without a readable id cannot be tied to a request; its id then answers null.
        const head = korintItemIdSchema.safeParse(item);
        if (!head.success || !wanted.has(head.data.id) || found.has(head.data.id)) continue;
        found.set(
          head.data.id,
          mapOrError(source, 'invoice', () => korintInvoiceFromWire(item, mapping, source)),
        );
      }
      if (!hasMore || items.length === 0 || found.size === wanted.size) break;
    }
    return found;
  };

  const loadInvoiceMap = async (remoteIds: readonly string[], options: LoadOptions): Promise<Map<string, Invoice | Error>> => {
    const ids = uniqueIds(remoteIds);
    const found = new Map<string, Invoice | Error>();
    if (ids.length === 0) return found;
    const answers = await mapConcurrently(chunk(ids, idsPerRequest), settings.concurrency, (part) => loadChunk(part, options));
    for (const answer of answers) for (const [id, value] of answer) found.set(id, value);
    return found;
  };

  const loadInvoices = Object.assign(
    async (remoteIds: readonly string[], options: LoadOptions) =>
      remoteIds.length === 0 ? [] : answerInOrder(remoteIds, await loadInvoiceMap(remoteIds, options)),
    { maxBatchSize: KORINT_MAX_BATCH_SIZE },
  ) satisfies BatchFunction<Invoice>;

  // A payment lives on its invoice (`<invoiceId>/<paymentId>`): looked up through the invoices, in the same batches.
  const loadPayments = Object.assign(
    async (remoteIds: readonly string[], options: LoadOptions) => {
      const parsed = remoteIds.map((id) => parseKorintPaymentRemoteId(id));
      const invoices = await loadInvoiceMap(parsed.flatMap((ref) => (ref ? [ref.invoiceId] : [])), options);
      return remoteIds.map((remoteId, i): Payment | Error | null => {
        const ref = parsed[i];
        const invoice = ref ? invoices.get(ref.invoiceId) : undefined;
        if (!invoice) return null;
        if (invoice instanceof Error) return invoice;
        return invoice.payments.find((payment) => payment.remoteId === remoteId) ?? null;
      });
    },
    { maxBatchSize: KORINT_MAX_BATCH_SIZE },
  ) satisfies BatchFunction<Payment>;

  return {
    kind: KORINT_KIND,
    name: source,
    loadInvoices,
    loadPayments,
    listInvoices: createKorintListing({ settings, http, mapping }),
    // The list-by-ids path with one id: any answer means Korint is up.
    probe: async (options) => void (await loadChunk(['gateway-circuit-probe'], options)),
    // Korint answers as of `simulatedAt` / `whenAt`; the gateway keeps such lookups in batches of their own.
    simulation: true,
    // The wire item already answers for its simulation context: reviving it needs none.
    reviveInvoice: (wireItem) => mapOrError(source, 'invoice', () => korintInvoiceFromWire(wireItem, mapping, source)),
    ...(tokenFile && {
      start: () =>
        tokenFile.check().catch(() => {
          throw new SourceStartError(source, `${source}: KORINT_TOKEN_FILE cannot be read or is empty`);
        }),
    }),
    close: async () => tokenFile?.close(),
  };
}
