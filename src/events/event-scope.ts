// The scope one event is resolved in, on one replica: its own loaders, deadline and upstream budget, shared by every
// subscriber the event goes to (a nested lookup one subscriber makes, the next one reuses). A subscription holds no
// request scope for its lifetime: it is never cut by a request's deadline or spends a request's budget.
import type { Logger } from 'pino';
import { createLoaders, type Loaders } from '../loaders.js';
import type { ClientIdentity } from '../access/client.js';
import { createUpstreamBudget } from '../limits/upstream-budget.js';
import type { LimitSettings, RateLimitSettings } from '../limits/limit-settings.js';
import { createRequestSignal } from '../request-signal.js';
import type { SourceRegistry } from '../source-registry.js';
import type { EntityCache } from '../state/entity-cache.js';
import type { RateLimitStore } from '../state/rate-limit-store.js';

export interface EventScope {
  loaders: Loaders;
  signal: AbortSignal;
  deadline: number;
  admitUpstream: (source: string) => Promise<void>;
}

export interface EventScopeDependencies {
  registry: SourceRegistry;
  cache: EntityCache;
  limits: LimitSettings;
  rateLimit: RateLimitSettings;
  rateLimitStore: RateLimitStore;
  /** How long an event's lookups may take (GATEWAY_REQUEST_TIMEOUT_MS). */
  timeoutMs: number;
  logger: Logger;
}

/** Creates the scope of one event of `source`: its lookups may read that source only. */
export function createEventScope(source: string, deps: EventScopeDependencies): EventScope {
  const { signal, deadline } = createRequestSignal(undefined, deps.timeoutMs);
  // Whoever receives an event may read its source; nested lookups of an invoice never leave its source.
  const reader: ClientIdentity = { name: 'change-events', via: 'none', sources: [source], operations: ['read'] };
  const admitUpstream = createUpstreamBudget({
    maxCallsPerSource: deps.limits.maxUpstreamCallsPerSource,
    store: deps.rateLimitStore,
    clientKey: 'events:change-events',
    caller: 'change notifications',
    callsPerMinute: deps.rateLimit.upstreamCallsPerMinute,
  });
  const loaders = createLoaders({
    registry: deps.registry,
    signal,
    deadline,
    onCall: () => undefined,
    onError: (failed, error) => deps.logger.warn({ source: failed, err: error }, 'events: a nested lookup failed'),
    cache: deps.cache,
    client: reader,
    admit: admitUpstream,
  });
  return { loaders, signal, deadline, admitUpstream };
}
