// Per-request DataLoaders: one per source, batch function and simulation context, sized to the adapter's batch limit.
// Each request gets fresh loaders, so DataLoader's own cache only de-duplicates within one response; the entity cache
// (src/state/entity-cache.ts, off by default) sits under them, between the loaders and the providers.
import DataLoader from 'dataloader';
import type { GraphQLError } from 'graphql';
import type { BatchFunction, LoadOptions, SimulationContext } from '../adapters/kit/adapter.js';
import { uniqueIds } from '../adapters/kit/batching.js';
import { AdapterError } from '../adapters/kit/errors.js';
import type { UpstreamCall } from '../adapters/kit/http.js';
import type { BatchPayment, Invoice, Payment } from '../adapters/kit/model.js';
import { canRead, type ClientIdentity } from './access/client.js';
import { forbiddenError } from './access/grants.js';
import { toGraphQLError } from './errors.js';
import { toGlobalId, type NodeType } from './ids.js';
import { loadThroughCache } from './state/cached-batch.js';
import type { EntityCache, EntityCodec } from './state/entity-cache.js';
import { entityCodecFor } from './state/entity-codecs.js';
import type { StaleItem } from './state/stale-marks.js';
import { fromSource, type BatchPaymentRef, type FromSource, type InvoiceRef, type PaymentRef } from './model-refs.js';
import type { SourceRegistry } from './source-registry.js';

export interface Loaders {
  /** The invoice loader of `source` under `simulation` (ignored by sources that do not simulate). */
  invoices(source: string, simulation?: SimulationContext): DataLoader<string, InvoiceRef | null>;
  /** The payment loader of `source`, or undefined when it cannot look payments up. */
  payments(source: string): DataLoader<string, PaymentRef | null> | undefined;
  /** The batch-payment loader of `source`, or undefined when it has none. */
  batchPayments(source: string): DataLoader<string, BatchPaymentRef | null> | undefined;
  /** Writes a created invoice through to the entity cache, so the next read needs no provider call. */
  remember(source: string, invoice: Invoice): Promise<void>;
  /**
   * After a write at `source`: its payments and batch payments (as the write answered them) are written through to the
   * entity cache, and the invoices it touched are forgotten by this request's loaders and, with the cache on, read
   * again from the provider (one batched call, past the cache) and stored, so no one is served the amount due from
   * before the write. A failed read is reported (onError) and swallowed: the write itself succeeded.
   */
  refreshAfterWrite(source: string, written: WrittenObjects): Promise<void>;
}

/** What one write changed at a source. */
export interface WrittenObjects {
  invoiceRemoteIds: readonly string[];
  payments?: readonly Payment[];
  batchPayments?: readonly BatchPayment[];
}

export interface LoaderDependencies {
  registry: SourceRegistry;
  signal: AbortSignal;
  deadline: number;
  onCall: (call: UpstreamCall) => void;
  /** The request's upstream budget (CallContext.admit). */
  admit?: (source: string) => Promise<void>;
  /** Who the calls are for (CallContext.party): a provider's limiter shares its waiting in turn by party. */
  party?: string;
  /**
   * When a batch is sent (DataLoader's batchScheduleFn): the answer budget holds it until the answer's slices have all
   * asked for their objects, so an answer built in slices still batches as one (src/limits/answer-budget.ts).
   */
  schedule?: (dispatch: () => void) => void;
  /** Called with every error a batch answers, for the summary and the logs. */
  onError: (source: string, error: unknown) => void;
  /** The entity cache; lookups go straight to the providers when it is absent or off. */
  cache?: EntityCache;
  /** Called for every item served from the cache because its provider failed. */
  onStale?: (item: StaleItem) => void;
  /** Counts the cache's answers per source: fresh hits, misses (sent to the provider), stale copies served. */
  onCacheLookup?: (source: string, result: 'hit' | 'miss' | 'stale', count: number) => void;
  /** The request's client: a source outside its grants answers FORBIDDEN per key, and is never called. */
  client: ClientIdentity;
}

// Every lookup of an ungranted source goes through this loader, so no field can reach the source around the grants.
function createForbiddenLoader(client: ClientIdentity, source: string): DataLoader<string, never> {
  const error = forbiddenError(client, source, 'read');
  return new DataLoader<string, never>(async (keys) => keys.map(() => error));
}

/** Where one loader's entries live in the entity cache. */
interface LoaderCache {
  cache: EntityCache;
  type: NodeType;
  simulation: string;
  codec?: EntityCodec<unknown>;
  onStale?: (item: StaleItem) => void;
  onLookup?: LoaderDependencies['onCacheLookup'];
}

/** The answer a loader gives for one item: GraphQL errors for errors, the model tagged with its source. */
function toLoaderAnswers<T extends object>(
  source: string,
  answers: Array<T | null | Error>,
  failures: readonly unknown[],
  onError: LoaderDependencies['onError'],
): Array<FromSource<T> | null | GraphQLError> {
  const mapped = new Map<unknown, GraphQLError>();
  for (const failure of failures) {
    onError(source, failure);
    mapped.set(failure, toGraphQLError(failure));
  }
  return answers.map((answer) => {
    if (answer instanceof Error) {
      const whole = mapped.get(answer);
      if (whole) return whole;
      onError(source, answer);
      return toGraphQLError(answer);
    }
    return answer === null ? null : fromSource(source, answer);
  });
}

function createLoader<T extends object>(
  source: string,
  batch: BatchFunction<T>,
  options: LoadOptions,
  onError: LoaderDependencies['onError'],
  cached?: LoaderCache,
  schedule?: (dispatch: () => void) => void,
): DataLoader<string, FromSource<T> | null> {
  if (cached?.cache.enabled) {
    const scope = { source, type: cached.type, simulation: cached.simulation, codec: cached.codec };
    const onStale = (remoteId: string, ageMs: number) => cached.onStale?.({ id: toGlobalId(source, cached.type, remoteId), ageMs });
    // One batch per tick, whatever its size: the cache takes its hits out first, then chunks the rest to the provider's
    // limit, so a partly cached list costs as few calls as its uncached ids need.
    return new DataLoader<string, FromSource<T> | null>(async (keys) => {
      const onLookup = (result: 'hit' | 'miss' | 'stale', count: number) => cached.onLookup?.(source, result, count);
      const { answers, failures } = await loadThroughCache(batch, cached.cache, scope, keys, options, onStale, onLookup);
      return toLoaderAnswers(source, answers, failures, onError);
    }, { batchScheduleFn: schedule });
  }
  return new DataLoader<string, FromSource<T> | null>(
    async (keys) => {
      try {
        const answers = await batch(keys, options);
        if (answers.length !== keys.length) {
          throw new AdapterError('UPSTREAM_BAD_RESPONSE', `${source} answered ${answers.length} items for ${keys.length} ids`, {
            source,
          });
        }
        return toLoaderAnswers(source, answers, [], onError);
      } catch (error) {
        onError(source, error);
        const mapped = toGraphQLError(error);
        return keys.map(() => mapped);
      }
    },
    { maxBatchSize: batch.maxBatchSize, batchScheduleFn: schedule },
  );
}

function simulationKey(simulation: SimulationContext | undefined): string {
  return `${simulation?.simulatedAt ?? ''}|${simulation?.whenAt ?? ''}`;
}

/** Creates the loaders of one GraphQL request. */
export function createLoaders(deps: LoaderDependencies): Loaders {
  const cache = new Map<string, DataLoader<string, unknown>>();
  const base: LoadOptions = { signal: deps.signal, deadline: deps.deadline, onCall: deps.onCall, admit: deps.admit, party: deps.party };

  // How a source's objects are stored in the entity cache (as wire items where the adapter can rebuild them).
  const codecOf = (source: string, type: NodeType): EntityCodec<unknown> | undefined => {
    const adapter = deps.registry.get(source)?.adapter;
    return adapter && entityCodecFor(adapter, type);
  };
  const cacheOf = (source: string, type: NodeType, simulation: string): LoaderCache | undefined =>
    deps.cache && { cache: deps.cache, type, simulation, codec: codecOf(source, type), onStale: deps.onStale, onLookup: deps.onCacheLookup };

  function memo<T>(key: string, make: () => T): T {
    let loader = cache.get(key);
    if (!loader) {
      loader = make() as DataLoader<string, unknown>;
      cache.set(key, loader);
    }
    return loader as T;
  }

  const loaders: Loaders = {
    invoices(source, simulation) {
      const registered = deps.registry.get(source);
      if (!registered) throw new Error(`no source named ${source}`);
      if (!canRead(deps.client, source)) return memo(`forbidden|${source}`, () => createForbiddenLoader(deps.client, source));
      // Lookups under different simulation contexts never share a batch or a cache entry.
      const simulated = registered.adapter.simulation === true && (simulation?.simulatedAt || simulation?.whenAt);
      const key = `invoices|${source}|${simulated ? simulationKey(simulation) : ''}`;
      return memo(key, () =>
        createLoader<Invoice>(
          source,
          registered.adapter.loadInvoices,
          simulated ? { ...base, simulation } : base,
          deps.onError,
          cacheOf(source, 'Invoice', simulated ? simulationKey(simulation) : ''),
          deps.schedule,
        ),
      );
    },
    payments(source) {
      if (!canRead(deps.client, source)) return memo(`forbidden|${source}`, () => createForbiddenLoader(deps.client, source));
      const batch = deps.registry.get(source)?.adapter.loadPayments;
      if (!batch) return undefined;
      return memo(`payments|${source}`, () => createLoader<Payment>(source, batch, base, deps.onError, cacheOf(source, 'Payment', ''), deps.schedule));
    },
    batchPayments(source) {
      if (!canRead(deps.client, source)) return memo(`forbidden|${source}`, () => createForbiddenLoader(deps.client, source));
      const batch = deps.registry.get(source)?.adapter.loadBatchPayments;
      if (!batch) return undefined;
      return memo(`batchPayments|${source}`, () =>
        createLoader<BatchPayment>(source, batch, base, deps.onError, cacheOf(source, 'BatchPayment', ''), deps.schedule),
      );
    },
    async remember(source, invoice) {
      await deps.cache?.store({ source, type: 'Invoice', simulation: '', codec: codecOf(source, 'Invoice') }, [[invoice.remoteId, invoice]]);
    },
    async refreshAfterWrite(source, written) {
      const store = async <T extends { remoteId: string }>(type: NodeType, items: readonly T[] | undefined) => {
        if (items && items.length > 0) {
          await deps.cache?.store({ source, type, simulation: '', codec: codecOf(source, type) }, items.map((item) => [item.remoteId, item]));
        }
        const loader = type === 'Payment' ? loaders.payments(source) : loaders.batchPayments(source);
        for (const item of items ?? []) loader?.clear(item.remoteId).prime(item.remoteId, fromSource(source, item) as never);
      };
      await store<Payment>('Payment', written.payments);
      await store<BatchPayment>('BatchPayment', written.batchPayments);
      const ids = uniqueIds(written.invoiceRemoteIds);
      const loader = loaders.invoices(source);
      for (const id of ids) loader.clear(id);
      const adapter = deps.registry.get(source)?.adapter;
      if (!deps.cache?.enabled || !adapter || ids.length === 0) return;
      try {
        const answers = await adapter.loadInvoices(ids, base);
        const fresh = answers.flatMap((answer) => (answer && !(answer instanceof Error) ? [answer] : []));
        await deps.cache.store({ source, type: 'Invoice', simulation: '', codec: codecOf(source, 'Invoice') }, fresh.map((i) => [i.remoteId, i]));
        for (const invoice of fresh) loader.clear(invoice.remoteId).prime(invoice.remoteId, fromSource(source, invoice));
      } catch (error) {
        deps.onError(source, error);
      }
    },
  };
  return loaders;
}
