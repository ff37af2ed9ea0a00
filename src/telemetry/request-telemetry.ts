// One Yoga plugin for what each request leaves behind: its `x-request-id` echoed on every answer, one log line, the
// request-duration histogram, and (while tracing is on) a server span per GraphQL operation that continues the caller's
// W3C `traceparent` and parents the upstream calls' spans.
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { GatewayContext } from '../context.js';
import type { GatewayMetrics } from './metrics.js';
import { requestRecordOf, type RequestOutcome, type RequestRecord } from './request-state.js';

export interface RequestTelemetryOptions {
  logger: Logger;
  metrics: GatewayMetrics;
  /** Set while tracing is on. */
  tracer?: Tracer;
  graphqlEndpoint: string;
}

const headerGetter = {
  keys: (headers: Headers) => [...headers.keys()],
  get: (headers: Headers, key: string) => headers.get(key) ?? undefined,
};

function nameOperation(record: RequestRecord, document: DocumentNode | undefined, operationName: string | undefined): void {
  const operation = document ? getOperationAST(document, operationName) : null;
  if (!operation) return;
  record.operationType = operation.operation;
  record.operationName = operation.name?.value;
  record.span?.updateName(`${operation.operation} ${operation.name?.value ?? 'anonymous'}`);
}

function outcomeOf(result: { data?: unknown; errors?: readonly unknown[] }): RequestOutcome {
  if (!result.errors?.length) return 'success';
  const data = result.data as Record<string, unknown> | null | undefined;
  return data && Object.values(data).some((value) => value !== null) ? 'partial' : 'error';
}

function codesOf(errors: readonly unknown[] | undefined): string[] {
  return (errors ?? []).map((error) => {
    const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
    return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
  });
}

function endSpan(record: RequestRecord): void {
  const span = record.span;
  if (!span) return;
  span.setAttributes({
    'gateway.request.id': record.requestId,
    'gateway.client.name': record.client ?? 'unknown',
    'gateway.outcome': record.outcome ?? 'error',
    ...(record.operationName ? { 'graphql.operation.name': record.operationName } : {}),
    ...(record.operationType ? { 'graphql.operation.type': record.operationType } : {}),
    ...(record.errorCodes.length ? { 'gateway.error.codes': [...new Set(record.errorCodes)] } : {}),
  });
  if (record.outcome === 'error' || record.outcome === undefined) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: record.errorCodes[0] ?? 'no result' });
  }
  span.end();
}

/** The request-telemetry plugin; put it first, so its clock starts before any other plugin works on the request. */
export function useRequestTelemetry(options: RequestTelemetryOptions): Plugin<GatewayContext> {
  const { logger, metrics, tracer } = options;
  return {
    onRequest({ request }) {
      requestRecordOf(request);
    },
    instrumentation: tracer && {
      operation({ request }, wrapped) {
        const record = requestRecordOf(request);
        const parent = propagation.extract(ROOT_CONTEXT, request.headers, headerGetter);
        record.span = tracer.startSpan('graphql operation', { kind: SpanKind.SERVER }, parent);
        return context.with(trace.setSpan(parent, record.span), async () => {
          try {
            await wrapped();
          } finally {
            endSpan(record);
          }
        });
      },
    },
    onValidate({ context: ctx, params }) {
      // Named here, so that an operation refused by validation is still logged under its name.
      const request = (ctx as { request?: Request }).request;
      const operationName = (ctx as { params?: { operationName?: string } }).params?.operationName;
      if (request) nameOperation(requestRecordOf(request), params.documentAST, operationName ?? undefined);
    },
    onExecute({ args }) {
      const ctx = args.contextValue as GatewayContext & { request: Request };
      const record = requestRecordOf(ctx.request);
      nameOperation(record, args.document, args.operationName ?? undefined);
      record.client = ctx.client?.name;
    },
    onExecutionResult({ request, result, context: ctx }) {
      const record = requestRecordOf(request);
      if (!result || Symbol.asyncIterator in result) return;
      record.errorCodes.push(...codesOf(result.errors));
      record.outcome = outcomeOf(result);
      const gateway = ctx as Partial<GatewayContext>;
      record.client ??= gateway.client?.name;
      if (gateway.upstream) record.upstream = gateway.upstream.toJSON();
    },
    onResponse({ request, response }) {
      const record = requestRecordOf(request);
      response.headers.set('x-request-id', record.requestId);
      const durationMs = performance.now() - record.startedAt;
      const path = new URL(request.url, 'http://gateway').pathname;
      const page = (response.headers.get('content-type') ?? '').startsWith('text/html');
      const graphql = path === options.graphqlEndpoint && !page;
      if (graphql) {
        record.outcome ??= response.status >= 400 ? 'rejected' : 'error';
        metrics.observeRequest(record.operationName, record.outcome, durationMs / 1000);
        if (response.status === 429 || record.errorCodes.includes('RATE_LIMITED')) metrics.countClientRateLimited();
      }
      const traceId = record.span?.spanContext().traceId;
      const line = {
        requestId: record.requestId,
        method: request.method,
        path,
        status: response.status,
        durationMs: Math.round(durationMs * 10) / 10,
        ...(graphql
          ? {
              client: record.client ?? null,
              operation: record.operationName ?? null,
              operationType: record.operationType ?? null,
              outcome: record.outcome,
              upstream: record.upstream ?? {},
              errorCodes: record.errorCodes,
            }
          : {}),
        ...(traceId ? { traceId } : {}),
      };
      // Probes, scrapes and the GraphiQL page would drown the operations at `info`.
      if (graphql) logger.info(line, 'request');
      else logger.debug(line, 'request');
    },
  };
}
