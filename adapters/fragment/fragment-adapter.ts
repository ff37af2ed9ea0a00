// The Fragment adapter: batched invoice and payment lookups over `POST /invoices/batch-get`, and idempotent creates.
import type { Adapter, AdapterDependencies, BatchAnswer, BatchFunction, CreateInvoiceRequest, LoadOptions } from '../kit/adapter.js';
import { answerInOrder, chunk, mapConcurrently, uniqueIds } from '../kit/batching.js';
import { createCurrencyTable, type CurrencyTable } from '../kit/currencies.js';
import { AdapterError } from '../kit/errors.js';
import { callContextOf, createHttpClient, type CallContext, type HttpClient, type HttpResponse } from '../kit/http.js';
import type { Invoice, Payment } from '../kit/model.js';
import { plainInvoice } from '../kit/model-plain.js';
import { bearerAuth, createClientCredentialsTokenSource } from '../kit/oauth-client-credentials.js';
import { mapOrError, parseWire } from '../kit/wire.js';
import { fragmentCreateBody, fragmentErrorMessages, sameLineItems } from './fragment-create-body.js';
import { createFragmentListing } from './fragment-list.js';
import { fragmentInvoiceFromWire, parseFragmentPaymentRemoteId } from './fragment-to-model.js';
import type { FragmentSettings } from './settings.js';
import { FragmentInvoice, FragmentInvoiceAnswer, FragmentWireIssue, fragmentInvoiceId, fragmentList, readFragmentBatchGet } from './wire.js';

export interface FragmentAdapterDependencies extends AdapterDependencies {
  /** The clock the token cache uses (tests move it to see a token renewed before it expires). */
  now?: () => number;
}

export interface FragmentAdapter extends Adapter {
  readonly loadPayments: BatchFunction<Payment>;
  createInvoice(request: CreateInvoiceRequest, options: CallContext): Promise<Invoice>;
}

/** The id the circuit probe asks for. */
const PROBE_INVOICE_ID = 'gateway-circuit-probe';

function batchFunction<T>(maxBatchSize: number, load: (ids: readonly string[], options: LoadOptions) => Promise<BatchAnswer<T>>): BatchFunction<T> {
  return Object.assign(load, { maxBatchSize });
}

/** Creates the adapter of one Fragment source. The dispatcher belongs to the caller and is not closed here. */
export function createFragmentAdapter(settings: FragmentSettings, deps: FragmentAdapterDependencies): FragmentAdapter {
  const source = settings.name;
  const table: CurrencyTable = createCurrencyTable(settings.currencyScales);

  // The token endpoint gets its own client: no bearer auth on it, and the gateway's middleware already wraps the call
  // that needed the token.
  const tokenHttp = createHttpClient({ source, baseUrl: settings.tokenUrl, dispatcher: deps.dispatcher, timeouts: deps.timeouts, maxResponseBytes: deps.maxResponseBytes });
  const tokens = createClientCredentialsTokenSource({
    source,
    http: tokenHttp,
    tokenUrl: settings.tokenUrl,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    now: deps.now,
  });
  const http: HttpClient = createHttpClient({
    source,
    baseUrl: settings.baseUrl,
    dispatcher: deps.dispatcher,
    timeouts: deps.timeouts,
    maxResponseBytes: deps.maxResponseBytes,
    // Fragment's amounts are strings of minor units: no number it sends is read as money, so none needs the scan for
    // digits a double cannot carry (it would cost a pass over every batch-get answer).
    markInexactNumbers: false,
    headers: { accept: 'application/json' },
    middleware: [...(deps.middleware ?? []), bearerAuth(tokens)],
  });

  /** One wire item as the lazily built invoice, or its own error. */
  const readInvoice = (raw: unknown): Invoice | AdapterError => mapOrError(source, 'invoice', () => fragmentInvoiceFromWire(raw, table, source));

  /** One batch-get of at most maxBatchSize unique ids: id -> invoice or its own error; not-found ids are absent. */
  const batchGet = async (ids: string[], options: CallContext): Promise<Map<string, Invoice | Error>> => {
    const response = await http.send({
      method: 'POST',
      path: '/invoices/batch-get',
      json: { ids },
      idempotent: true,
      ...callContextOf(options),
    });
    const answer = readFragmentBatchGet(response.body);
    if (answer instanceof FragmentWireIssue) {
      throw new AdapterError('UPSTREAM_BAD_RESPONSE', `${source} sent a malformed batch-get answer at ${answer.path}`, { source });
    }
    const requested = new Set(ids);
    const found = new Map<string, Invoice | Error>();
    for (const raw of answer.invoices) {
      const id = fragmentInvoiceId(raw);
      if (id === null || !requested.has(id)) continue;
      found.set(id, readInvoice(raw));
    }
    const notFound = new Set(answer.notFound);
    // An id Fragment neither answered nor listed as not found: do not pretend it does not exist.
    for (const id of ids) {
      if (!found.has(id) && !notFound.has(id)) {
        found.set(id, new AdapterError('UPSTREAM_BAD_RESPONSE', `${source} did not answer for one of the requested invoices`, { source }));
      }
    }
    return found;
  };

  const loadInvoiceMap = async (ids: readonly string[], options: CallContext): Promise<Map<string, Invoice | Error>> => {
    const chunks = chunk(uniqueIds(ids), settings.maxBatchSize);
    const answers = await mapConcurrently(chunks, settings.concurrency, (part) => batchGet(part, options));
    return new Map(answers.flatMap((answer) => [...answer]));
  };

  const loadInvoices = batchFunction<Invoice>(settings.maxBatchSize, async (ids, options) => {
    if (ids.length === 0) return [];
    return answerInOrder(ids, await loadInvoiceMap(ids, options));
  });

  const loadPayments = batchFunction<Payment>(settings.maxBatchSize, async (remoteIds, options) => {
    const parsed = remoteIds.map((id) => parseFragmentPaymentRemoteId(id));
    const invoiceIds = parsed.flatMap((p) => (p ? [p.invoiceId] : []));
    const invoices = invoiceIds.length > 0 ? await loadInvoiceMap(invoiceIds, options) : new Map<string, Invoice | Error>();
    return remoteIds.map((remoteId, i) => {
      const ref = parsed[i];
      if (!ref) return null;
      const invoice = invoices.get(ref.invoiceId);
      if (!invoice) return null;
      if (invoice instanceof Error) return invoice;
      return invoice.payments.find((p) => p.remoteId === remoteId) ?? null;
    });
  });

  /** `GET /invoices/{id}` (the complete invoice, with balances, payments and users), as raw wire. */
  const retrieve = async (invoiceId: string, options: CallContext): Promise<unknown> => {
    const response = await http.send({
      method: 'GET',
      path: `/invoices/${encodeURIComponent(invoiceId)}`,
      route: '/invoices/{id}',
      acceptStatus: [404],
      idempotent: true,
      ...callContextOf(options),
    });
    if (response.status === 404) {
      throw new AdapterError('UPSTREAM_BAD_RESPONSE', `${source} lost an invoice it had just reported`, { source, status: 404 });
    }
    return parseWire(source, FragmentInvoiceAnswer, response.body, 'invoice answer').data;
  };

  const thrown = (result: Invoice | AdapterError): Invoice => {
    if (result instanceof Error) throw result;
    return result;
  };

  /** A created invoice is small and answered once: every nested value is checked before the create answers. */
  const complete = (raw: unknown): Invoice => {
    const result = mapOrError(source, 'invoice', () => plainInvoice(fragmentInvoiceFromWire(raw, table, source)));
    if (result instanceof Error) throw result;
    return result;
  };

  const createInvoice = async (request: CreateInvoiceRequest, options: CallContext): Promise<Invoice> => {
    const body = fragmentCreateBody(source, request, table);
    // Whether any attempt of the create left and lost its answer: Fragment may then hold the invoice.
    let answerLost = false;
    const context = callContextOf(options);
    let response: HttpResponse;
    try {
      response = await http.send({
        method: 'POST',
        path: '/invoices',
        json: body,
        acceptStatus: [409],
        // invoice_id is the idempotency key: sending the create twice makes one invoice.
        idempotent: true,
        // The lines are the caller's: Fragment's 400 or 422 is theirs to fix, with Fragment's own words.
        callerInput: true,
        providerMessages: fragmentErrorMessages,
        ...context,
        onCall: (call) => {
          if (call.answerLost) answerLost = true;
          context.onCall?.(call);
        },
      });
    } catch (error) {
      // Unless the last attempt got a definite refusal (a 4xx), the lost answer leaves the outcome unknown.
      const refused = error instanceof AdapterError && error.status !== undefined && error.status < 500;
      if (answerLost && !refused) {
        throw new AdapterError(
          'UPSTREAM_OUTCOME_UNKNOWN',
          `${source} may have created the invoice, but its answer was lost; sending the same invoiceId again is safe`,
          { source, cause: error, retryable: false, retrySafe: true },
        );
      }
      throw error;
    }
    if (response.status === 409) {
      // The id exists: the earlier create of the same request succeeded, or the id was used for something else.
      const raw = await retrieve(request.invoiceId, options);
      const existing = parseWire(source, FragmentInvoice, raw, 'invoice');
      if (!sameLineItems(body.line_items, fragmentList(existing, 'line_items'))) {
        throw new AdapterError('BAD_USER_INPUT', 'invoice id already used with different line items', { source, status: 409 });
      }
      return complete(raw);
    }
    const created = parseWire(source, FragmentInvoiceAnswer, response.body, 'create answer').data;
    // Fragment's create answer may leave out balances, payments and users: read the whole invoice back.
    const hasBalances = Array.isArray((created as { balances?: unknown } | null)?.balances);
    return complete(hasBalances ? created : await retrieve(request.invoiceId, options));
  };

  /** A batch-get of one id that exists nowhere: any answer means Fragment is up. */
  const probe = async (options: CallContext): Promise<void> => {
    await batchGet([PROBE_INVOICE_ID], options);
  };

  return {
    kind: 'fragment',
    name: source,
    loadInvoices,
    loadPayments,
    createInvoice,
    reviveInvoice: readInvoice,
    // A page's invoices are the lookups' objects, built lazily from their wire items the same way.
    listInvoices: createFragmentListing({ settings, http, readInvoice: (raw) => thrown(readInvoice(raw)) }),
    probe,
    // Nothing to release: the dispatcher belongs to the gateway, and the token cache holds no timer.
    close: async () => {},
  };
}
