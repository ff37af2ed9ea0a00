// The configured sources: each one's adapter, its kind and its health, looked up by name.
import type { Adapter } from '../adapters/kit/adapter.js';
import type { SourceHealthTracker } from './source-health.js';

export type Capability = 'CREATE_INVOICE' | 'PAYMENTS' | 'BATCH_PAYMENTS' | 'SIMULATION' | 'RECORD_PAYMENTS';

export interface RegisteredSource {
  name: string;
  kind: string;
  adapter: Adapter;
  health: SourceHealthTracker;
}

export interface SourceRegistry {
  readonly names: ReadonlySet<string>;
  get(name: string): RegisteredSource | undefined;
  list(): RegisteredSource[];
  close(): Promise<void>;
}

/** What an adapter can do beyond looking up invoices, read from the capabilities it exposes. */
export function capabilitiesOf(adapter: Adapter): Capability[] {
  const capabilities: Capability[] = [];
  if (adapter.createInvoice) capabilities.push('CREATE_INVOICE');
  if (adapter.loadPayments) capabilities.push('PAYMENTS');
  if (adapter.listBatchPayments || adapter.loadBatchPayments) capabilities.push('BATCH_PAYMENTS');
  if (adapter.simulation) capabilities.push('SIMULATION');
  if (adapter.recordPayment && adapter.createBatchPayment && adapter.deletePayment) capabilities.push('RECORD_PAYMENTS');
  return capabilities;
}

/** Creates the registry over already-created sources; `onClose` releases what they share (dispatchers). */
export function createSourceRegistry(sources: RegisteredSource[], onClose: () => Promise<void>): SourceRegistry {
  const byName = new Map(sources.map((s) => [s.name, s]));
  return {
    names: new Set(byName.keys()),
    get: (name) => byName.get(name),
    list: () => [...byName.values()],
    async close() {
      await Promise.allSettled(sources.map((s) => s.adapter.close()));
      await onClose();
    },
  };
}
