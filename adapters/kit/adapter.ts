// The adapter contract: what the gateway needs of every provider. Adapters import neither graphql nor dataloader.
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import type { CallContext, HttpMiddleware, HttpTimeouts } from './http.js';
import type { InvoiceListing } from './listing.js';
import type { BatchPayment, Direction, Invoice, Payment } from './model.js';
import type { SandboxHandle } from './sandbox-server.js';
import type { LimiterStore } from './shared-limiter.js';

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

export interface BatchPaymentFilter {
  /** ISO dates (YYYY-MM-DD), inclusive. */
  dateFrom?: string;
  dateTo?: string;
  status?: string;
  type?: 'RECEIVABLE' | 'PAYABLE';
  /** Only batches modified since this ISO timestamp (If-Modified-Since). */
  modifiedSince?: string;
}

/** What the gateway needs of a provider; optional members are capabilities a source may not have. */
export interface Adapter {
  /** The provider kind (`fragment`, `korint`, `xero`). */
  readonly kind: string;
  /** The configured source name (`fragment`, `xero-nz`, ...). */
  readonly name: string;
  readonly loadInvoices: BatchFunction<Invoice>;
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
  /** Releases connections and timers. */
  close(): Promise<void>;
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
  /**
   * Where a provider's quota counters live when several replicas share it (Redis); absent, each process keeps its own.
   * Adapters key it by what the provider counts by (Xero: the tenant id), so two sources on one tenant share it.
   */
  limiterStore?: LimiterStore;
  /** How long a slot held in `limiterStore` outlives a replica that died holding it. */
  limiterLeaseMs?: number;
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
  /** Starts the provider's simulator on loopback; `invoiceCount` seeds more (or fewer) invoices than its default. */
  startSandbox(options?: { port?: number; invoiceCount?: number }): Promise<StartedSandbox>;
}
