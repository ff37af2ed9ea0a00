// The adapter contract: what the gateway needs of every provider. Adapters import neither graphql nor dataloader.
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import type { CallContext, HttpMiddleware, HttpTimeouts } from './http.js';
import type { InvoiceListing } from './listing.js';
import type { BatchPayment, Direction, Invoice, Payment } from './model.js';
import type { ChangeDetection, ProviderWebhook } from './changes.js';
import type { SandboxHandle } from './sandbox-server.js';
import type { LimiterStore } from './shared-limiter.js';
import type { ConnectionState, ConnectionTokens, TokenStore } from './token-store.js';

/** Korint's simulation context: answers as they were (`simulatedAt`) or will be (`whenAt`) at another time. */
export interface SimulationContext {
  simulatedAt?: string;
  whenAt?: string;
}

/** What a batch function receives beside the ids. */
export interface LoadOptions extends CallContext {
  simulation?: SimulationContext;
}

/** One answer per id, same order: the model object, null for not found, or an Error for that id alone. */
export type BatchAnswer<T> = Array<T | null | Error>;

/** A DataLoader-ready batch function; it rejects only when the whole call failed. */
export interface BatchFunction<T> {
  (remoteIds: readonly string[], options: LoadOptions): Promise<BatchAnswer<T>>;
  /** The most ids one call should receive (the provider's batch limit, or a multiple the adapter chunks itself). */
  readonly maxBatchSize: number;
}

export interface CreateInvoiceLineItem {
  /** Exact decimal in major units, `"42.50"`. */
  amount: string;
  currency: string;
  description: string;
  productId: string;
  direction: Direction;
  userId: string;
}

export interface CreateInvoiceRequest {
  /** The caller's own id for the invoice, also the idempotency key. */
  invoiceId: string;
  lineItems: CreateInvoiceLineItem[];
}

/** A payment to record against one invoice (the gateway has checked the amount against the invoice's currency). */
export interface RecordPaymentRequest {
  invoiceRemoteId: string;
  /** Exact decimal text in major units of the invoice's currency, at most its scale (`"10.50"`); never a float. */
  amount: string;
  /** The payment's date, `YYYY-MM-DD`. */
  date: string;
  /** The account paid from or into: the provider's account id, or the account's code. */
  account: string;
  reference?: string;
  /**
   * What the provider deduplicates the write by (sent as its idempotency key): opaque, already derived by the gateway
   * from the client and the client's own key, at most 128 characters.
   */
  idempotencyKey: string;
}

/** Several payments made as one bank transaction, each against one invoice. */
export interface CreateBatchPaymentRequest {
  account: string;
  date: string;
  reference?: string;
  payments: Array<{ invoiceRemoteId: string; amount: string }>;
  idempotencyKey: string;
}

/** The deletion (reversal) of one payment. */
export interface DeletePaymentRequest {
  paymentRemoteId: string;
  idempotencyKey: string;
}

export interface BatchPaymentFilter {
  /** ISO dates (YYYY-MM-DD), inclusive. */
  dateFrom?: string;
  dateTo?: string;
  status?: string;
  type?: 'RECEIVABLE' | 'PAYABLE';
  /** Only batches modified since this ISO timestamp (If-Modified-Since). */
  modifiedSince?: string;
}

/** The kinds of objects a source can be asked for by id. */
export type RemoteObjectType = 'Invoice' | 'Payment' | 'BatchPayment';

/** What the gateway needs of a provider; optional members are capabilities a source may not have. */
export interface Adapter {
  /** The provider kind (`fragment`, `korint`, `xero`). */
  readonly kind: string;
  /** The configured source name (`fragment`, `xero-nz`, ...). */
  readonly name: string;
  readonly loadInvoices: BatchFunction<Invoice>;
  /**
   * The one spelling of a remote id at this provider (Xero: GUIDs in lower case), applied to every id a caller hands
   * in before any loader, cache, summary or cursor sees it; the ids the adapter hands out are already in it. The id as
   * it is when absent (ids compared exactly).
   */
  canonicalRemoteId?(remoteId: string, type: RemoteObjectType): string;
  readonly loadPayments?: BatchFunction<Payment>;
  readonly loadBatchPayments?: BatchFunction<BatchPayment>;
  /**
   * Rebuilds the object `loadInvoices` answered from its wire item (`wireItemOf`, stored as JSON by a cache), or the
   * item's own error. Present where the adapter builds its invoices lazily from wire items.
   */
  reviveInvoice?(wireItem: unknown): Invoice | Error;
  /** Creates an invoice; sending the same `invoiceId` twice yields one invoice. */
  createInvoice?(request: CreateInvoiceRequest, options: CallContext): Promise<Invoice>;
  /**
   * The calls per minute the provider allows this source (Xero: 60 per tenant), when it publishes such a quota: the
   * gateway bounds each client's share of it.
   */
  readonly callsPerMinute?: number;
  /** True when the source honours Korint's simulation context (`simulatedAt`, `whenAt`). */
  readonly simulation?: boolean;
  /** Records a payment; the same `idempotencyKey` and request within `idempotencyWindowMs` make one payment. */
  recordPayment?(request: RecordPaymentRequest, options: CallContext): Promise<Payment>;
  /** Creates a batch payment and its payments, deduplicated by `idempotencyKey` like recordPayment. */
  createBatchPayment?(request: CreateBatchPaymentRequest, options: CallContext): Promise<BatchPayment>;
  /** Deletes a payment, taking its amount back from its invoice; answers the payment as it now is. */
  deletePayment?(request: DeletePaymentRequest, options: CallContext): Promise<Payment>;
  /** How long the provider honours an idempotency key of the payment writes (Xero: six minutes from the first call). */
  readonly idempotencyWindowMs?: number;
  /** Every batch payment matching the filter, newest first (the provider has no paging). */
  listBatchPayments?(filter: BatchPaymentFilter, options: CallContext): Promise<BatchPayment[]>;
  /** The provider's own invoice listing, filtered and ordered as far as it can (see listing.ts). */
  readonly listInvoices?: InvoiceListing;
  /**
   * A cheap real call (a lookup of one id) that tells whether the provider answers: it resolves when the provider
   * answered at all, and rejects with the call's error otherwise. The gateway probes an open circuit with it once the
   * cool-down has passed, so a circuit closes without waiting for client traffic.
   */
  probe?(options: CallContext): Promise<void>;
  /**
   * Checks at start what only the provider can tell (a tenant, a token file): rejects with a SourceStartError on a
   * definite misconfiguration, with any other error when the check could not be made (the source then answers errors
   * until it recovers, and the gateway starts anyway).
   */
  start?(): Promise<void>;
  /** The state of the source's connection when its credentials can stop being renewable (a revoked consent). */
  connectionState?(): ConnectionState | undefined;
  /**
   * The account (a Xero tenant id, lower case) whose webhook deliveries belong to this source, as the adapter knows it
   * now: a tenant discovered at run time is known here, not in the settings.
   */
  webhookAccount?(): string | undefined;
  /** Releases connections and timers. */
  close(): Promise<void>;
}

/** A misconfiguration the provider itself revealed at start (a tenant the connection does not grant): start-up fails. */
export class SourceStartError extends Error {
  override name = 'SourceStartError';
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(message);
  }
}

/** Everything an adapter is created from. */
export interface AdapterDependencies {
  dispatcher: Dispatcher;
  /**
   * Gateway-wide middleware (circuit breaker, retries, accounting). An adapter puts it outermost on the client it
   * calls its provider with, before its own (auth, rate limits).
   */
  middleware?: HttpMiddleware[];
  /** Header and body timeouts for this source. */
  timeouts?: Partial<HttpTimeouts>;
  /** The most bytes one answer's body may have (GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES); the HTTP helper's default unless given. */
  maxResponseBytes?: number;
  /**
   * Where a provider's quota counters live when several replicas share it (Redis); absent, each process keeps its own.
   * Adapters key it by what the provider counts by (Xero: the tenant id), so two sources on one tenant share it.
   */
  limiterStore?: LimiterStore;
  /** How long a slot held in `limiterStore` outlives a replica that died holding it. */
  limiterLeaseMs?: number;
  /** Where connections' rotating tokens are kept (src/state: a file or Redis); required by a refresh-token source. */
  tokenStore?: TokenStore;
  /** Told when a source's connection changes state (the gateway logs it once, /ready and the gauge show it). */
  onConnectionState?(source: string, state: ConnectionState): void;
  /** The clock access tokens expire by (epoch ms); tests share one with a sandbox's identity service. */
  tokenClock?: () => number;
}

/** One onboarding in progress (`npm run connect -- <kind>`): a person opens `authorizeUrl`, the provider redirects back. */
export interface ConnectFlow {
  authorizeUrl: string;
  /** The loopback URL the redirect comes back to. */
  redirectUri: string;
  /** The connection the tokens are stored under. */
  connection: string;
  /** Checks the redirect (state, error), exchanges its code, and answers the tokens to store and what they grant. */
  finish(callback: URL): Promise<{ tokens: ConnectionTokens; granted: Array<{ id: string; name: string; type: string }> }>;
}

/** A provider whose sources are connected by a person's consent in a browser. */
export interface ProviderConnect {
  /** Starts an onboarding from the environment; throws with every problem of the settings listed. */
  begin(env: Record<string, string | undefined>, deps: { dispatcher: Dispatcher; now?: () => number }): Promise<ConnectFlow>;
  /** The settings the onboarding reads, and the variable each comes from (the reference and the start notices read them). */
  readonly settingsSchema?: z.ZodType;
  readonly envVariables?: Readonly<Record<string, string>>;
}

/** A sandbox started for `npm start`, the tests or the benchmarks, with the raw settings that point an adapter at it. */
export interface StartedSandbox<Handle extends SandboxHandle = SandboxHandle> {
  handle: Handle;
  settings: Record<string, unknown>;
  /** A few remote ids of seeded invoices, for the example query GraphiQL opens with. */
  exampleInvoiceIds?: string[];
}

/** One provider package: its settings, how to read them from the environment, its adapter, its sandbox. */
export interface ProviderDefinition<Settings extends { name: string; baseUrl: string } = { name: string; baseUrl: string }> {
  readonly kind: string;
  /** Validates raw settings (from the environment or a sources file) and fills defaults. */
  readonly settingsSchema: z.ZodType<Settings>;
  /** Raw settings from environment variables, or undefined when the provider is not configured (no base URL). */
  settingsFromEnv(env: Record<string, string | undefined>): Record<string, unknown> | undefined;
  /** The environment variable each setting is read from (`tenantId` -> `XERO_TENANT_ID`), to name problems by it. */
  readonly envVariables?: Readonly<Record<string, string>>;
  createAdapter(settings: Settings, deps: AdapterDependencies): Adapter;
  /** How a change at this provider is noticed when it is polled (src/events): see changes.ts. */
  readonly changeDetection?: ChangeDetection;
  /** The webhooks the provider sends, received at `POST /webhooks/<kind>` (src/events). */
  readonly webhook?: ProviderWebhook;
  /** Starts the provider's simulator on loopback; `invoiceCount` seeds more (or fewer) invoices than its default. */
  startSandbox(options?: { port?: number; invoiceCount?: number }): Promise<StartedSandbox>;
  /** The connection whose tokens a source keeps in the token store (undefined when it keeps none). */
  connectionOf?(settings: Settings): string | undefined;
  /** How a source gets its credentials, in words for the start summary (`refresh token, connection "xero"`). */
  describeAuth?(settings: Settings): string;
  /** `npm run connect -- <kind>`, for providers onboarded by consent. */
  readonly connect?: ProviderConnect;
}
