// In-memory providers for the listing's property tests: each provider's listing as its sandbox serves it (the very
// functions the sandboxes answer with: Fragment's search, Xero's GET /Invoices with its where/order/paging, Korint's list
// order), over data a test builds and changes at will, behind the real adapters' listing code. Only HTTP is left out:
// the adapter's HttpClient hands the request to the sandbox function in memory.
import { fragmentInvoiceFromWire } from '../../../adapters/fragment/fragment-to-model.js';
import { createFragmentListing } from '../../../adapters/fragment/fragment-list.js';
import { withBalances, type SandboxInvoice } from '../../../adapters/fragment/sandbox/fragment-ledger.js';
import { createFragmentSearch } from '../../../adapters/fragment/sandbox/fragment-search.js';
import { fragmentSettingsSchema } from '../../../adapters/fragment/settings.js';
import { defaultCurrencies } from '../../../adapters/kit/currencies.js';
import { errorForStatus, type HttpClient, type HttpRequest } from '../../../adapters/kit/http.js';
import type { InvoiceListing } from '../../../adapters/kit/listing.js';
import type { Invoice } from '../../../adapters/kit/model.js';
import type { SandboxRequest, SandboxResponse } from '../../../adapters/kit/sandbox-server.js';
import { createKorintListing } from '../../../adapters/korint/korint-list.js';
import { korintInvoiceFromWire } from '../../../adapters/korint/korint-to-model.js';
import { korintListOrder } from '../../../adapters/korint/sandbox/korint-list-order.js';
import { createKorintSeedInvoices, type SeededKorintInvoice } from '../../../adapters/korint/sandbox/seed-data.js';
import { korintSettingsSchema } from '../../../adapters/korint/settings.js';
import { createXeroListing } from '../../../adapters/xero/xero-list.js';
import { xeroInvoiceFromWire } from '../../../adapters/xero/xero-to-model.js';
import { listXeroInvoices } from '../../../adapters/xero/sandbox/xero-sandbox.js';
import type { XeroSandboxDataset, XeroSandboxInvoice } from '../../../adapters/xero/sandbox/xero-sandbox-data.js';
import { OrderParseError } from '../../../adapters/xero/sandbox/xero-sandbox-order.js';
import { WhereParseError } from '../../../adapters/xero/sandbox/xero-where-parser.js';

/** One invoice of a generated data set: which of a few keys it has (so many share one), and its state. */
export interface InvoiceSpec {
  /** Index of its time among a handful (0..5): invoices with the same index tie. */
  key: number;
  /** A second index for the modification time (Xero's UpdatedDateUTC): ties there too. */
  sub: number;
  /** Open, partly paid, paid, draft, void (each provider maps what it has). */
  state: number;
  /** A remote id longer than 64 characters (Fragment's ids are the caller's own). */
  long: boolean;
}

/** A change between pages. */
export interface ChangeSpec {
  kind: 'create' | 'update' | 'delete';
  /** Which invoice (modulo how many there are). */
  target: number;
  key: number;
  sub: number;
  state: number;
}

export interface ProviderModel {
  readonly source: string;
  readonly kind: 'fragment' | 'xero' | 'korint';
  readonly listing: InvoiceListing;
  /** The invoices as the adapter maps them, now. */
  invoices(): Invoice[];
  /** Upstream requests served. */
  readonly requests: number;
  apply(change: ChangeSpec): void;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** An HttpClient answering from `serve` in memory, with the real client's error mapping. */
function memoryHttp(source: string, serve: (req: SandboxRequest) => SandboxResponse, count: () => void): HttpClient {
  return {
    source,
    async send(req: HttpRequest) {
      await req.admit?.(source);
      count();
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(req.query ?? {})) if (value !== undefined) query.set(key, String(value));
      const headers: Record<string, string> = { accept: 'application/json' };
      for (const [key, value] of Object.entries(req.headers ?? {})) headers[key.toLowerCase()] = value;
      const answer = serve({ method: req.method, path: req.path, query, headers, body: structuredClone(req.json), badItem: false });
      const responseHeaders = answer.headers ?? {};
      if ((answer.status < 200 || answer.status >= 300) && !(req.acceptStatus ?? []).includes(answer.status)) {
        const error = errorForStatus(source, answer.status, responseHeaders);
        (error as { detail?: unknown }).detail = answer.json ?? answer.text;
        throw error;
      }
      // The wire is JSON: what the adapter reads is what a client would have parsed.
      return { status: answer.status, headers: responseHeaders, body: answer.json === undefined ? answer.text : JSON.parse(JSON.stringify(answer.json)) };
    },
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const isoSeconds = (ms: number) => iso(ms).replace(/\.\d{3}Z$/, 'Z');

// --- Fragment ----------------------------------------------------------------------------------------------------

const FRAGMENT_T0 = Date.UTC(2024, 2, 1, 10, 0, 0);

function fragmentInvoice(id: string, spec: { key: number; state: number }): SandboxInvoice {
  const created = FRAGMENT_T0 + spec.key * 7 * HOUR;
  const amount = 1_000 + (id.length * 37) % 9_000;
  const currency = id.length % 2 === 0 ? 'USD' : 'EUR';
  const state = spec.state % 3;
  const modified = state === 0 ? created : created + (1 + spec.state) * HOUR;
  return withBalances({
    id,
    workspace_id: 'ws_model',
    status: 'active',
    version: 1 + (state === 0 ? 0 : 1),
    created: isoSeconds(created),
    modified: isoSeconds(modified),
    line_items: [{ id: `item_${id}`, amount: String(amount), currency_code: currency, description: 'x', product_id: 'p', type: 'payin', user_id: 'user_1' }],
    payments:
      state === 0
        ? []
        : [
            {
              amount: String(state === 2 ? amount : Math.floor(amount / 2)),
              currency,
              posted: isoSeconds(modified),
              transaction: { id: `txn_${id}`, external_id: `pay_${id}`, tags: [] },
              type: 'payin',
              user: { id: 'usr_1', external_id: 'user_1' },
            },
          ],
  });
}

/** A Fragment source over generated invoices; `newestFirst` is its search order (settings' searchOrder). */
export function createFragmentModel(source: string, specs: readonly InvoiceSpec[], options: { pageSize: number; newestFirst: boolean; seed: number }): ProviderModel {
  const invoices = new Map<string, SandboxInvoice>();
  let created = 0;
  const idOf = (spec: { long: boolean }) => {
    created += 1;
    const id = `${source}_${String(created).padStart(3, '0')}`;
    return spec.long ? `${id}_${'x'.repeat(70)}_${created % 7}` : id;
  };
  for (const spec of specs) {
    const id = idOf(spec);
    invoices.set(id, fragmentInvoice(id, spec));
  }
  const search = createFragmentSearch(() => invoices.values(), { direction: options.newestFirst ? -1 : 1, seed: options.seed });
  let requests = 0;
  const http = memoryHttp(source, (req) => search(req.body), () => (requests += 1));
  const settings = fragmentSettingsSchema.parse({
    name: source,
    baseUrl: 'http://fragment.test',
    clientId: 'id',
    clientSecret: 'secret',
    searchOrder: options.newestFirst ? 'created-desc' : 'created-asc',
    searchPageSize: options.pageSize,
  });
  const read = (raw: unknown) => fragmentInvoiceFromWire(raw, defaultCurrencies, source);
  return {
    source,
    kind: 'fragment',
    listing: createFragmentListing({ settings, http, readInvoice: read }),
    invoices: () => [...invoices.values()].map(read),
    get requests() {
      return requests;
    },
    apply(change) {
      const ids = [...invoices.keys()];
      if (change.kind === 'create' || ids.length === 0) {
        const id = idOf({ long: change.state % 5 === 4 });
        invoices.set(id, fragmentInvoice(id, change));
        return;
      }
      const id = ids[change.target % ids.length];
      // Fragment invoices are not deleted, but one may leave a filtered listing: the model takes it out.
      if (change.kind === 'delete') invoices.delete(id);
      // An update keeps the creation time (Fragment's key); payments and `modified` change.
      else invoices.set(id, fragmentInvoice(id, { key: (Date.parse(invoices.get(id)!.created) - FRAGMENT_T0) / (7 * HOUR), state: change.state }));
    },
  };
}

// --- Xero --------------------------------------------------------------------------------------------------------

const XERO_BASE = Date.UTC(2024, 4, 1);
const XERO_STATUSES: ReadonlyArray<XeroSandboxInvoice['status']> = ['AUTHORISED', 'AUTHORISED', 'PAID', 'DRAFT', 'VOIDED', 'SUBMITTED'];

/** A deterministic GUID for a number (not in the order of the numbers, as text or as SQL Server sorts them). */
function guidOf(n: number): string {
  let h = (n * 2_654_435_761) >>> 0;
  const hex: string[] = [];
  for (let i = 0; i < 32; i += 1) {
    h = Math.imul(h ^ (h >>> 15), 2_246_822_519) >>> 0;
    hex.push((h & 15).toString(16));
  }
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-8${s.slice(17, 20)}-${s.slice(20)}`;
}

function xeroInvoice(id: string, number: number, spec: { key: number; sub: number; state: number }, contact: XeroSandboxDataset['contacts'][number], version: number): XeroSandboxInvoice {
  const dateMs = XERO_BASE + spec.key * DAY;
  const total = 10_000 + (number * 131) % 90_000;
  const status = XERO_STATUSES[spec.state % XERO_STATUSES.length];
  const partial = spec.state % XERO_STATUSES.length === 1;
  const amountPaid = status === 'PAID' ? total : partial ? Math.floor(total / 3) : 0;
  return {
    id,
    number: `INV-${number}`,
    type: 'ACCREC',
    status,
    currency: number % 2 === 0 ? 'NZD' : 'AUD',
    scale: 2,
    contact,
    reference: '',
    dateMs,
    dueMs: dateMs + 14 * DAY,
    // Ties in the modification time too; each update moves it on.
    updatedMs: dateMs + 12 * HOUR + spec.sub * 1000 + version * 60_000,
    fullyPaidMs: status === 'PAID' ? dateMs + DAY : null,
    lines: [{ id: guidOf(number + 1_000_000), description: 'Work', itemCode: null, quantity100: 100, unit4: total * 100, lineAmount: total, taxAmount: 0, accountCode: '200' }],
    subTotal: total,
    totalTax: 0,
    total,
    amountPaid,
    amountCredited: 0,
    amountDue: status === 'VOIDED' ? 0 : total - amountPaid,
    paymentIds: [],
  };
}

/** A Xero tenant over generated invoices. */
export function createXeroModel(source: string, specs: readonly InvoiceSpec[], options: { pageSize: number }): ProviderModel {
  const contact = { id: guidOf(7), number: 'C-1', name: 'Model Ltd', email: 'a@b.example' };
  const data: XeroSandboxDataset = {
    tenantId: guidOf(1),
    contacts: [contact],
    invoices: [],
    payments: [],
    batches: [],
    invoiceById: new Map(),
    paymentById: new Map(),
    batchById: new Map(),
  };
  let created = 0;
  let version = 0;
  const add = (spec: { key: number; sub: number; state: number }) => {
    created += 1;
    const invoice = xeroInvoice(guidOf(created), created, spec, contact, 0);
    data.invoices.push(invoice);
    data.invoiceById.set(invoice.id, invoice);
  };
  for (const spec of specs) add(spec);
  let requests = 0;
  const serve = (req: SandboxRequest): SandboxResponse => {
    try {
      return listXeroInvoices(req, data);
    } catch (error) {
      if (error instanceof WhereParseError || error instanceof OrderParseError) {
        return { status: 400, json: { ErrorNumber: 16, Type: 'QueryParseException', Message: error.message } };
      }
      throw error;
    }
  };
  const http = memoryHttp(source, serve, () => (requests += 1));
  const read = (raw: unknown) => xeroInvoiceFromWire(raw, defaultCurrencies, source);
  return {
    source,
    kind: 'xero',
    listing: createXeroListing({ source, http, table: defaultCurrencies, maxPageSize: options.pageSize }),
    invoices: () => {
      const answer = listXeroInvoices({ method: 'GET', path: '/Invoices', query: new URLSearchParams({ page: '1', pageSize: '100000', unitdp: '4' }), headers: {}, body: undefined, badItem: false }, data);
      return ((answer.json as { Invoices: unknown[] }).Invoices ?? []).map(read);
    },
    get requests() {
      return requests;
    },
    apply(change) {
      if (change.kind === 'create' || data.invoices.length === 0) {
        add(change);
        return;
      }
      const index = change.target % data.invoices.length;
      const old = data.invoices[index];
      if (change.kind === 'delete') {
        data.invoices.splice(index, 1);
        data.invoiceById.delete(old.id);
        return;
      }
      // An update keeps the date (the issue order's key) and moves UpdatedDateUTC on.
      version += 1;
      const number = Number(old.number.slice(4));
      const updated = xeroInvoice(old.id, number, { key: Math.round((old.dateMs - XERO_BASE) / DAY), sub: change.sub, state: change.state }, contact, version);
      data.invoices[index] = updated;
      data.invoiceById.set(updated.id, updated);
    },
  };
}

// --- Korint ------------------------------------------------------------------------------------------------------

const KORINT_T0 = Date.UTC(2025, 1, 3, 9, 0, 0);
const KORINT_STATUSES = ['ISSUED', 'PAID', 'DRAFTED', 'CANCELLED', 'ISSUED', 'PAYMENT_FAILED'] as const;
const KORINT_TEMPLATE = createKorintSeedInvoices(1, 5)[0];

function korintInvoice(id: string, spec: { key: number; state: number }): SeededKorintInvoice {
  const status = KORINT_STATUSES[spec.state % KORINT_STATUSES.length];
  const issued = KORINT_T0 + spec.key * 9 * HOUR;
  const invoice = structuredClone(KORINT_TEMPLATE) as SeededKorintInvoice;
  invoice.id = id;
  invoice.status = status;
  // A draft has no issue time: it sorts by its creation time, which ties among drafts of the same key.
  invoice.createdAt = iso(issued - DAY);
  invoice.issuedAt = status === 'DRAFTED' ? null : iso(issued);
  invoice.paymentId = status === 'PAID' ? `pi_${id}` : null;
  invoice.paidAt = status === 'PAID' ? iso(issued + DAY) : null;
  invoice.hasFailedOnce = status === 'PAYMENT_FAILED';
  invoice.firstFailedAt = status === 'PAYMENT_FAILED' ? iso(issued + 2 * DAY) : null;
  return invoice;
}

/** A Korint source over generated invoices. */
export function createKorintModel(source: string, specs: readonly InvoiceSpec[], options: { pageSize: number }): ProviderModel {
  const invoices: SeededKorintInvoice[] = [];
  let created = 0;
  const add = (spec: { key: number; state: number }) => {
    created += 1;
    invoices.push(korintInvoice(`kor_${String(created).padStart(3, '0')}`, spec));
  };
  for (const spec of specs) add(spec);
  let requests = 0;
  // Korint's listing as its sandbox serves it: the sort order, 1-based pages, the documented envelope.
  const serve = (req: SandboxRequest): SandboxResponse => {
    const order = korintListOrder(req.query.get('sort') ?? '-issuedAt');
    const page = Number(req.query.get('page') ?? '1');
    const pageSize = Number(req.query.get('pageSize') ?? '20');
    if (!order || !(page >= 1) || !(pageSize >= 1 && pageSize <= 100)) return { status: 400, json: { statusCode: 400, error: 'Bad Request', message: 'bad page' } };
    const found = [...invoices].sort(order);
    const totalPages = Math.ceil(found.length / pageSize);
    const data = found.slice((page - 1) * pageSize, page * pageSize);
    return { status: 200, json: { data, pageInfo: { first: page === 1, last: page >= totalPages }, totalCount: found.length, currentPage: page, totalPages } };
  };
  const http = memoryHttp(source, serve, () => (requests += 1));
  const settings = korintSettingsSchema.parse({ name: source, baseUrl: 'http://korint.test', token: 't', pageSize: options.pageSize });
  const mapping = { currency: 'EUR', currencies: defaultCurrencies };
  const read = (raw: unknown) => korintInvoiceFromWire(JSON.parse(JSON.stringify(raw)), mapping, source);
  return {
    source,
    kind: 'korint',
    listing: createKorintListing({ settings, http, mapping }),
    invoices: () => invoices.map(read),
    get requests() {
      return requests;
    },
    apply(change) {
      if (change.kind === 'create' || invoices.length === 0) {
        add(change);
        return;
      }
      const index = change.target % invoices.length;
      if (change.kind === 'delete') {
        invoices.splice(index, 1);
        return;
      }
      // An update keeps the issue time, so the key, unless a draft gets issued (its key moves to the issue time).
      const old = invoices[index];
      const key = Math.round((Date.parse(String(old.createdAt)) + DAY - KORINT_T0) / (9 * HOUR));
      invoices[index] = korintInvoice(old.id, { key, state: change.state });
    },
  };
}
