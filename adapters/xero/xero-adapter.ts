// The Xero adapter: one tenant. Invoices by `IDs` (50 a call), payments and batch payments by `where` filters on their
// ids (Xero has no ids parameter there), batch payment listing by filter. Every call carries the tenant header and
// passes the tenant's rate limiter (5 in flight, 60 a minute), so the gateway stays under Xero's limits on its own.
// Payments are written through the same client (xero-payment-writes.ts).
import type { Adapter, AdapterDependencies, BatchFunction, BatchPaymentFilter, LoadOptions } from '../kit/adapter.js';
import { answerInOrder, chunk, mapConcurrently, uniqueIds } from '../kit/batching.js';
import { createCurrencyTable } from '../kit/currencies.js';
import { AdapterError } from '../kit/errors.js';
import { callContextOf, createHttpClient, type CallContext, type HttpClient } from '../kit/http.js';
import type { BatchPayment, Invoice, Payment } from '../kit/model.js';
import { createRateLimiter, rateLimitMiddleware } from '../kit/rate-limiter.js';
import { createSharedRateLimiter } from '../kit/shared-limiter.js';
import { mapOrError, parseWire } from '../kit/wire.js';
import { z } from 'zod';
import { xeroConnectionOf, type XeroSettings } from './settings.js';
import { createXeroAuth } from './xero-auth.js';
import { createXeroTenant } from './xero-tenant.js';
import {
  XeroBatchPaymentSchema,
  XeroBatchPaymentsEnvelopeSchema,
  XeroIdOnlySchemas,
  XeroInvoicesEnvelopeSchema,
  XeroPaymentSchema,
  XeroPaymentsEnvelopeSchema,
} from './wire.js';
import { abortableSleep } from '../kit/retry.js';
import { createXeroListing } from './xero-list.js';
import { createXeroPaymentWrites } from './xero-payment-writes.js';
import { xeroRateLimitRetry } from './xero-rate-limit-retry.js';
import { xeroBatchPaymentToModel, xeroInvoiceFromWire, xeroPaymentToModel } from './xero-to-model.js';
import { allOf, canonicalXeroId, dateComparison, enumEquals, guidEqualsAny, isXeroGuid } from './xero-where.js';

/** Extra knobs for tests; production passes none. */
export interface XeroAdapterTestHooks {
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The clock of the rate limiter (epoch ms). */
  now?: () => number;
}

type Found<T> = Map<string, T | Error>;
type XeroEnvelope = { [list: string]: unknown; pagination?: { pageCount?: number } };

/** Creates the adapter of one Xero tenant. */
export function createXeroAdapter(
  settings: XeroSettings,
  deps: AdapterDependencies & XeroAdapterTestHooks,
): Adapter & { readonly loadPayments: BatchFunction<Payment>; readonly loadBatchPayments: BatchFunction<BatchPayment> } {
  const source = settings.name;
  const table = createCurrencyTable(settings.currencyScales);

  // The token's way (xero-auth.ts) and the tenant (xero-tenant.ts: configured, or discovered from /connections). Either
  // may find that only a reconnect helps; the gateway hears of the source's state once per change, not per cause.
  const connectionState = () => {
    const token = auth.state();
    return token?.status === 'reconnect-required' ? token : (tenant.state() ?? token);
  };
  let reported = 'up';
  const relayState = () => {
    const state = connectionState() ?? { status: 'up' as const, connection: xeroConnectionOf(settings) ?? source, since: Date.now() };
    if (state.status === reported) return;
    reported = state.status;
    deps.onConnectionState?.(source, state);
  };
  const auth = createXeroAuth(settings, deps, relayState);
  const tenant = createXeroTenant(settings, deps, auth.middleware, xeroConnectionOf(settings), relayState);
  const tenantKey = () => tenant.current() ?? 'unknown-tenant';

  // With a shared store (several replicas), the tenant's limits are kept there, keyed by tenant id; else in this process.
  const limiter = deps.limiterStore
    ? createSharedRateLimiter({
        store: deps.limiterStore,
        namespace: 'xero',
        maxInFlight: settings.concurrentLimit,
        windows: [
          { limit: settings.perMinuteLimit, windowMs: settings.rateWindowMs + settings.rateWindowMarginMs },
          { limit: settings.perDayLimit, windowMs: 86_400_000 + settings.rateWindowMarginMs },
        ],
        leaseMs: deps.limiterLeaseMs ?? 10_000,
      })
    : createRateLimiter({
        maxInFlight: settings.concurrentLimit,
        perWindow: settings.perMinuteLimit,
        windowMs: settings.rateWindowMs + settings.rateWindowMarginMs,
        now: deps.now,
      });
  const http: HttpClient = createHttpClient({
    source,
    baseUrl: settings.baseUrl,
    dispatcher: deps.dispatcher,
    timeouts: deps.timeouts,
    maxResponseBytes: deps.maxResponseBytes,
    headers: { accept: 'application/json' },
    middleware: [
      ...(deps.middleware ?? []),
      auth.middleware,
      tenant.middleware,
      xeroRateLimitRetry({
        source,
        retries: settings.rateLimitRetries,
        maxWaitSeconds: settings.maxRetryAfterWaitSeconds,
        sleep: deps.sleep ?? abortableSleep,
      }),
      rateLimitMiddleware(limiter, {
        source,
        key: tenantKey,
        maxWaitMs: settings.maxRetryAfterWaitSeconds * 1000,
        remainingHeader: 'x-minlimit-remaining',
        now: deps.now,
      }),
    ],
  });


  /**
   * Parses each item alone: a malformed item becomes an error for its own id. An item without a readable id cannot be
   * pinned on anyone, so the ids this call asked for and did not get answer that error instead of null.
   */
  function collect<W, T>(
    items: readonly unknown[],
    idSchema: z.ZodType<Record<string, unknown>>,
    idField: string,
    itemSchema: z.ZodType<W>,
    what: string,
    map: (item: W) => T,
    found: Found<T>,
  ): AdapterError | undefined {
    let orphan: AdapterError | undefined;
    for (const raw of items) {
      const id = idSchema.safeParse(raw);
      if (!id.success) {
        orphan = new AdapterError('UPSTREAM_BAD_RESPONSE', `${source} sent a ${what} without an id`, { source });
        continue;
      }
      const key = String(id.data[idField]).toLowerCase();
      found.set(
        key,
        mapOrError(source, what, () => map(parseWire(source, itemSchema, raw, what))),
      );
    }
    return orphan;
  }

  /** Answers `ids` in order from `found` (keyed by lower-case id); ids not found answer null, or `orphan` if one occurred. */
  function answer<T>(ids: readonly string[], found: Found<T>, orphans: ReadonlySet<string>, orphan: AdapterError | undefined) {
    const byRequested = new Map<string, T | Error>();
    for (const id of ids) {
      const hit = found.get(id.toLowerCase());
      if (hit !== undefined) byRequested.set(id, hit);
      else if (orphan && orphans.has(id)) byRequested.set(id, orphan);
    }
    return answerInOrder(ids, byRequested);
  }

  /** How one kind of Xero object is looked up by id: the endpoint, the filter carrying the ids, the envelope. */
  interface LookupSpec<W, T> {
    path: string;
    /** Ids per call: Xero's `IDs` takes 50; a `where` term per id is longer, so fewer fit the URL. */
    idsPerCall: number;
    query: (ids: string[], page: number) => Record<string, string | number>;
    /** Only /Invoices and /Payments page (100 a page); /BatchPayments answers every match at once. */
    paged: boolean;
    envelope: z.ZodType;
    listKey: string;
    idSchema: z.ZodType<Record<string, unknown>>;
    idField: string;
    itemSchema: z.ZodType<W>;
    what: string;
    map: (item: W) => T;
  }

  /** A batch function over `spec`: de-duplicated, chunked, chunks concurrent (the limiter caps what is in flight). */
  function lookupByIds<W, T>(spec: LookupSpec<W, T>): BatchFunction<T> {
    const load = async (remoteIds: readonly string[], options: LoadOptions) => {
      const wanted = uniqueIds(remoteIds).filter(isXeroGuid);
      const found: Found<T> = new Map();
      const orphaned = new Set<string>();
      let orphan: AdapterError | undefined;
      await mapConcurrently(chunk(wanted, spec.idsPerCall), settings.concurrentLimit, async (ids) => {
        for (let page = 1; ; page += 1) {
          const response = await http.send({
            method: 'GET',
            path: spec.path,
            query: spec.query(ids, page),
            idempotent: true,
            ...callContextOf(options),
          });
          const envelope = parseWire(source, spec.envelope, response.body, `${spec.what} list`) as XeroEnvelope;
          const items = envelope[spec.listKey] as unknown[];
          const bad = collect(items, spec.idSchema, spec.idField, spec.itemSchema, spec.what, spec.map, found);
          if (bad) {
            orphan = bad;
            for (const id of ids) orphaned.add(id);
          }
          // Xero's `pagination` says how many pages there are; older answers carry none, and a short page is the last.
          const pageCount = envelope.pagination?.pageCount ?? (items.length >= settings.pageSize ? page + 1 : page);
          if (!spec.paged || page >= pageCount || items.length === 0) break;
        }
      });
      return answer(remoteIds, found, orphaned, orphan);
    };
    return Object.assign(load, { maxBatchSize: settings.maxIdsPerCall });
  }

  const loadInvoices = lookupByIds({
    path: '/Invoices',
    idsPerCall: settings.maxIdsPerCall,
    // unitdp=4: without it Xero rounds unit prices to 2 decimals.
    query: (ids, page) => ({ IDs: ids.join(','), page, unitdp: 4 }),
    paged: true,
    envelope: XeroInvoicesEnvelopeSchema,
    listKey: 'Invoices',
    idSchema: XeroIdOnlySchemas.invoice,
    idField: 'InvoiceID',
    itemSchema: z.unknown(),
    what: 'invoice',
    map: (raw) => xeroInvoiceFromWire(raw, table, source),
  });

  const loadPayments = lookupByIds({
    path: '/Payments',
    idsPerCall: settings.maxIdsPerFilter,
    query: (ids, page) => ({ where: guidEqualsAny('PaymentID', ids), page }),
    paged: true,
    envelope: XeroPaymentsEnvelopeSchema,
    listKey: 'Payments',
    idSchema: XeroIdOnlySchemas.payment,
    idField: 'PaymentID',
    itemSchema: XeroPaymentSchema,
    what: 'payment',
    map: (payment) => xeroPaymentToModel(payment, table),
  });

  const loadBatchPayments = lookupByIds({
    path: '/BatchPayments',
    idsPerCall: settings.maxIdsPerFilter,
    query: (ids) => ({ where: guidEqualsAny('BatchPaymentID', ids) }),
    paged: false,
    envelope: XeroBatchPaymentsEnvelopeSchema,
    listKey: 'BatchPayments',
    idSchema: XeroIdOnlySchemas.batchPayment,
    idField: 'BatchPaymentID',
    itemSchema: XeroBatchPaymentSchema,
    what: 'batch payment',
    map: (batch) => xeroBatchPaymentToModel(batch, table),
  });

  async function listBatchPayments(filter: BatchPaymentFilter, options: CallContext): Promise<BatchPayment[]> {
    const clauses: string[] = [];
    if (filter.dateFrom) clauses.push(dateComparison(source, 'Date', '>=', filter.dateFrom, 'dateFrom'));
    if (filter.dateTo) clauses.push(dateComparison(source, 'Date', '<=', filter.dateTo, 'dateTo'));
    if (filter.status) clauses.push(enumEquals(source, 'Status', filter.status.toUpperCase(), 'status'));
    if (filter.type) clauses.push(enumEquals(source, 'Type', filter.type === 'RECEIVABLE' ? 'RECBATCH' : 'PAYBATCH', 'type'));
    const headers: Record<string, string> = {};
    if (filter.modifiedSince) {
      const since = Date.parse(filter.modifiedSince);
      if (Number.isNaN(since)) throw new AdapterError('BAD_USER_INPUT', 'modifiedSince must be an ISO 8601 timestamp', { source });
      // The OpenAPI description's `date-time` (RFC 3339), in UTC with its zone: a zone-less value is ambiguous and refused.
      headers['if-modified-since'] = new Date(since).toISOString();
    }
    const response = await http.send({
      method: 'GET',
      path: '/BatchPayments',
      query: { where: allOf(clauses) },
      headers,
      acceptStatus: [304],
      idempotent: true,
      ...callContextOf(options),
    });
    if (response.status === 304) return [];
    const envelope = parseWire(source, XeroBatchPaymentsEnvelopeSchema, response.body, 'batch payment list');
    // A list has no ids to pin an item's error on: a malformed batch fails the listing.
    const batches = envelope.BatchPayments.map((raw) => {
      const mapped = mapOrError(source, 'batch payment', () =>
        xeroBatchPaymentToModel(parseWire(source, XeroBatchPaymentSchema, raw, 'batch payment'), table),
      );
      if (mapped instanceof Error) throw mapped;
      return mapped;
    });
    return batches.sort(
      (a, b) =>
        (b.date ?? '').localeCompare(a.date ?? '') ||
        (b.updatedAt ?? '').localeCompare(a.updatedAt ?? '') ||
        a.remoteId.localeCompare(b.remoteId),
    );
  }

  /** `GET /Invoices` with one `IDs` value (the nil GUID), through the tenant's limiter like every call. */
  async function probe(options: CallContext): Promise<void> {
    await http.send({
      method: 'GET',
      path: '/Invoices',
      query: { IDs: '00000000-0000-0000-0000-000000000000', page: 1 },
      idempotent: true,
      ...callContextOf(options),
    });
  }

  return {
    kind: 'xero',
    name: source,
    callsPerMinute: settings.perMinuteLimit,
    loadInvoices,
    // Xero answers a GUID in either case; the gateway keeps one spelling, lower case.
    canonicalRemoteId: canonicalXeroId,
    probe,
    loadPayments,
    loadBatchPayments,
    listBatchPayments,
    reviveInvoice: (wireItem) => mapOrError(source, 'invoice', () => xeroInvoiceFromWire(wireItem, table, source)),
    listInvoices: createXeroListing({ source, http, table, maxPageSize: settings.listPageSize }),
    ...createXeroPaymentWrites({ source, http, table }),
    idempotencyWindowMs: settings.idempotencyWindowMs,
    start: () => tenant.start(),
    webhookAccount: () => tenant.current()?.toLowerCase(),
    connectionState,
    async close() {
      limiter.close();
      auth.close();
    },
  };
}
