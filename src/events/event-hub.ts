// One replica's fan-out: every event read from the log is decoded once (its invoice rebuilt from the stored item, no
// provider call) and handed to each local subscriber whose grants and filter it matches. A subscriber that cannot keep
// up is ended rather than letting its backlog grow without bound.
import type { GraphQLError } from 'graphql';
import type { InvoiceStatus } from '../../adapters/kit/model.js';
import { decodeModel } from '../../adapters/kit/model-codec.js';
import { canRead, type ClientIdentity } from '../access/client.js';
import { userError } from '../errors.js';
import { toGlobalId } from '../ids.js';
import { fromSource, type InvoiceRef } from '../model-refs.js';
import type { SourceRegistry } from '../source-registry.js';
import { entityCodecFor } from '../state/entity-codecs.js';
import type { StaleItem } from '../state/stale-marks.js';
import type { InvoiceChangeEventRef, LoggedEvent } from './change-event.js';
import type { EventLog } from './event-log.js';
import { createEventScope, type EventScope, type EventScopeDependencies } from './event-scope.js';

/** An event ready to be shown: decoded once per replica, its scope made when a subscriber first resolves it. */
export interface PreparedEvent {
  readonly id: string;
  readonly source: string;
  /** The global id of the invoice (undefined for a source's error event). */
  readonly invoiceId?: string;
  /** The event as the schema shows it, or the error a source's error event answers. */
  readonly ref: InvoiceChangeEventRef | undefined;
  readonly error: GraphQLError | undefined;
  /** The invoice's status now, when it is known. */
  readonly status: InvoiceStatus | undefined;
  /** Set when the invoice is a cached copy standing in for its failing provider. */
  readonly stale: StaleItem | undefined;
  scope(): EventScope;
}

/** What a subscriber asked for. */
export interface SubscriberFilter {
  sources?: ReadonlySet<string>;
  ids?: ReadonlySet<string>;
  statuses?: ReadonlySet<InvoiceStatus>;
}

export interface HubSubscriber {
  client: ClientIdentity;
  filter: SubscriberFilter;
  deliver(event: PreparedEvent): void;
  /** Ends the subscription (the gateway is stopping). */
  close?(): void;
}

export interface EventHub {
  /** Starts reading the log (from its newest event on). */
  listen(): void;
  add(subscriber: HubSubscriber): () => void;
  /** Decodes a logged event (cached, so a replay shared by several subscribers decodes once). */
  prepare(logged: LoggedEvent): PreparedEvent;
  readonly size: number;
  close(): void;
}

/** True when `subscriber` may see `event` and asked for it. */
export function matches(subscriber: Pick<HubSubscriber, 'client' | 'filter'>, event: PreparedEvent): boolean {
  if (!canRead(subscriber.client, event.source)) return false;
  const { sources, ids, statuses } = subscriber.filter;
  if (sources && !sources.has(event.source)) return false;
  // A source's failure concerns everyone who reads it, whatever invoices they watch.
  if (event.error) return true;
  if (ids && (!event.invoiceId || !ids.has(event.invoiceId))) return false;
  // An invoice that could not be fetched has no known status: the event is shown rather than lost.
  if (statuses && event.status !== undefined && !statuses.has(event.status)) return false;
  return true;
}

const PREPARED_KEPT = 2_000;

/** Creates the hub of one replica over `log`. */
export function createEventHub(log: EventLog, registry: SourceRegistry, scopeDeps: EventScopeDependencies): EventHub {
  const subscribers = new Set<HubSubscriber>();
  const recent = new Map<string, PreparedEvent>();
  let unlisten: (() => void) | undefined;

  const prepare = (logged: LoggedEvent): PreparedEvent => {
    const known = recent.get(logged.id);
    if (known) return known;
    const { event } = logged;
    let scope: EventScope | undefined;
    let ref: InvoiceChangeEventRef | undefined;
    let error: GraphQLError | undefined;
    let status: InvoiceStatus | undefined;
    let stale: StaleItem | undefined;
    const invoiceId = event.remoteId !== undefined ? toGlobalId(event.source, 'Invoice', event.remoteId) : undefined;
    if (event.type === 'error') {
      error = userError(event.error?.code ?? 'UPSTREAM_UNAVAILABLE', `${event.source} could not be polled: ${event.error?.message ?? 'it failed'}`, {
        source: event.source,
      });
    } else {
      let invoice: InvoiceRef | null = null;
      let invoiceError: GraphQLError | undefined;
      const adapter = registry.get(event.source)?.adapter;
      if (event.invoice === undefined || !adapter) {
        invoiceError = userError(event.error?.code ?? 'UPSTREAM_UNAVAILABLE', event.error?.message ?? `${event.source} could not be asked for the invoice`, {
          source: event.source,
        });
      } else if (event.invoice !== null) {
        const revived = entityCodecFor(adapter, 'Invoice').fromStored(decodeModel(JSON.stringify(event.invoice)));
        if (revived instanceof Error) invoiceError = userError('UPSTREAM_BAD_RESPONSE', `${event.source} sent an invoice that cannot be read`, { source: event.source });
        else {
          invoice = fromSource(event.source, revived as InvoiceRef);
          status = invoice.status;
          if (event.staleMs !== undefined) stale = { id: invoiceId!, ageMs: event.staleMs };
        }
      }
      ref = {
        id: logged.id,
        invoiceId: invoiceId!,
        source: event.source,
        kind: event.kind ?? 'UPDATED',
        occurredAt: event.occurredAt,
        invoice,
        invoiceError,
      };
    }
    const prepared: PreparedEvent = {
      id: logged.id,
      source: event.source,
      invoiceId,
      ref,
      error,
      status,
      stale,
      scope: () => (scope ??= createEventScope(event.source, scopeDeps)),
    };
    recent.set(logged.id, prepared);
    if (recent.size > PREPARED_KEPT) recent.delete(recent.keys().next().value!);
    return prepared;
  };

  const onEvent = (logged: LoggedEvent) => {
    let prepared: PreparedEvent | undefined;
    for (const subscriber of subscribers) {
      prepared ??= prepare(logged);
      if (matches(subscriber, prepared)) subscriber.deliver(prepared);
    }
  };

  return {
    listen() {
      unlisten ??= log.onEvent(onEvent);
    },
    add(subscriber) {
      unlisten ??= log.onEvent(onEvent);
      subscribers.add(subscriber);
      return () => subscribers.delete(subscriber);
    },
    prepare,
    get size() {
      return subscribers.size;
    },
    close() {
      unlisten?.();
      for (const subscriber of [...subscribers]) subscriber.close?.();
      subscribers.clear();
    },
  };
}
