// A Xero simulator over loopback: `/api.xro/2.0/Invoices`, `/Payments`, `/BatchPayments` (lists and single items) and a
// client-credentials token endpoint, the payment writes (xero-sandbox-payments.ts), with Xero's headers (bearer token, `xero-tenant-id`, `Accept`), limits (50 `IDs`,
// 100 per page, 5 in flight and 60 a minute per tenant), envelopes, error bodies, `order`, and `where` / If-Modified-Since
// filters. Its identity service (tokens that expire and rotate, consents, /connections) is xero-sandbox-identity.ts.
import { randomUUID } from 'node:crypto';
import {
  startSandboxServer,
  type SandboxHandle,
  type SandboxRequest,
  type SandboxResponse,
  type SandboxRoute,
} from '../../kit/sandbox-server.js';
import { createXeroSandboxDataset, sandboxTenantId, type XeroSandboxDataset } from './xero-sandbox-data.js';
import { createXeroSandboxIdentity, type XeroSandboxIdentity, type XeroSandboxIdentityOptions } from './xero-sandbox-identity.js';
import { batchJson, envelope, invoiceJson, paymentJson, toXml } from './xero-sandbox-json.js';
import { createXeroSandboxRateLimits, XERO_LIMITS, type XeroSandboxLimits, type XeroTenantObservation } from './xero-sandbox-limits.js';
import { OrderParseError, sortByOrder } from './xero-sandbox-order.js';
import { createXeroPaymentWrites, type XeroSandboxPaymentWrites } from './xero-sandbox-payments.js';
import { parseWhere, WhereParseError } from './xero-where-parser.js';
import { sandboxChangeRoute } from '../../kit/sandbox-changes.js';
import { createXeroSandboxChanges, type XeroSandboxChanges } from './xero-sandbox-changes.js';
import { createXeroSandboxWebhooks, type XeroSandboxWebhooks } from './xero-sandbox-webhooks.js';

export interface XeroSandboxOptions {
  port?: number;
  /** Tenant ids served; one deterministic tenant when omitted. */
  tenants?: string[];
  seed?: number;
  /** Invoices per tenant. */
  invoiceCount?: number;
  /** Batch payments per tenant (fewer when the payments run out). */
  batchCount?: number;
  /** Time each admitted API request takes, so concurrent requests overlap as they do at Xero. */
  latencyMs?: number;
  /** The clock of the writes (UpdatedDateUTC, the idempotency window); Date.now when omitted. */
  now?: () => number;
  /** The identity service: registered redirect URIs, the app's scopes, its clock, tenant names and practices. */
  identity?: Pick<XeroSandboxIdentityOptions, 'redirectUris' | 'appScopes' | 'now'> & {
    tenantNames?: Record<string, string>;
    /** PRACTICE tenants the demo user may also connect (no books). */
    practices?: Array<{ tenantId: string; tenantName: string }>;
  };
}

export interface XeroSandboxHandle extends SandboxHandle {
  /** `${url}/api.xro/2.0`: the base URL an adapter uses. */
  readonly apiUrl: string;
  readonly tenants: readonly string[];
  /** A token the sandbox always accepts. */
  readonly accessToken: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** `${url}/connect/token` (client credentials, authorization code, refresh token). */
  readonly tokenUrl: string;
  /** Consents, tokens, /connections and their clocks (xero-sandbox-identity.ts). */
  readonly identity: XeroSandboxIdentity;
  /** The enforced limits; assign to change them (tests lower `perMinute`). */
  readonly limits: XeroSandboxLimits;
  /** Time each admitted API request takes. */
  latencyMs: number;
  /** The seeded books of a tenant (the first when omitted). */
  dataset(tenant?: string): XeroSandboxDataset;
  /** The most API requests of `tenant` ever in flight at once (since the last resetLimits). */
  maxInFlightFor(tenant: string): number;
  /** The demand `tenant` put on its limits, refused requests included (since the last resetLimits). */
  observedLimits(tenant: string): XeroTenantObservation;
  /** Forgets every rate-limit window and in-flight maximum. */
  resetLimits(): void;
  /** Invalidates every access token issued by the token endpoint (the static accessToken stays valid). */
  revokeTokens(): void;
  /** The payment writes: the organisation's lock date, the accounts, the idempotency window, what was created. */
  readonly paymentWrites: XeroSandboxPaymentWrites;
  /** Changes the books (an invoice paid, created, updated), as Xero's users do; each one is a webhook event. */
  readonly changes: XeroSandboxChanges;
  /** The signed webhooks the sandbox delivers (xero-sandbox-webhooks.ts). */
  readonly webhooks: XeroSandboxWebhooks;
}

const MAX_IDS = 50;
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;
const PREFIX = '/api\\.xro/2\\.0';

const json = (status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse => ({ status, json: body, headers });

function problem(status: number, title: string, detail: string): SandboxResponse {
  return json(
    status,
    { Type: null, Title: title, Status: status, Detail: detail, Instance: randomUUID(), Extensions: {} },
    status === 401 ? { 'www-authenticate': 'Bearer error="invalid_token"' } : {},
  );
}

function validationError(message: string, type = 'QueryParseException', number = 16): SandboxResponse {
  return json(400, { ErrorNumber: number, Type: type, Message: message });
}

/** RFC 3339 `date-time` (the OpenAPI description's format for If-Modified-Since): a time zone is required. */
const RFC3339_DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
/** An HTTP date (IMF-fixdate), which names its zone (GMT). */
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * Xero's If-Modified-Since. Xero's OpenAPI description declares it `format: date-time` (example
 * `2020-02-06T12:17:43.202-08:00`), and a mock generated from that description refuses a value without a zone, as this
 * simulator does (400, Xero's validation body): a zone-less timestamp is ambiguous, so the gateway must never send one.
 */
function modifiedSince(req: SandboxRequest): number | undefined {
  const header = req.headers['if-modified-since']?.trim();
  if (!header) return undefined;
  const ms = RFC3339_DATE_TIME.test(header) || HTTP_DATE.test(header) ? Date.parse(header) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new WhereParseError(`If-Modified-Since must be a date-time with a time zone (e.g. 2020-02-06T12:17:43.202-08:00), got "${header.slice(0, 40)}"`);
  }
  return ms;
}

const updatedMsOf = (record: Record<string, unknown>): number => {
  const match = /^\/Date\((-?\d+)/.exec(String(record.UpdatedDateUTC ?? ''));
  return match ? Number(match[1]) : 0;
};

/** Applies `where` and If-Modified-Since; a bad `where` or If-Modified-Since throws WhereParseError (a 400). */
function filterRecords<T extends Record<string, unknown>>(req: SandboxRequest, records: T[]): T[] {
  const where = req.query.get('where');
  const predicate = where ? parseWhere(where) : undefined;
  const since = modifiedSince(req);
  return records.filter((r) => (!predicate || predicate(r)) && (since === undefined || updatedMsOf(r) >= since));
}

/** `page` and `pageSize` when paging was asked for, or a 400 answer. */
function paging(req: SandboxRequest): { page: number; pageSize: number } | SandboxResponse | undefined {
  const pageText = req.query.get('page');
  if (pageText === null) return undefined;
  const page = Number(pageText);
  const pageSize = req.query.has('pageSize') ? Number(req.query.get('pageSize')) : DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(pageSize) || pageSize < 1) {
    return validationError('page and pageSize must be positive integers', 'ValidationException', 10);
  }
  return { page, pageSize: Math.min(pageSize, MAX_PAGE_SIZE) };
}

function pageOf<T>(items: T[], paged: { page: number; pageSize: number }) {
  const start = (paged.page - 1) * paged.pageSize;
  return {
    items: items.slice(start, start + paged.pageSize),
    pagination: {
      page: paged.page,
      pageSize: paged.pageSize,
      pageCount: Math.ceil(items.length / paged.pageSize),
      itemCount: items.length,
    },
  };
}

/** Corrupts one amount of the first item, for the `badItem` fault. */
function corruptFirst(items: Record<string, unknown>[], field: string): void {
  if (items.length > 0) items[0] = { ...items[0], [field]: 'not-a-number' };
}

/**
 * `GET /Invoices` of one tenant's books (after the token, tenant and rate-limit checks): IDs, InvoiceNumbers, Statuses,
 * `where`, If-Modified-Since, `order`, paging. A bad `where` or `order` throws (a 400 where served). Exported for the
 * listing's property tests, which call it in memory.
 */
export function listXeroInvoices(req: SandboxRequest, data: XeroSandboxDataset): SandboxResponse {
  const ids = (req.query.get('IDs') ?? '').split(',').map((id) => id.trim().toLowerCase()).filter(Boolean);
  // Xero's IDs list has a practical limit (the URL length): beyond it the API answers 404.
  if (ids.length > MAX_IDS) return { status: 404, text: "The resource you're looking for cannot be found" };
  const numbers = (req.query.get('InvoiceNumbers') ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  const statuses = (req.query.get('Statuses') ?? '').split(',').map((n) => n.trim().toUpperCase()).filter(Boolean);
  const paged = paging(req);
  if (paged && 'status' in paged) return paged;
  const unitdp4 = req.query.get('unitdp') === '4';
  let invoices = data.invoices;
  if (ids.length > 0) invoices = invoices.filter((inv) => ids.includes(inv.id.toLowerCase()));
  if (numbers.length > 0) invoices = invoices.filter((inv) => numbers.includes(inv.number));
  if (statuses.length > 0) invoices = invoices.filter((inv) => statuses.includes(inv.status));
  // Line items come only with paging (Xero leaves them out of unpaged lists).
  const filtered = filterRecords(req, invoices.map((inv) => invoiceJson(data, inv, { withLines: paged !== undefined, unitdp4 })));
  const order = req.query.get('order');
  const records = order ? sortByOrder(filtered, order) : filtered;
  const { items, pagination } = paged ? pageOf(records, paged) : { items: records, pagination: undefined };
  if (req.badItem) corruptFirst(items, 'Total');
  return json(200, envelope(randomUUID(), pagination ? { pagination, Invoices: items } : { Invoices: items }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the Xero sandbox on loopback. */
export async function startXeroSandbox(options: XeroSandboxOptions = {}): Promise<XeroSandboxHandle> {
  const seed = options.seed ?? 4;
  const tenants = options.tenants && options.tenants.length > 0 ? [...options.tenants] : [sandboxTenantId(seed, 0)];
  const datasets = new Map(
    tenants.map((tenantId, index) => [
      tenantId,
      createXeroSandboxDataset({
        tenantId,
        seed: seed * 1000 + index,
        invoiceCount: options.invoiceCount ?? 300,
        batchCount: options.batchCount ?? 25,
      }),
    ]),
  );
  const accessToken = `xero-sandbox-token-${seed}`;
  const clientId = 'XERO-SANDBOX-CLIENT';
  const clientSecret = `xero-sandbox-secret-${seed}`;
  const identity = createXeroSandboxIdentity({
    seed,
    clientId,
    clientSecret,
    staticAccessToken: accessToken,
    tenants: [
      ...tenants.map((tenantId, index) => ({
        tenantId,
        tenantName: options.identity?.tenantNames?.[tenantId] ?? `Sandbox Company ${index + 1}`,
        tenantType: 'ORGANISATION' as const,
      })),
      ...(options.identity?.practices ?? []).map((p) => ({ ...p, tenantType: 'PRACTICE' as const })),
    ],
    ...options.identity,
  });
  const limits: XeroSandboxLimits = { ...XERO_LIMITS };
  const rateLimits = createXeroSandboxRateLimits(limits);
  let latencyMs = options.latencyMs ?? 0;
  // A payment written changes its invoice, and Xero tells the webhook (wired once the webhooks exist, below).
  let invoiceChanged: (tenantId: string, invoiceId: string, atMs: number) => void = () => undefined;
  const paymentWrites = createXeroPaymentWrites({ seed, now: options.now, onInvoiceChanged: (...change) => invoiceChanged(...change) });

  /** The checks every API call passes before its handler: token, tenant, rate limits; then the Accept header. */
  const api =
    (handler: (req: SandboxRequest, data: XeroSandboxDataset, params: string[]) => SandboxResponse) =>
    async (req: SandboxRequest, params: string[]): Promise<SandboxResponse> => {
      const refused = identity.checkApiCall(req);
      if (refused) return refused;
      const tenant = req.headers['xero-tenant-id'];
      const data = tenant ? datasets.get(tenant) : undefined;
      if (!tenant || !data) return problem(403, 'Forbidden', 'AuthenticationUnsuccessful');
      const admission = rateLimits.admit(tenant);
      if (!admission.admitted) {
        return {
          status: 429,
          text: 'Rate limit exceeded',
          headers: { ...admission.headers, 'retry-after': String(admission.retryAfter), 'x-rate-limit-problem': admission.problem },
        };
      }
      try {
        await (latencyMs > 0 ? sleep(latencyMs) : new Promise((resolve) => setImmediate(resolve)));
        const answer = handler(req, data, params);
        const headers = { ...answer.headers, ...admission.headers };
        if (answer.json !== undefined && !/json/i.test(req.headers.accept ?? '')) {
          // Xero answers XML to a client that did not ask for JSON.
          return { status: answer.status, text: toXml('Response', answer.json), headers: { ...headers, 'content-type': 'text/xml; charset=utf-8' } };
        }
        return { ...answer, headers };
      } catch (error) {
        if (error instanceof WhereParseError || error instanceof OrderParseError) {
          return { ...validationError(error.message), headers: admission.headers };
        }
        throw error;
      } finally {
        admission.release();
      }
    };

  const oneInvoice = (req: SandboxRequest, data: XeroSandboxDataset, [id]: string[]): SandboxResponse => {
    const invoice = data.invoiceById.get(id.toLowerCase()) ?? data.invoices.find((inv) => inv.number === id);
    if (!invoice) return { status: 404, text: "The resource you're looking for cannot be found" };
    const items = [invoiceJson(data, invoice, { withLines: true, unitdp4: req.query.get('unitdp') === '4' })];
    if (req.badItem) corruptFirst(items, 'Total');
    return json(200, envelope(randomUUID(), { Invoices: items }));
  };

  const listPayments = (req: SandboxRequest, data: XeroSandboxDataset): SandboxResponse => {
    const paged = paging(req);
    if (paged && 'status' in paged) return paged;
    const records = filterRecords(req, data.payments.map((p) => paymentJson(data, p)));
    const { items, pagination } = paged ? pageOf(records, paged) : { items: records, pagination: undefined };
    if (req.badItem) corruptFirst(items, 'Amount');
    return json(200, envelope(randomUUID(), pagination ? { pagination, Payments: items } : { Payments: items }));
  };

  const onePayment = (req: SandboxRequest, data: XeroSandboxDataset, [id]: string[]): SandboxResponse => {
    const payment = data.paymentById.get(id.toLowerCase());
    if (!payment) return { status: 404, text: "The resource you're looking for cannot be found" };
    const items = [paymentJson(data, payment)];
    if (req.badItem) corruptFirst(items, 'Amount');
    return json(200, envelope(randomUUID(), { Payments: items }));
  };

  const listBatches = (req: SandboxRequest, data: XeroSandboxDataset): SandboxResponse => {
    const items = filterRecords(req, data.batches.map((b) => batchJson(data, b)));
    if (req.badItem) corruptFirst(items, 'TotalAmount');
    return json(200, envelope(randomUUID(), { BatchPayments: items }));
  };

  const oneBatch = (req: SandboxRequest, data: XeroSandboxDataset, [id]: string[]): SandboxResponse => {
    const batch = data.batchById.get(id.toLowerCase());
    if (!batch) return { status: 404, text: "The resource you're looking for cannot be found" };
    const items = [batchJson(data, batch)];
    if (req.badItem) corruptFirst(items, 'TotalAmount');
    return json(200, envelope(randomUUID(), { BatchPayments: items }));
  };

  const webhooks = createXeroSandboxWebhooks(() => `${server.url}/api.xro/2.0`);
  const changes = createXeroSandboxChanges((tenant = tenants[0]) => datasets.get(tenant)!, (...change) => webhooks.record(...change));
  invoiceChanged = (tenantId, invoiceId, atMs) => webhooks.record(tenantId, invoiceId, 'UPDATE', atMs);
  const routes: SandboxRoute[] = [
    sandboxChangeRoute(changes),
    ...identity.routes,
    { name: 'invoices', method: 'GET', path: new RegExp(`^${PREFIX}/Invoices$`, 'i'), handler: api(listXeroInvoices) },
    { name: 'invoice', method: 'GET', path: new RegExp(`^${PREFIX}/Invoices/([^/]+)$`, 'i'), handler: api(oneInvoice) },
    { name: 'payments', method: 'GET', path: new RegExp(`^${PREFIX}/Payments$`, 'i'), handler: api(listPayments) },
    { name: 'payment', method: 'GET', path: new RegExp(`^${PREFIX}/Payments/([^/]+)$`, 'i'), handler: api(onePayment) },
    { name: 'batch-payments', method: 'GET', path: new RegExp(`^${PREFIX}/BatchPayments$`, 'i'), handler: api(listBatches) },
    { name: 'batch-payment', method: 'GET', path: new RegExp(`^${PREFIX}/BatchPayments/([^/]+)$`, 'i'), handler: api(oneBatch) },
    { name: 'create-payments', method: 'PUT', path: new RegExp(`^${PREFIX}/Payments$`, 'i'), handler: api(paymentWrites.putPayments) },
    { name: 'create-batch-payments', method: 'PUT', path: new RegExp(`^${PREFIX}/BatchPayments$`, 'i'), handler: api(paymentWrites.putBatchPayments) },
    { name: 'update-payment', method: 'POST', path: new RegExp(`^${PREFIX}/Payments/([^/]+)$`, 'i'), handler: api(paymentWrites.postPayment) },
  ];

  const server = await startSandboxServer(routes, { port: options.port, seed });
  identity.setOrigin(server.url);
  return {
    url: server.url,
    calls: server.calls,
    faults: server.faults,
    close: () => (webhooks.unsubscribe(), server.close()),
    changes,
    webhooks,
    apiUrl: `${server.url}/api.xro/2.0`,
    tenants,
    accessToken,
    clientId,
    clientSecret,
    tokenUrl: identity.tokenUrl,
    identity,
    limits,
    get latencyMs() {
      return latencyMs;
    },
    set latencyMs(value: number) {
      latencyMs = value;
    },
    dataset(tenant = tenants[0]) {
      const data = datasets.get(tenant);
      if (!data) throw new Error(`unknown sandbox tenant ${tenant}`);
      return data;
    },
    maxInFlightFor: (tenant) => rateLimits.maxInFlight(tenant),
    observedLimits: (tenant) => rateLimits.observed(tenant),
    resetLimits: () => rateLimits.reset(),
    revokeTokens: () => identity.expireAccessTokens(),
    paymentWrites,
  };
}
