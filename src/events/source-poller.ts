// Polls one source without webhooks through its listing, page by page on the listing's keyset positions
// (src/listing/source-pages.ts, the same reading listInvoices does, so a poll terminates and never repeats): with `updatedSince` where the provider filters on modification time, else the newest
// pages every interval and every page at the sweep interval. Each invoice's version (modification time, digest) is
// compared with the baseline; what differs is published first and recorded after, so a replica that stops between
// the two loses nothing (the next holder finds the change again, and the change key keeps it from being published
// twice). Calls go through the source's adapter, so its rate limits and circuit apply; a failing source is skipped
// until it answers again, and its subscribers are told once per failure.
import type { ChangeDetection } from '../../adapters/kit/changes.js';
import type { InvoiceListFilter, InvoiceListing, InvoiceListOrder } from '../../adapters/kit/listing.js';
import type { Invoice } from '../../adapters/kit/model.js';
import type { Logger } from 'pino';
import { toGraphQLError } from '../errors.js';
import type { SourceCursorState } from '../listing/cursor.js';
import { readSourcePage } from '../listing/source-pages.js';
import { createRequestSignal } from '../request-signal.js';
import { versionKey, type EventPublisher, type InvoiceChange } from './event-publisher.js';
import type { PollBaseline, PollLease } from './poll-state.js';

export interface SourcePollerOptions {
  source: string;
  listing: InvoiceListing;
  detection: ChangeDetection;
  lease: PollLease;
  baseline: PollBaseline;
  publisher: EventPublisher;
  intervalMs: number;
  sweepMs: number;
  newestPages: number;
  /** How long one poll may take (its calls' deadline). */
  timeoutMs: number;
  /** How often the lease is renewed (and a free one taken). */
  leaseRenewMs: number;
  logger: Logger;
  random?: () => number;
  /** The most pages one sweep reads. */
  maxPages?: number;
}

/** What one poll did. */
export type PollOutcome = { polled: false } | { polled: true; sweep: boolean; read: number; published: number } | { polled: true; failed: string };

export interface SourcePoller {
  start(): void;
  /** Runs one poll now (tests and the first run). */
  pollOnce(): Promise<PollOutcome>;
  /** True once a first sweep has made the baseline (changes are announced from then on), by whichever replica. */
  baselineMade(): Promise<boolean>;
  /** Stops; `release` lets the lease go at once (a clean stop) instead of letting it expire (a replica that died). */
  stop(release: boolean): Promise<void>;
}

const PAGE_SIZE = 100;

/** Creates the poller of one source. */
export function createSourcePoller(options: SourcePollerOptions): SourcePoller {
  const { source, listing, detection, lease, baseline, publisher, logger } = options;
  const random = options.random ?? Math.random;
  const updatedSince = detection.narrowing === 'updatedSince' && listing.filters.includes('updatedSince');
  const newestOrder: InvoiceListOrder | undefined =
    detection.newestOrder && listing.orders.includes(detection.newestOrder) ? detection.newestOrder : undefined;
  let timer: NodeJS.Timeout | undefined;
  let renew: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<PollOutcome> | undefined;
  let failingSince: number | undefined;

  const compare = async (items: Invoice[], announce: boolean): Promise<{ published: number; newest?: string }> => {
    const versions = await baseline.versions(items.map((i) => i.remoteId));
    const changes: InvoiceChange[] = [];
    const records: Array<[string, string]> = [];
    let newest: string | undefined;
    const now = new Date().toISOString();
    for (const invoice of items) {
      if (invoice.updatedAt && (!newest || invoice.updatedAt > newest)) newest = invoice.updatedAt;
      const version = detection.versionOf(invoice);
      const before = versions.get(invoice.remoteId);
      if (before === version) continue;
      records.push([invoice.remoteId, version]);
      if (!announce) continue;
      changes.push({
        source,
        remoteId: invoice.remoteId,
        kind: before === undefined ? 'CREATED' : 'UPDATED',
        occurredAt: invoice.updatedAt ?? (before === undefined ? (invoice.createdAt ?? now) : now),
        key: versionKey(source, invoice.remoteId, version),
        invoice,
      });
    }
    // Published before recorded: stopping in between means finding it again, never losing it.
    const published = changes.length > 0 ? await publisher.publish(changes) : 0;
    await baseline.record(records);
    return { published, newest };
  };

  const poll = async (): Promise<PollOutcome> => {
    if (!(await lease.hold())) return { polled: false };
    const sweptAt = await baseline.sweptAt();
    const startedAt = Date.now();
    // The first sweep makes the baseline and announces nothing: every invoice would otherwise be "new".
    const first = sweptAt === 0;
    const sweep = first || (!updatedSince && (!newestOrder || startedAt - sweptAt >= options.sweepMs));
    const filter: InvoiceListFilter = {};
    let order: InvoiceListOrder | undefined;
    let pages = options.maxPages ?? 1_000;
    if (!sweep && updatedSince) {
      const mark = await baseline.watermark();
      // A second's overlap: providers stamp to the second, and the versions make the overlap harmless.
      if (mark) filter.updatedSince = new Date(Date.parse(mark) - 1_000).toISOString();
      order = newestOrder;
    } else if (!sweep) {
      order = newestOrder;
      pages = options.newestPages;
    }
    const call = createRequestSignal(undefined, options.timeoutMs);
    let read = 0;
    let published = 0;
    let newest: string | undefined;
    try {
      // A sweep reads every invoice, in any order the source answers.
      const readOrder = order ?? listing.orders[0];
      let after: SourceCursorState | undefined;
      for (let count = 0; count < pages && !stopped; count += 1) {
        const page = await readSourcePage({
          source,
          listing,
          filter,
          order: readOrder,
          first: PAGE_SIZE,
          after,
          call: { signal: call.signal, deadline: call.deadline },
        });
        read += page.invoices.length;
        const outcome = await compare(page.invoices, !first);
        published += outcome.published;
        if (outcome.newest && (!newest || outcome.newest > newest)) newest = outcome.newest;
        if (!page.next) break;
        after = page.next;
      }
      if (sweep) await baseline.setSweptAt(startedAt);
      if (newest) {
        const mark = await baseline.watermark();
        if (!mark || newest > mark) await baseline.setWatermark(newest);
      }
      if (failingSince !== undefined) logger.info({ source }, 'events: polling works again');
      failingSince = undefined;
      return { polled: true, sweep, read, published };
    } catch (error) {
      const mapped = toGraphQLError(error);
      const code = String(mapped.extensions?.code ?? 'UPSTREAM_UNAVAILABLE');
      if (failingSince === undefined) {
        failingSince = startedAt;
        logger.warn({ source, code }, 'events: polling failed; subscribers told once, polling goes on');
        await publisher
          .publishSourceError(source, String(startedAt), { code: code.startsWith('UPSTREAM_') ? code : 'UPSTREAM_UNAVAILABLE', message: mapped.message })
          .catch(() => undefined);
      }
      return { polled: true, failed: code };
    } finally {
      call.abort('response-sent');
    }
  };

  const pollOnce = () => {
    running ??= poll().finally(() => (running = undefined));
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    // Jitter (±10%), so replicas and sources do not poll in step.
    const delay = Math.round(options.intervalMs * (0.9 + 0.2 * random()));
    timer = setTimeout(() => {
      void pollOnce()
        .catch((error: unknown) => logger.warn({ source, err: error }, 'events: a poll failed'))
        .finally(schedule);
    }, delay);
    timer.unref();
  };

  return {
    start() {
      stopped = false;
      renew = setInterval(() => void lease.hold(), options.leaseRenewMs);
      renew.unref();
      void pollOnce()
        .catch((error: unknown) => logger.warn({ source, err: error }, 'events: a poll failed'))
        .finally(schedule);
    },
    pollOnce,
    baselineMade: async () => (await baseline.sweptAt()) > 0,
    async stop(release) {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (renew) clearInterval(renew);
      await running?.catch(() => undefined);
      if (release) await lease.release();
    },
  };
}
