// Assembles the gateway: one dispatcher, circuit breaker and adapter per source, the schema, and the Yoga server.
import { randomUUID } from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import pino, { type Logger } from 'pino';
import { Agent } from 'undici';
import { createCircuitBreaker } from '../adapters/kit/circuit-breaker.js';
import { retryMiddleware, type RetryOptions } from '../adapters/kit/retry.js';
import { AdapterError } from '../adapters/kit/errors.js';
import { ANONYMOUS_CLIENT } from './access/client.js';
import type { SourceSpec } from './config.js';
import type { GatewayContext } from './context.js';
import { maskError } from './plugins/mask-error.js';
import { useUpstreamSummary } from './plugins/upstream-summary.js';
import { useMetrics } from './plugins/metrics.js';
import { useReadiness } from './plugins/readiness.js';
import { useRequestLifetime } from './plugins/request-lifetime.js';
import { createLoaders } from './loaders.js';
import { createSchema } from './schema.js';
import { createSourceRegistry, type RegisteredSource, type SourceRegistry } from './source-registry.js';
import { healthFromBreaker } from './source-health.js';
import { createUpstreamSummary } from './upstream-summary.js';
import { useStaleMarks } from './plugins/stale-marks.js';
import { createEntityCache, type EntityCache } from './state/entity-cache.js';
import type { RateLimitStore } from './state/rate-limit-store.js';
import { createMemoryState, type SharedState } from './state/shared-state.js';
import { createStaleMarks } from './state/stale-marks.js';

export interface GatewayOptions {
  sources: SourceSpec[];
  /** Deadline of one GraphQL request; upstream calls inherit it. */
  requestTimeoutMs?: number;
  /** Default header/body timeout of upstream calls. */
  upstreamTimeoutMs?: number;
  connectTimeoutMs?: number;
  maxIds?: number;
  /** Circuit breaker per source; `now` lets tests move its clock. */
  circuit?: { failureThreshold: number; coolDownMs: number; now?: () => number };
  /** Retries of idempotent upstream calls (reads, and writes with an idempotency key). */
  retry?: Partial<RetryOptions>;
  logger?: Logger;
  /** The query GraphiQL opens with, or a function building it from the configured sources. */
  exampleQuery?: string | ((registry: SourceRegistry) => string);
  /** Also serve the schema as a Federation v2 subgraph (`_service`, `_entities`); on unless `false`. See src/schema.ts. */
  federation?: boolean;
  /**
   * State shared across replicas (src/state/shared-state.ts): Redis when REDIS_URL is set. The caller owns it (closes
   * it); without it the gateway keeps everything in memory, as one replica.
   */
  state?: SharedState;
  /** The clients' budgets (per-client rate limits); pass the shared state's (`state.rateLimits`) so replicas share them. */
  rateLimitStore?: RateLimitStore;
  /** The entity cache (GATEWAY_CACHE_TTL_MS, GATEWAY_STALE_IF_ERROR_MS); off unless one duration is above 0. */
  cache?: { ttlMs: number; staleIfErrorMs: number };
}

export interface Gateway {
  yoga: YogaServerInstance<Record<string, unknown>, GatewayContext>;
  registry: SourceRegistry;
  logger: Logger;
  close(): Promise<void>;
}

function createSources(options: GatewayOptions, state: SharedState) {
  const dispatchers: Agent[] = [];
  const sources: RegisteredSource[] = options.sources.map((spec) => {
    const dispatcher = new Agent({ connect: { timeout: options.connectTimeoutMs ?? 5_000 }, connections: 32 });
    dispatchers.push(dispatcher);
    const name = spec.settings.name;
    const breaker = createCircuitBreaker({
      source: name,
      failureThreshold: options.circuit?.failureThreshold ?? 5,
      coolDownMs: options.circuit?.coolDownMs ?? 30_000,
      now: options.circuit?.now,
    });
    const timeoutMs = spec.timeoutMs ?? options.upstreamTimeoutMs ?? 10_000;
    const adapter = spec.provider.createAdapter(spec.settings, {
      dispatcher,
      // Retries wrap the breaker, so every attempt counts towards opening it and an open circuit stops the retries.
      middleware: [retryMiddleware({ retries: 2, baseDelayMs: 100, maxDelayMs: 5_000, ...options.retry }), breaker.middleware],
      timeouts: { headersMs: timeoutMs, bodyMs: timeoutMs },
      limiterStore: state.limiterStore,
      limiterLeaseMs: state.leaseMs,
    });
    return { name, kind: spec.provider.kind, adapter, health: healthFromBreaker(breaker) };
  });
  return { sources, closeDispatchers: async () => void (await Promise.allSettled(dispatchers.map((d) => d.close()))) };
}

/** Creates the gateway over the given sources. */
export function createGateway(options: GatewayOptions): Gateway {
  const logger = options.logger ?? pino({ level: 'silent' });
  const ownState = options.state ? undefined : createMemoryState();
  const state = options.state ?? ownState!;
  const { sources, closeDispatchers } = createSources(options, state);
  const registry = createSourceRegistry(sources, closeDispatchers);
  const cache: EntityCache = createEntityCache(state.cacheBackend, options.cache ?? { ttlMs: 0, staleIfErrorMs: 0 });
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const maxIds = options.maxIds ?? 1000;

  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    schema: createSchema({ federation: options.federation }),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    logging: false,
    maskedErrors: { maskError: maskError(logger) },
    graphiql: {
      title: 'invoice-gateway',
      defaultQuery: typeof options.exampleQuery === 'function' ? options.exampleQuery(registry) : options.exampleQuery,
    },
    // GraphiQL's scripts and styles served from this process, not a CDN: it works offline and behind strict egress.
    renderGraphiQL,
    plugins: [
      useUpstreamSummary(),
      useMetrics(registry, { sharedState: () => state.report(), cacheStats: cache.enabled ? () => cache.stats() : undefined }),
      useReadiness(registry, () => state.report()),
      useRequestLifetime(),
      useStaleMarks(),
    ],
    context: ({ request }): GatewayContext => {
      const requestId = request.headers.get('x-request-id')?.slice(0, 100) || randomUUID();
      const deadline = Date.now() + requestTimeoutMs;
      const done = new AbortController();
      const signal = AbortSignal.any([request.signal, AbortSignal.timeout(requestTimeoutMs), done.signal]);
      const upstream = createUpstreamSummary();
      const requestLogger = logger.child({ requestId });
      const onUpstreamError = (source: string, error: unknown) => {
        const code = error instanceof AdapterError ? error.code : 'INTERNAL_SERVER_ERROR';
        upstream.recordError(source, code);
        requestLogger.warn({ source, code, err: error }, 'upstream error');
      };
      const stale = createStaleMarks();
      const loaders = createLoaders({
        registry,
        signal,
        deadline,
        onCall: (call) => upstream.record(call),
        onError: onUpstreamError,
        cache,
        onStale: (item) => stale.mark(item),
      });
      return {
        registry,
        loaders,
        signal,
        deadline,
        finish: () => done.abort(new Error('the response was sent')),
        requestId,
        upstream,
        onUpstreamError,
        logger: requestLogger,
        limits: { maxIds },
        client: ANONYMOUS_CLIENT,
        stale,
      };
    },
  });

  return {
    yoga,
    registry,
    logger,
    async close() {
      await registry.close();
      await ownState?.close();
    },
  };
}
