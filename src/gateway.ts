// Assembles the gateway: one dispatcher, circuit breaker and adapter per source, the schema, and the Yoga server.
import { randomUUID } from 'node:crypto';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import pino, { type Logger } from 'pino';
import { Agent } from 'undici';
import { createCircuitBreaker } from '../adapters/kit/circuit-breaker.js';
import { retryMiddleware, type RetryOptions } from '../adapters/kit/retry.js';
import { AdapterError } from '../adapters/kit/errors.js';
import { createAuthenticator, type AuthOptions } from './access/authenticate.js';
import type { SourceSpec } from './config.js';
import type { GatewayContext } from './context.js';
import { maskError } from './plugins/mask-error.js';
import { createAuthentication } from './plugins/authentication.js';
import { corsForOrigins, useVaryOrigin } from './plugins/cors.js';
import { useCsrfProtection } from './plugins/csrf.js';
import { useGraphiQLPage } from './plugins/graphiql-page.js';
import { useIntrospectionOff } from './plugins/introspection.js';
import { useParseNestingGuard } from './plugins/parse-nesting-guard.js';
import { TRUSTED_DOCUMENT_PARAMS, useTrustedDocuments, type TrustedDocuments } from './plugins/trusted-documents.js';
import { useUpstreamSummary } from './plugins/upstream-summary.js';
import { useMetrics } from './plugins/metrics.js';
import { useReadiness } from './plugins/readiness.js';
import { useRequestLifetime } from './plugins/request-lifetime.js';
import { createLoaders } from './loaders.js';
import { createSchema } from './schema.js';
import { createSourceRegistry, type RegisteredSource, type SourceRegistry } from './source-registry.js';
import { healthFromBreaker } from './source-health.js';
import { createUpstreamSummary } from './upstream-summary.js';

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
  /** Who may call (GATEWAY_AUTH and its settings); `none` unless given. */
  auth?: AuthOptions;
  /** Origins whose browser pages may read answers (GATEWAY_CORS_ORIGINS); none unless given. */
  corsOrigins?: readonly string[];
  /** Serve GraphiQL at the endpoint (GATEWAY_GRAPHIQL); on unless `false`. */
  graphiql?: boolean;
  /** Answer introspection and suggest field names in errors (GATEWAY_INTROSPECTION); on unless `false`. */
  introspection?: boolean;
  /** Trusted documents (GATEWAY_PERSISTED_OPERATIONS_FILE, GATEWAY_PERSISTED_ONLY). */
  trustedDocuments?: TrustedDocuments;
  /** The largest request body accepted, in bytes (GATEWAY_MAX_BODY_BYTES); larger ones answer 413. */
  maxBodyBytes?: number;
}

export interface Gateway {
  yoga: YogaServerInstance<Record<string, unknown>, GatewayContext>;
  registry: SourceRegistry;
  logger: Logger;
  close(): Promise<void>;
}

function createSources(options: GatewayOptions) {
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
    });
    return { name, kind: spec.provider.kind, adapter, health: healthFromBreaker(breaker) };
  });
  return { sources, closeDispatchers: async () => void (await Promise.allSettled(dispatchers.map((d) => d.close()))) };
}

/** Creates the gateway over the given sources. */
export function createGateway(options: GatewayOptions): Gateway {
  const logger = options.logger ?? pino({ level: 'silent' });
  const { sources, closeDispatchers } = createSources(options);
  const registry = createSourceRegistry(sources, closeDispatchers);
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const maxIds = options.maxIds ?? 1000;
  const authentication = createAuthentication(createAuthenticator(options.auth ?? { mode: 'none' }), logger);
  const graphqlEndpoint = '/graphql';

  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    schema: createSchema({ federation: options.federation }),
    graphqlEndpoint,
    landingPage: false,
    logging: false,
    maskedErrors: { maskError: maskError(logger) },
    // Yoga's GraphiQL renders its 9 MB page per request; useGraphiQLPage builds it once (see there).
    graphiql: false,
    cors: corsForOrigins(options.corsOrigins ?? []),
    multipart: false,
    maxRequestBodySize: options.maxBodyBytes ?? 1_048_576,
    extraParamNames: TRUSTED_DOCUMENT_PARAMS,
    plugins: [
      ...(options.graphiql === false
        ? []
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
      ...(options.trustedDocuments ? [useTrustedDocuments(options.trustedDocuments)] : []),
      useParseNestingGuard(),
      ...(options.introspection === false ? useIntrospectionOff() : []),
      useUpstreamSummary(),
      useMetrics(registry),
      useReadiness(registry),
      useRequestLifetime(),
    ],
    context: ({ request }): GatewayContext => {
      const client = authentication.clientOf(request);
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
      const loaders = createLoaders({ registry, signal, deadline, onCall: (call) => upstream.record(call), onError: onUpstreamError, client });
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
        client,
      };
    },
  });

  return {
    yoga,
    registry,
    logger,
    close: () => registry.close(),
  };
}
