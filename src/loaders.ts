// Per-request DataLoaders: one per source, batch function and simulation context, sized to the adapter's batch limit.
// Each request gets fresh loaders, so caching only de-duplicates within one response.
import DataLoader from 'dataloader';
import type { GraphQLError } from 'graphql';
import type { BatchFunction, LoadOptions, SimulationContext } from '../adapters/kit/adapter.js';
import { AdapterError } from '../adapters/kit/errors.js';
import type { UpstreamCall } from '../adapters/kit/http.js';
import type { BatchPayment, Invoice, Payment } from '../adapters/kit/model.js';
import { toGraphQLError } from './errors.js';
import { fromSource, type BatchPaymentRef, type FromSource, type InvoiceRef, type PaymentRef } from './model-refs.js';
import type { SourceRegistry } from './source-registry.js';

export interface Loaders {
  /** The invoice loader of `source` under `simulation` (ignored by sources that do not simulate). */
  invoices(source: string, simulation?: SimulationContext): DataLoader<string, InvoiceRef | null>;
  /** The payment loader of `source`, or undefined when it cannot look payments up. */
  payments(source: string): DataLoader<string, PaymentRef | null> | undefined;
  /** The batch-payment loader of `source`, or undefined when it has none. */
  batchPayments(source: string): DataLoader<string, BatchPaymentRef | null> | undefined;
}

export interface LoaderDependencies {
  registry: SourceRegistry;
  signal: AbortSignal;
  deadline: number;
  onCall: (call: UpstreamCall) => void;
  /** The request's upstream budget (CallContext.admit). */
  admit?: (source: string) => Promise<void>;
  /** Called with every error a batch answers, for the summary and the logs. */
  onError: (source: string, error: unknown) => void;
}

function createLoader<T extends object>(
  source: string,
  batch: BatchFunction<T>,
  options: LoadOptions,
  onError: LoaderDependencies['onError'],
): DataLoader<string, FromSource<T> | null> {
  return new DataLoader<string, FromSource<T> | null>(
    async (keys) => {
      try {
        const answers = await batch(keys, options);
        if (answers.length !== keys.length) {
          throw new AdapterError('UPSTREAM_BAD_RESPONSE', `${source} answered ${answers.length} items for ${keys.length} ids`, {
            source,
          });
        }
        return answers.map((answer): FromSource<T> | null | GraphQLError => {
          if (answer instanceof Error) {
            onError(source, answer);
            return toGraphQLError(answer);
          }
          return answer === null ? null : fromSource(source, answer);
        });
      } catch (error) {
        onError(source, error);
        const mapped = toGraphQLError(error);
        return keys.map(() => mapped);
      }
    },
    { maxBatchSize: batch.maxBatchSize },
  );
}

function simulationKey(simulation: SimulationContext | undefined): string {
  return `${simulation?.simulatedAt ?? ''}|${simulation?.whenAt ?? ''}`;
}

/** Creates the loaders of one GraphQL request. */
export function createLoaders(deps: LoaderDependencies): Loaders {
  const cache = new Map<string, DataLoader<string, unknown>>();
  const base: LoadOptions = { signal: deps.signal, deadline: deps.deadline, onCall: deps.onCall, admit: deps.admit };

  function memo<T>(key: string, make: () => T): T {
    let loader = cache.get(key);
    if (!loader) {
      loader = make() as DataLoader<string, unknown>;
      cache.set(key, loader);
    }
    return loader as T;
  }

  return {
    invoices(source, simulation) {
      const registered = deps.registry.get(source);
      if (!registered) throw new Error(`no source named ${source}`);
      // Lookups under different simulation contexts never share a batch or a cache entry.
      const simulated = registered.adapter.simulation === true && (simulation?.simulatedAt || simulation?.whenAt);
      const key = `invoices|${source}|${simulated ? simulationKey(simulation) : ''}`;
      return memo(key, () =>
        createLoader<Invoice>(source, registered.adapter.loadInvoices, simulated ? { ...base, simulation } : base, deps.onError),
      );
    },
    payments(source) {
      const batch = deps.registry.get(source)?.adapter.loadPayments;
      if (!batch) return undefined;
      return memo(`payments|${source}`, () => createLoader<Payment>(source, batch, base, deps.onError));
    },
    batchPayments(source) {
      const batch = deps.registry.get(source)?.adapter.loadBatchPayments;
      if (!batch) return undefined;
      return memo(`batchPayments|${source}`, () => createLoader<BatchPayment>(source, batch, base, deps.onError));
    },
  };
}
