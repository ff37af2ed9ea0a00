// Publishing a change: the invoice as it stands now goes into the log once (the change key guards it) and into the
// entity cache, so every replica shows it, and the next read finds it, without asking the provider again. Used by the
// webhook intake, the pollers and the gateway's own writes (`publishInvoiceChange`).
import type { ChangeKind } from '../../adapters/kit/changes.js';
import { invoiceVersion } from '../../adapters/kit/changes.js';
import type { Invoice } from '../../adapters/kit/model.js';
import { encodeModel } from '../../adapters/kit/model-codec.js';
import type { Logger } from 'pino';
import type { SourceRegistry } from '../source-registry.js';
import type { EntityCache } from '../state/entity-cache.js';
import { entityCodecFor } from '../state/entity-codecs.js';
import type { StoredChangeEvent } from './change-event.js';
import type { EventLog } from './event-log.js';

/** One change to publish. */
export interface InvoiceChange {
  source: string;
  remoteId: string;
  kind: ChangeKind;
  occurredAt: string;
  /** The change key; derived from the invoice's version when omitted (needed when the invoice could not be fetched). */
  key?: string;
  /** The invoice now; null when it no longer exists; undefined when it could not be fetched (`error` says why). */
  invoice: Invoice | null | undefined;
  error?: { code: string; message: string };
  /** When `invoice` is a cached copy standing in for a failing provider: its age. */
  staleMs?: number;
}

export interface EventPublisher {
  /** Publishes each change once; answers how many were new. Rejects when the log cannot be written. */
  publish(changes: InvoiceChange[]): Promise<number>;
  /** Tells the subscribers of `source` that it failed (once per `outage`, a text naming the failure episode). */
  publishSourceError(source: string, outage: string, error: { code: string; message: string }): Promise<void>;
}

/** The change key of a polled or written invoice: its source, id and version (modification time and digest). */
export function versionKey(source: string, remoteId: string, version: string): string {
  return `${source}|${remoteId}|${version}`;
}

export interface EventPublisherDependencies {
  log: EventLog;
  registry: SourceRegistry;
  cache: EntityCache;
  logger: Logger;
}

/** Creates the publisher. */
export function createEventPublisher(deps: EventPublisherDependencies): EventPublisher {
  const stored = (source: string, invoice: Invoice): unknown => {
    const adapter = deps.registry.get(source)?.adapter;
    if (!adapter) return undefined;
    // As the entity cache stores it, then through the model codec (bigints tagged), as plain JSON.
    return JSON.parse(encodeModel(entityCodecFor(adapter, 'Invoice').toStored(invoice)));
  };
  return {
    async publish(changes) {
      let added = 0;
      for (const change of changes) {
        const event: StoredChangeEvent = {
          type: 'change',
          // The same change has the same key whoever saw it: a write, a poll, a webhook's lookup.
          key: change.key ?? versionKey(change.source, change.remoteId, change.invoice ? invoiceVersion(change.invoice) : 'gone'),
          source: change.source,
          remoteId: change.remoteId,
          kind: change.kind,
          occurredAt: change.occurredAt,
          ...(change.invoice === null ? { invoice: null } : change.invoice ? { invoice: stored(change.source, change.invoice) } : {}),
          ...(change.error ? { error: change.error } : {}),
          ...(change.staleMs !== undefined ? { staleMs: change.staleMs } : {}),
        };
        const id = await deps.log.append(event);
        if (id === undefined) continue;
        added += 1;
        // The new copy replaces the cached one (a stale copy stays as it was).
        if (change.invoice && change.staleMs === undefined) {
          const adapter = deps.registry.get(change.source)?.adapter;
          if (adapter) {
            await deps.cache.store({ source: change.source, type: 'Invoice', simulation: '', codec: entityCodecFor(adapter, 'Invoice') }, [
              [change.remoteId, change.invoice],
            ]);
          }
        }
        deps.logger.debug({ source: change.source, kind: change.kind, eventId: id }, 'invoice change published');
      }
      return added;
    },
    async publishSourceError(source, outage, error) {
      await deps.log.append({ type: 'error', key: `error|${source}|${outage}`, source, occurredAt: new Date().toISOString(), error });
    },
  };
}
