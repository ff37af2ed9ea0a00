// Change notifications, the room's one door: the event log (memory or Redis Streams), the per-replica hub, the
// subscription's event source and per-event scope, the webhook intake, the pollers, and the publish function the
// gateway's own writes call. Created with the gateway; pollers run only when asked (`poll`, as `npm start` does).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { ChangeKind } from '../../adapters/kit/changes.js';
import type { Invoice } from '../../adapters/kit/model.js';
import type { Authenticator } from '../access/authenticate.js';
import type { SourceSpec } from '../config.js';
import type { GatewayContext } from '../context.js';
import { createAnswerBudget } from '../limits/answer-budget.js';
import { createObjectBudget } from '../limits/objects-resolved.js';
import type { LimitSettings, RateLimitSettings } from '../limits/limit-settings.js';
import type { SourceRegistry } from '../source-registry.js';
import type { EntityCache } from '../state/entity-cache.js';
import type { RateLimitStore } from '../state/rate-limit-store.js';
import type { RedisState, SharedState } from '../state/shared-state.js';
import { createStaleMarks } from '../state/stale-marks.js';
import { createUpstreamSummary } from '../upstream-summary.js';
import type { InvoiceChangeEventRef } from './change-event.js';
import { createEventHub, type EventHub } from './event-hub.js';
import type { EventLog } from './event-log.js';
import { createEventPublisher, type EventPublisher } from './event-publisher.js';
import { DEFAULT_EVENT_SETTINGS, type EventSettings } from './event-settings.js';
import { STATE_DEFAULTS } from '../state/state-settings.js';
import { createMemoryEventLog } from './memory-event-log.js';
import { createMemoryPollState, createRedisPollState, type PollState } from './poll-state.js';
import { createRedisEventLog } from './redis-event-log.js';
import { createSourcePoller, type SourcePoller } from './source-poller.js';
import { createSubscriptionSlots, type SubscriptionSlots } from './subscription-limits.js';
import { currentEventOf } from './subscription-results.js';
import { openChangeSubscription, type InvoiceChangedArgs, type SubscriptionItem } from './subscription-source.js';
import { createWebhookIntake, type WebhookIntake, type WebhookSource } from './webhook-intake.js';

/** What the gateway configures (GatewayOptions.events). */
export interface ChangeEventOptions extends Partial<EventSettings> {
  /** Run the pollers of sources without webhooks (`npm start` does; a gateway built in a test only when asked). */
  poll?: boolean;
}

export interface ChangeEventDependencies {
  registry: SourceRegistry;
  specs: readonly SourceSpec[];
  state: SharedState;
  cache: EntityCache;
  logger: Logger;
  limits: LimitSettings;
  rateLimit: RateLimitSettings;
  rateLimitStore: RateLimitStore;
  authenticator: Authenticator;
  requestTimeoutMs: number;
  maxIds: number;
  maxBodyBytes: number;
  options?: ChangeEventOptions;
}

export interface ChangeEvents {
  readonly settings: EventSettings;
  readonly log: EventLog;
  readonly hub: EventHub;
  readonly publisher: EventPublisher;
  readonly webhooks: WebhookIntake;
  readonly slots: SubscriptionSlots;
  /** Who this replica is in the poll leases (`<prefix>poll:<source>:lease` holds it while this replica polls). */
  readonly pollHolder: string;
  /** The pollers by source name (running when `poll` was asked). */
  readonly pollers: ReadonlyMap<string, SourcePoller>;
  /** The event source of one `invoiceChanged` subscription. */
  subscribe(ctx: GatewayContext, args: InvoiceChangedArgs): Promise<AsyncIterableIterator<SubscriptionItem>>;
  /** Resolves one delivered item for one subscriber: the event's own scope goes into the context first. */
  enter(ctx: GatewayContext, item: SubscriptionItem): InvoiceChangeEventRef;
  /**
   * Publishes a change the gateway itself made (createInvoice, payments): at once, to every subscriber, and into the
   * entity cache. Never throws: a write that succeeded stays successful; a failure is logged.
   */
  publishInvoiceChange(source: string, invoice: Invoice, kind: ChangeKind): Promise<void>;
  /** Answers `/webhooks/...` on the HTTP server, ahead of Yoga and of client authentication. */
  handleHttp(request: IncomingMessage, response: ServerResponse, path: string): boolean;
  /** Stops; `release: false` plays a replica that died (its poll leases expire instead of being let go). */
  close(release?: boolean): Promise<void>;
}

/** Creates change notifications for one gateway (one replica). */
export function createChangeEvents(deps: ChangeEventDependencies): ChangeEvents {
  const { poll, ...given } = deps.options ?? {};
  const settings: EventSettings = { ...DEFAULT_EVENT_SETTINGS, ...given };
  const redis = 'connection' in deps.state ? (deps.state as RedisState) : undefined;
  const keyPrefix = redis?.keyPrefix ?? STATE_DEFAULTS.REDIS_KEY_PREFIX;
  const log: EventLog = redis
    ? createRedisEventLog({ client: redis.connection.client, keyPrefix, retentionMs: settings.retentionMs, maxEvents: settings.maxEvents, logger: deps.logger })
    : createMemoryEventLog({ retentionMs: settings.retentionMs, maxEvents: settings.maxEvents });
  const leaseMs = deps.state.leaseMs ?? STATE_DEFAULTS.REDIS_LEASE_MS;
  const pollState: PollState = redis ? createRedisPollState(redis.connection.client, keyPrefix, leaseMs) : createMemoryPollState();
  const scopeDeps = {
    registry: deps.registry,
    cache: deps.cache,
    limits: deps.limits,
    rateLimit: deps.rateLimit,
    rateLimitStore: deps.rateLimitStore,
    timeoutMs: deps.requestTimeoutMs,
    logger: deps.logger,
  };
  const hub = createEventHub(log, deps.registry, scopeDeps);
  hub.listen();
  const publisher = createEventPublisher({ log, registry: deps.registry, cache: deps.cache, logger: deps.logger });
  const slots = createSubscriptionSlots({
    perClient: settings.maxSubscriptionsPerClient,
    perReplica: settings.maxSubscriptions,
    redis: redis ? { client: redis.connection.client, keyPrefix, leaseMs } : undefined,
  });

  // Sources whose provider sends webhooks and whose key is configured are told; every other listing source is polled.
  const keys: Record<string, string | undefined> = { xero: settings.xeroWebhookKey };
  const webhookSources: WebhookSource[] = deps.specs.flatMap((spec) => {
    const key = keys[spec.provider.kind];
    return spec.provider.webhook && key
      ? [{ source: spec.settings.name, kind: spec.provider.kind, webhook: spec.provider.webhook, settings: spec.settings, key }]
      : [];
  });
  const webhooks = createWebhookIntake({
    sources: webhookSources,
    log,
    publisher,
    registry: deps.registry,
    cache: deps.cache,
    logger: deps.logger,
    maxBodyBytes: deps.maxBodyBytes,
    timeoutMs: deps.requestTimeoutMs,
  });
  if (webhookSources.length > 0) log.processDeliveries((delivery) => webhooks.resolve(delivery));

  const pollers = new Map<string, SourcePoller>();
  for (const spec of deps.specs) {
    const name = spec.settings.name;
    const listing = deps.registry.get(name)?.adapter.listInvoices;
    const detection = spec.provider.changeDetection;
    if (!listing || !detection || webhookSources.some((w) => w.source === name)) continue;
    pollers.set(
      name,
      createSourcePoller({
        source: name,
        listing,
        detection,
        lease: pollState.lease(name),
        baseline: pollState.baseline(name),
        publisher,
        intervalMs: settings.pollIntervalMs,
        sweepMs: settings.pollSweepMs,
        newestPages: settings.pollNewestPages,
        timeoutMs: Math.max(deps.requestTimeoutMs, settings.pollIntervalMs),
        leaseRenewMs: Math.max(100, Math.floor(leaseMs / 3)),
        logger: deps.logger,
      }),
    );
  }
  if (poll) for (const poller of pollers.values()) poller.start();

  return {
    settings,
    log,
    hub,
    publisher,
    webhooks,
    slots,
    pollers,
    pollHolder: pollState.holder,
    subscribe: (ctx, args) => openChangeSubscription(ctx, args, { log, hub, slots, maxIds: deps.maxIds }),
    enter(ctx, item) {
      if ('end' in item) {
        currentEventOf.delete(ctx);
        throw item.end;
      }
      currentEventOf.set(ctx, item);
      // The event's scope, not the subscription's: its loaders, deadline and budgets, fresh per event.
      const scope = item.scope();
      ctx.loaders = scope.loaders;
      ctx.signal = scope.signal;
      ctx.deadline = scope.deadline;
      ctx.upstream = createUpstreamSummary();
      ctx.stale = createStaleMarks();
      if (item.stale) ctx.stale.mark(item.stale);
      ctx.budget = {
        clientKey: ctx.budget?.clientKey ?? 'events',
        caller: ctx.budget?.caller ?? 'subscriber',
        objects: createObjectBudget(deps.limits.maxObjects),
        // The answer's values and bytes, per event like everything else (src/limits/answer-budget.ts).
        answer: createAnswerBudget({ maxValues: deps.limits.maxCost, maxBytes: deps.limits.maxResponseBytes }),
        admitUpstream: scope.admitUpstream,
      };
      if (item.error) throw item.error;
      return item.ref!;
    },
    async publishInvoiceChange(source, invoice, kind) {
      try {
        await publisher.publish([{ source, remoteId: invoice.remoteId, kind, occurredAt: invoice.updatedAt ?? new Date().toISOString(), invoice }]);
      } catch (error) {
        deps.logger.warn({ source, err: error }, 'events: a change made through the gateway could not be published');
      }
    },
    handleHttp(request, response, path) {
      if (!webhooks.handles(path)) return false;
      webhooks.handle(request, response, path);
      return true;
    },
    async close(release = true) {
      await Promise.allSettled([...pollers.values()].map((poller) => poller.stop(release)));
      hub.close();
      slots.close();
      await log.close();
    },
  };
}
