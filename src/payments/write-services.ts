// What the writes of a request need beyond its reads: where idempotency keys are remembered, and the one hook through
// which a write reports the invoices it changed (change notifications publish from it; the lead wires that at merge).
import type { IdempotencyStore } from '../state/idempotency-store.js';

/** The invoices one successful write changed, as the write reports them. */
export interface InvoicesWritten {
  source: string;
  /** The provider's ids of the invoices the write changed (created, or paid, or whose payment was deleted). */
  invoiceRemoteIds: string[];
  kind: 'CREATED' | 'UPDATED';
  /** The mutation that wrote. */
  operation: 'createInvoice' | 'recordPayment' | 'createBatchPayment' | 'deletePayment';
  /** The client that wrote (its name). */
  client: string;
  /** When the write answered, ISO 8601. */
  at: string;
}

/** Called once per successful write, after the entity cache holds the changed invoices; never fails the write. */
export type InvoicesWrittenHook = (written: InvoicesWritten) => void | Promise<void>;

export interface WriteServices {
  /** What each idempotency key was used for (shared across replicas with REDIS_URL). */
  idempotency: IdempotencyStore;
  /** How long a key's record is kept (GatewayOptions.payments.keyRetentionMs). */
  keyRetentionMs: number;
  /** The clock idempotency records are dated by (epoch ms). */
  now(): number;
  /** Reports a write's changed invoices to the hook (GatewayOptions.onInvoicesWritten); errors are logged, never thrown. */
  invoicesWritten(written: InvoicesWritten): void;
}

/** How long the gateway remembers an idempotency key by default: a day, well past the provider's own window. */
export const DEFAULT_KEY_RETENTION_MS = 86_400_000;
