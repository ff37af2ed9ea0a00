// Assembles the gateway: one dispatcher, circuit breaker and adapter per source, the schema, and the Yoga server.
import type { Tracer } from '@opentelemetry/api';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import pino, { type Logger } from 'pino';
import { Agent } from 'undici';
import { createCircuitBreaker, type CircuitBreaker } from '../adapters/kit/circuit-breaker.js';
import { retryMiddleware, type RetryOptions } from '../adapters/kit/retry.js';
import { CallAbortedError, isAbandoned } from '../adapters/kit/errors.js';
import { createAuthenticator, type AuthOptions } from './access/authenticate.js';
import { canCompose } from './access/client.js';
import type { SourceSpec } from './config.js';
import { HTTP_SERVER_DEFAULTS } from './http-server-settings.js';
import { RESILIENCE_DEFAULTS } from './resilience-settings.js';
import type { GatewayContext } from './context.js';
import { errorCodeOf } from './errors.js';
import { maskError } from './plugins/mask-error.js';
import { createAuthentication } from './plugins/authentication.js';
import { corsForOrigins, useVaryOrigin } from './plugins/cors.js';
import { useCsrfProtection } from './plugins/csrf.js';
import { useEndpointPage } from './plugins/endpoint-page.js';
import { useGraphiQLPage } from './plugins/graphiql-page.js';
import { useIntrospectionOff } from './plugins/introspection.js';
import { useParseNestingGuard } from './plugins/parse-nesting-guard.js';
import { useUnknownEntityTypes } from './plugins/unknown-entity-types.js';
import { TRUSTED_DOCUMENT_PARAMS, useNoTrustedDocuments, useTrustedDocuments, type TrustedDocuments } from './plugins/trusted-documents.js';
import { useResponseExtensions } from './plugins/response-extensions.js';
import { useMetrics } from './plugins/metrics.js';
import { useObserveGrant } from './plugins/operational-access.js';
import { useReadiness } from './plugins/readiness.js';
import { useRequestLifetime } from './plugins/request-lifetime.js';
import {
  boundedParserCache,
  createLimitPlugins,
  createRequestBudget,
  DEFAULT_ID_LIMITS,
  DEFAULT_LIMITS,
  DEFAULT_RATE_LIMIT,
  createAddressCounter,
  createAuthFailureLimit,
  createClientAddresses,
  DEFAULT_ADDRESS_LIMITS,
  useRequestsInFlightPerAddress,
  type AddressLimits,
  type ClientAddresses,
  meterAnswer,
  upstreamBudgetMiddleware,
  type LimitSettings,
  type RateLimitSettings,
} from './limits/index.js';
import { useListingErrors } from './plugins/listing-errors.js';
import { useVariableErrors } from './plugins/variable-errors.js';
import { configureListing, type ListingOptions } from './listing/listing-settings.js';
import { createLoaders } from './loaders.js';
import { startCircuitProber, type ProbedSource } from './circuit-prober.js';
import { createRequestSignal } from './request-signal.js';
import { createSchema } from './schema.js';
import { createSourceRegistry, type RegisteredSource, type SourceRegistry } from './source-registry.js';
import { healthFromBreaker } from './source-health.js';
import type { RateLimitStore } from './state/rate-limit-store.js';
import { createUpstreamSummary } from './upstream-summary.js';
import { createEntityCache, type EntityCache } from './state/entity-cache.js';
import { createMemoryState, type SharedState } from './state/shared-state.js';
import { DEFAULT_KEY_RETENTION_MS, type InvoicesWrittenHook, type WriteServices } from './payments/write-services.js';
import { createStaleMarks } from './state/stale-marks.js';
import { createGatewayMetrics, type GatewayMetrics } from './telemetry/metrics.js';
import { createRequestTelemetry } from './telemetry/request-hooks.js';
import { createRequestTelemetryPlugins } from './telemetry/request-telemetry.js';
import { requestIdOf } from './telemetry/request-state.js';
import { createUpstreamFailureLog } from './telemetry/upstream-failure-log.js';
import { upstreamTelemetryMiddleware } from './telemetry/upstream-telemetry.js';
import type { TokenStore } from '../adapters/kit/token-store.js';
import { logConnectionChanges, startSources } from './source-connections.js';
import { createMemoryTokenStore } from './state/token-store.js';
import { registerConnectionGauge } from './telemetry/connection-metrics.js';
import type { Server } from 'node:http';
import { createChangeEvents, type ChangeEventOptions, type ChangeEvents } from './events/change-events.js';
import { useSubscriptionResults } from './events/subscription-results.js';
import { useSharedEventExecution } from './events/shared-execution.js';
import { attachSubscriptionSocket, socketClientOf } from './events/websocket-server.js';

export interface GatewayOptions {
  sources: SourceSpec[];
  /** Deadline of one GraphQL request; upstream calls inherit it. */
  requestTimeoutMs?: number;
  /** Default header/body timeout of upstream calls. */
  upstreamTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** The most bytes one upstream answer may have (GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES); cut while reading past it. */
  maxUpstreamResponseBytes?: number;
  maxIds?: number;
  /** The most representations one `_entities` fetch takes (routers do not split entity fetches). */
  maxEntities?: number;
  /**
   * Circuit breaker per source; `now` lets tests move its clock. `selfProbe: false` leaves an open circuit to be probed
   * by traffic alone (tests that drive the breaker's clock by hand).
   */
  circuit?: { failureThreshold: number; coolDownMs: number; now?: () => number; selfProbe?: boolean };
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
  /** The entity cache (GATEWAY_CACHE_TTL_MS, GATEWAY_STALE_IF_ERROR_MS); off unless one duration is above 0. */
  cache?: { ttlMs: number; staleIfErrorMs: number };
  /** Who may call (GATEWAY_AUTH and its settings); `none` unless given. */
  auth?: AuthOptions;
  /** Origins whose browser pages may read answers (GATEWAY_CORS_ORIGINS); none unless given. */
  corsOrigins?: readonly string[];
  /** Serve GraphiQL at the endpoint (GATEWAY_GRAPHIQL); on unless `false`. */
  graphiql?: boolean;
  /**
   * True when /health, /ready and /metrics are served on their own port (GATEWAY_ADMIN_PORT, see src/http-server.ts):
   * that port is the operator's, so they need no grant there. Otherwise, with authentication on, /metrics and /ready's
   * body need a client granted `observe`.
   */
  adminPort?: boolean;
  /** Answer introspection and suggest field names in errors (GATEWAY_INTROSPECTION); on unless `false`. */
  introspection?: boolean;
  /** Trusted documents (GATEWAY_PERSISTED_OPERATIONS_FILE, GATEWAY_PERSISTED_ONLY). */
  trustedDocuments?: TrustedDocuments;
  /** The largest request body accepted, in bytes (GATEWAY_MAX_BODY_BYTES); larger ones answer 413. */
  maxBodyBytes?: number;
  /** listInvoices: the cursor key (GATEWAY_CURSOR_SECRET) and the per-page call budgets. */
  listing?: ListingOptions;
  /** Traces operations and upstream calls when set (see src/telemetry/tracing.ts); without it tracing costs nothing. */
  tracer?: Tracer;
  /** The process's default metrics on /metrics; on unless `false`. */
  defaultMetrics?: boolean;
  /** What one request may cost (src/limits); unset fields take DEFAULT_LIMITS. */
  limits?: Partial<LimitSettings>;
  /** Per-client budgets per minute, for clients without their own `rateLimit`; unset fields take DEFAULT_RATE_LIMIT. */
  rateLimit?: Partial<RateLimitSettings>;
  /** Where the per-client budgets are kept; the shared state's (`state.rateLimits`) unless given. */
  rateLimitStore?: RateLimitStore;
  /** Payment writes: how long an idempotencyKey is remembered (default a day; see src/payments/payment-idempotency.ts). */
  payments?: { keyRetentionMs?: number; now?: () => number };
  /**
   * Called once per successful write (createInvoice, recordPayment, createBatchPayment, deletePayment) with the
   * invoices it changed, after the entity cache holds them: where change notifications publish from.
   */
  onInvoicesWritten?: InvoicesWrittenHook;
  /** Where connections' rotating tokens are kept (src/state/token-store.ts); in this process unless given. */
  tokenStore?: TokenStore;
  /** The connections whose tokens `start()` checks the store's key against. */
  connections?: readonly string[];
  /** The clock access tokens expire by; tests share one with a sandbox. */
  tokenClock?: () => number;
  /** Change notifications (src/events, docs/events.md): polling, retention, subscription bounds, webhook keys. */
  events?: ChangeEventOptions;
  /** How long repeats of one upstream failure are counted before they are logged once (src/telemetry/upstream-failure-log.ts). */
  upstreamFailureLogIntervalMs?: number;
  /** Who the client is behind proxies, and what one address may hold (src/limits/address-limits.ts). */
  perAddress?: Partial<AddressLimits>;
}

export interface Gateway {
  yoga: YogaServerInstance<Record<string, unknown>, GatewayContext>;
  registry: SourceRegistry;
  logger: Logger;
  /** The sources' start-up checks (a tenant, the token key): rejects with a GatewayStartError on a definite misconfiguration. */
  start(): Promise<void>;
  /** Change notifications: subscriptions, webhooks, pollers, and the publish function writes call. */
  events: ChangeEvents;
  /** Serves subscriptions over WebSocket (graphql-transport-ws) at /graphql on `server`; answers the close function. */
  attachWebSocket(server: Server): () => Promise<void>;
  /** Makes /ready answer 503 while requests are still served: the process is about to stop (src/shutdown.ts). */
  drain(): void;
  /** Ends every subscription (SSE streams complete, WebSockets close) so their clients resume on another replica. */
  endSubscriptions(): Promise<void>;
  /** The client address of a request (GATEWAY_TRUSTED_PROXIES): for the HTTP server's bounds and other transports'. */
  addresses: ClientAddresses;
  close(): Promise<void>;
}

/** The defaults of the options, from the rooms' settings (docs/resilience.md says how the timeouts and retries combine). */
export const GATEWAY_DEFAULTS = { ...RESILIENCE_DEFAULTS, ...DEFAULT_ID_LIMITS, maxBodyBytes: HTTP_SERVER_DEFAULTS.maxBodyBytes } as const;

function createSources(options: GatewayOptions, metrics: GatewayMetrics, state: SharedState, logger: Logger) {
  const tokenStore = options.tokenStore ?? createMemoryTokenStore();
  const onConnectionState = logConnectionChanges(logger);
  const dispatchers: Agent[] = [];
  const probed: ProbedSource[] = [];
  const sources: RegisteredSource[] = options.sources.map((spec) => {
    const dispatcher = new Agent({ connect: { timeout: options.connectTimeoutMs ?? GATEWAY_DEFAULTS.connectTimeoutMs }, connections: 32 });
    dispatchers.push(dispatcher);
    const name = spec.settings.name;
    const breaker: CircuitBreaker = createCircuitBreaker({
      source: name,
      failureThreshold: options.circuit?.failureThreshold ?? GATEWAY_DEFAULTS.circuit.failureThreshold,
      coolDownMs: options.circuit?.coolDownMs ?? GATEWAY_DEFAULTS.circuit.coolDownMs,
      now: options.circuit?.now,
      onStateChange: (state) => metrics.countCircuitTransition(name, state),
    });
    const timeoutMs = spec.timeoutMs ?? options.upstreamTimeoutMs ?? GATEWAY_DEFAULTS.upstreamTimeoutMs;
    const retry = retryMiddleware({ ...GATEWAY_DEFAULTS.retry, attemptMs: timeoutMs, ...options.retry });
    const telemetry = upstreamTelemetryMiddleware({
      source: name,
      kind: spec.provider.kind,
      baseUrl: spec.settings.baseUrl,
      metrics,
      tracer: options.tracer,
    });
    const adapter = spec.provider.createAdapter(spec.settings, {
      dispatcher,
      // Retries wrap the breaker, so every attempt counts towards opening it and an open circuit stops the retries.
      // Telemetry sits between them: one span per attempt, and a refusal by the open circuit is seen too.
      // The budget comes first: a call it refuses is never retried, never seen by the breaker, never sent.
      middleware: [upstreamBudgetMiddleware(name), retry, telemetry, breaker.middleware],
      timeouts: { headersMs: timeoutMs, bodyMs: timeoutMs },
      maxResponseBytes: options.maxUpstreamResponseBytes,
      limiterStore: state.limiterStore,
      limiterLeaseMs: state.leaseMs,
      tokenStore,
      onConnectionState,
      tokenClock: options.tokenClock,
    });
    probed.push({ name, adapter, breaker, timeoutMs });
    return { name, kind: spec.provider.kind, adapter, health: healthFromBreaker(breaker) };
  });
  return { sources, probed, closeDispatchers: async () => void (await Promise.allSettled(dispatchers.map((d) => d.close()))) };
}

/** Creates the gateway over the given sources. */
export function createGateway(options: GatewayOptions): Gateway {
  const logger = options.logger ?? pino({ level: 'silent' });
  const metrics = createGatewayMetrics({ defaultMetrics: options.defaultMetrics });
  const ownState = options.state ? undefined : createMemoryState();
  const state = options.state ?? ownState!;
  const { sources, probed, closeDispatchers } = createSources(options, metrics, state, logger);
  const requestTelemetry = createRequestTelemetry(metrics);
  const upstreamFailures = createUpstreamFailureLog(logger, options.upstreamFailureLogIntervalMs);
  const registry = createSourceRegistry(sources, closeDispatchers);
  registerConnectionGauge(metrics.registry, registry);
  const cache: EntityCache = createEntityCache(state.cacheBackend, options.cache ?? { ttlMs: 0, staleIfErrorMs: 0 });
  configureListing(registry, options.listing);
  const prober = startCircuitProber(options.circuit?.selfProbe === false ? [] : probed, logger);
  let closing = false;
  const requestTimeoutMs = options.requestTimeoutMs ?? GATEWAY_DEFAULTS.requestTimeoutMs;
  const maxIds = options.maxIds ?? GATEWAY_DEFAULTS.maxIds;
  const maxEntities = options.maxEntities ?? GATEWAY_DEFAULTS.maxEntities;
  const authenticator = createAuthenticator(options.auth ?? { mode: 'none' });
  const mayCompose = (request: Request) => canCompose(authentication.clientOf(request));
  const graphqlEndpoint = '/graphql';
  const requestTelemetryPlugins = createRequestTelemetryPlugins({
    logger,
    metrics,
    tracer: options.tracer,
    graphqlEndpoint,
    clientOf: (request) => authentication.clientOf(request),
  });
  const limits: LimitSettings = { ...DEFAULT_LIMITS, ...options.limits };
  const rateLimit: RateLimitSettings = { ...DEFAULT_RATE_LIMIT, ...options.rateLimit };
  const perAddress: AddressLimits = { ...DEFAULT_ADDRESS_LIMITS, ...options.perAddress };
  const addresses = createClientAddresses(perAddress.trustedProxies);
  // The clients' budgets live where the rest of the shared state does (Redis with REDIS_URL), unless told otherwise.
  const rateLimitStore = options.rateLimitStore ?? state.rateLimits;
  const keyRetentionMs = options.payments?.keyRetentionMs ?? DEFAULT_KEY_RETENTION_MS;
  /** The write services of a request: the shared idempotency records and the write hook (its failures are logged). */
  const writesFor = (requestLogger: Logger): WriteServices => ({
    idempotency: state.idempotency,
    keyRetentionMs,
    now: options.payments?.now ?? Date.now,
    invoicesWritten(written) {
      if (!options.onInvoicesWritten) return;
      const failed = (err: unknown) => requestLogger.error({ err, source: written.source }, 'the write hook failed');
      try {
        void Promise.resolve(options.onInvoicesWritten(written)).catch(failed);
      } catch (error) {
        failed(error);
      }
    },
  });
  const sockets: Array<() => Promise<void>> = [];
  const events = createChangeEvents({
    registry,
    specs: options.sources,
    state,
    cache,
    logger,
    limits,
    rateLimit,
    rateLimitStore,
    authenticator,
    requestTimeoutMs,
    maxIds,
    maxBodyBytes: options.maxBodyBytes ?? GATEWAY_DEFAULTS.maxBodyBytes,
    options: options.events,
  });
  const authFailures = createAuthFailureLimit(rateLimitStore, perAddress.authFailuresPerMinute, addresses);
  const authentication = createAuthentication(authenticator, logger, { outages: upstreamFailures, failureLimit: authFailures });

  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    schema: meterAnswer(createSchema({ federation: options.federation })),
    parserAndValidationCache: boundedParserCache(),
    graphqlEndpoint,
    landingPage: false,
    logging: false,
    maskedErrors: { maskError: maskError(logger, upstreamFailures) },
    // Yoga's GraphiQL renders its 9 MB page per request; useGraphiQLPage builds it once (see there).
    graphiql: false,
    cors: corsForOrigins(options.corsOrigins ?? []),
    multipart: false,
    maxRequestBodySize: options.maxBodyBytes ?? GATEWAY_DEFAULTS.maxBodyBytes,
    extraParamNames: TRUSTED_DOCUMENT_PARAMS,
    plugins: [
      // First, so that every answer is logged and counted, the ones refused before execution (401, 403, 413) included.
      requestTelemetryPlugins.first,
      useRequestsInFlightPerAddress(createAddressCounter(perAddress.maxRequestsInFlight), addresses, graphqlEndpoint),
      ...(options.graphiql === false
        ? [useEndpointPage(graphqlEndpoint)]
        : [
            useGraphiQLPage({
              title: 'invoice-gateway',
              endpoint: graphqlEndpoint,
              defaultQuery: typeof options.exampleQuery === 'function' ? options.exampleQuery(registry) : options.exampleQuery,
            }),
          ]),
      ...((options.corsOrigins ?? []).length > 0 ? [useVaryOrigin()] : []),
      useCsrfProtection(),
      authentication.plugin,
      options.trustedDocuments ? useTrustedDocuments(options.trustedDocuments) : useNoTrustedDocuments(),
      useParseNestingGuard(),
      ...(options.federation === false ? [] : [useUnknownEntityTypes()]),
      ...(options.introspection === false ? useIntrospectionOff(mayCompose) : []),
      useResponseExtensions(),
      useSubscriptionResults(),
      useSharedEventExecution(),
      // On the public port with authentication on, /metrics and /ready's body need the `observe` grant.
      ...(authenticator.mode !== 'none' && !options.adminPort ? [useObserveGrant({ authenticator, canServe: () => !closing })] : []),
      useMetrics(registry, metrics, () => state.report()),
      useReadiness(registry, () => !closing, () => state.report()),
      useRequestLifetime(),
      ...createLimitPlugins(limits, rateLimit, rateLimitStore, (request) => authentication.clientOf(request), addresses),
      useListingErrors(),
      useVariableErrors(),
      // Last: it reads the answer as the client receives it, whatever the plugins above did to it.
      requestTelemetryPlugins.last,
    ],
    context: ({ request, req }): GatewayContext => {
      // A WebSocket subscription authenticated when its connection opened (src/events/websocket-server.ts).
      const client = socketClientOf(request) ?? authentication.clientOf(request);
      const requestId = requestIdOf(request);
      const { signal, deadline, abort } = createRequestSignal(request.signal, requestTimeoutMs);
      const upstream = createUpstreamSummary();
      const requestLogger = logger.child({ requestId });
      const onUpstreamError = (source: string, error: unknown) => {
        const code = errorCodeOf(error);
        // A call the caller stopped is not the provider's failure: logged by its cause, quietly. One nobody waits for
        // (the client went away) is no error of the response either, and is not counted as one.
        if (error instanceof CallAbortedError) requestLogger.debug({ source, code, abortedBy: error.by }, 'upstream call stopped');
        else upstreamFailures.record(requestLogger, source, error);
        if (!isAbandoned(error)) upstream.recordError(source, code);
      };
      const stale = createStaleMarks();
      const budget = createRequestBudget({
        limits,
        rateLimit,
        store: rateLimitStore,
        client,
        address: addresses.of({ req }),
        stopUpstream: (message) => abort('limit', message),
        quotaOf: (source) => registry.get(source)?.adapter.callsPerMinute,
      });
      const loaders = createLoaders({
        registry,
        signal,
        deadline,
        onCall: (call) => upstream.record(call),
        onError: onUpstreamError,
        cache,
        onStale: (item) => stale.mark(item),
        onCacheLookup: (source, result, count) => requestTelemetry.cacheLookup(source, result, count),
        client,
        admit: budget.admitUpstream,
        party: budget.clientKey,
        schedule: budget.answer.whenSettled,
      });
      return {
        registry,
        loaders,
        signal,
        deadline,
        finish: () => abort('response-sent'),
        requestId,
        upstream,
        onUpstreamError,
        logger: requestLogger,
        limits: { maxIds, maxEntities },
        client,
        stale,
        telemetry: requestTelemetry,
        budget,
        writes: writesFor(requestLogger),
        events,
        lastEventId: request.headers.get('last-event-id') ?? undefined,
      };
    },
  });

  return {
    yoga,
    registry,
    logger,
    start: () => startSources(registry, { logger, tokenStore: options.tokenStore, connections: options.connections }),
    events,
    attachWebSocket: (server) => {
      const close = attachSubscriptionSocket(server, {
        yoga,
        authenticator,
        rateLimitStore,
        rateLimit,
        maxPayloadBytes: options.maxBodyBytes ?? GATEWAY_DEFAULTS.maxBodyBytes,
        corsOrigins: options.corsOrigins ?? [],
        addresses,
        authFailures,
      });
      sockets.push(close);
      return close;
    },
    drain: () => {
      closing = true;
    },
    endSubscriptions: async () => {
      events.hub.close();
      await Promise.allSettled(sockets.splice(0).map((close) => close()));
    },
    addresses,
    close: async () => {
      closing = true;
      prober.stop();
      await events.close();
      await Promise.allSettled(sockets.splice(0).map((close) => close()));
      upstreamFailures.close();
      await registry.close();
      await ownState?.close();
    },
  };
}
