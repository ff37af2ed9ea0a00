// What each request leaves behind: its `x-request-id` echoed on the answer, one log line, the request-duration
// histogram, and (while tracing is on) a server span per request to the GraphQL endpoint that continues the caller's W3C
// `traceparent`, carries the HTTP semantic-convention attributes, and parents the upstream calls' spans.
//
// Two plugins: `first` starts the clock and the span before any other plugin works on the request, and notes what the
// operation was and what its result said; `last` reads the answer as the client receives it, after every other plugin
// had its say (a refusal that replaced the answer, such as the response-size limit, or an answer a plugin gave without
// executing anything, such as a 401), and writes the log line.
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { ClientIdentity } from '../access/client.js';
import type { GatewayContext } from '../context.js';
import type { GatewayMetrics } from './metrics.js';
import { requestRecordOf, type RequestOutcome, type RequestRecord } from './request-state.js';

export interface RequestTelemetryOptions {
  logger: Logger;
  metrics: GatewayMetrics;
  /** Set while tracing is on. */
  tracer?: Tracer;
  graphqlEndpoint: string;
  /** The client a request was authenticated as; throws when it was not (a 401 has no client). */
  clientOf?: (request: Request) => ClientIdentity;
}

export interface RequestTelemetryPlugins {
  /** Put it first in the plugin list. */
  first: Plugin<GatewayContext>;
  /** Put it last in the plugin list. */
  last: Plugin<GatewayContext>;
}

interface AnswerShape {
  data?: unknown;
  errors?: readonly unknown[];
}

/** Answers read again to learn their error codes are this small at most (refusals are a few hundred bytes). */
const MAX_REREAD_BYTES = 65_536;
const JSON_TYPE = /^application\/(graphql-response\+)?json\b/i;

const headerGetter = {
  keys: (headers: Headers) => [...headers.keys()],
  get: (headers: Headers, key: string) => headers.get(key) ?? undefined,
};

/** What the telemetry keeps about a request's answer, beside its RequestRecord. */
interface AnswerRecord {
  /** The response produced from the recorded result, before any plugin could replace it. */
  response?: Response;
  /** True once a result (executed or refused) was recorded. */
  answered?: boolean;
  /** The HTTP status of the answer the client received. */
  status?: number;
}

const answers = new WeakMap<RequestRecord, AnswerRecord>();
const answerOf = (record: RequestRecord): AnswerRecord => {
  let found = answers.get(record);
  if (!found) answers.set(record, (found = {}));
  return found;
};

function nameOperation(record: RequestRecord, document: DocumentNode | undefined, operationName: string | undefined): void {
  const operation = document ? getOperationAST(document, operationName) : null;
  if (!operation) return;
  record.operationType = operation.operation;
  record.operationName = operation.name?.value;
  record.span?.updateName(`${operation.operation} ${operation.name?.value ?? 'anonymous'}`);
}

/**
 * `rejected` when nothing ran (a request error: the answer has no `data`), `error` when execution gave no data,
 * `partial` for data with errors, `success` without errors.
 */
function outcomeOf(answer: AnswerShape): RequestOutcome {
  if (!answer.errors?.length) return 'success';
  if (answer.data === undefined) return 'rejected';
  const data = answer.data as Record<string, unknown> | null;
  return data && Object.values(data).some((value) => value !== null) ? 'partial' : 'error';
}

function codesOf(errors: readonly unknown[] | undefined): string[] {
  return (errors ?? []).map((error) => {
    const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
    return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
  });
}

/** Records what the client receives: the answer's outcome and error codes (a batch's answers together). */
function recordAnswer(record: RequestRecord, answer: AnswerShape | readonly AnswerShape[]): void {
  const all = Array.isArray(answer) ? (answer as readonly AnswerShape[]) : [answer as AnswerShape];
  record.errorCodes = all.flatMap((one) => codesOf(one.errors));
  const outcomes = all.map(outcomeOf);
  record.outcome = outcomes.find((o) => o !== 'success') ?? 'success';
  answerOf(record).answered = true;
}

/** The answer's body when it is small JSON (a refusal), to learn its codes; undefined otherwise. */
async function smallJsonBody(response: Response): Promise<AnswerShape | undefined> {
  if (!JSON_TYPE.test(response.headers.get('content-type') ?? '')) return undefined;
  const length = response.headers.get('content-length');
  if (length !== null && !(Number(length) <= MAX_REREAD_BYTES)) return undefined;
  try {
    const text = await response.clone().text();
    return text.length <= MAX_REREAD_BYTES ? (JSON.parse(text) as AnswerShape) : undefined;
  } catch {
    return undefined;
  }
}

function endSpan(record: RequestRecord, status: number | undefined): void {
  const span = record.span;
  if (!span) return;
  span.setAttributes({
    'gateway.request.id': record.requestId,
    'gateway.client.name': record.client ?? 'unknown',
    'gateway.outcome': record.outcome ?? 'error',
    ...(status !== undefined ? { 'http.response.status_code': status } : {}),
    ...(record.operationName ? { 'graphql.operation.name': record.operationName } : {}),
    ...(record.operationType ? { 'graphql.operation.type': record.operationType } : {}),
    ...(record.errorCodes.length ? { 'gateway.error.codes': [...new Set(record.errorCodes)] } : {}),
  });
  if (record.outcome === 'error' || record.outcome === 'rejected' || record.outcome === undefined || (status ?? 0) >= 500) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: record.errorCodes[0] ?? (status !== undefined ? `HTTP ${status}` : 'no answer') });
  }
  span.end();
}

/** The request-telemetry plugins: `first` goes first in the plugin list, `last` last. */
export function createRequestTelemetryPlugins(options: RequestTelemetryOptions): RequestTelemetryPlugins {
  const { logger, metrics, tracer, graphqlEndpoint } = options;
  const isEndpoint = (request: Request) => new URL(request.url, 'http://gateway').pathname === graphqlEndpoint;

  const first: Plugin<GatewayContext> = {
    onRequest({ request }) {
      requestRecordOf(request);
    },
    instrumentation: tracer && {
      request({ request }, wrapped) {
        if (!isEndpoint(request)) return wrapped();
        const record = requestRecordOf(request);
        const parent = propagation.extract(ROOT_CONTEXT, request.headers, headerGetter);
        const url = new URL(request.url, 'http://gateway');
        // Named by the HTTP route until the operation is known (`query TwoProviders`).
        record.span = tracer.startSpan(
          `${request.method} ${graphqlEndpoint}`,
          {
            kind: SpanKind.SERVER,
            attributes: {
              'http.request.method': request.method,
              'url.path': url.pathname,
              'url.scheme': url.protocol.replace(/:$/, ''),
              'http.route': graphqlEndpoint,
            },
          },
          parent,
        );
        return context.with(trace.setSpan(parent, record.span), async () => {
          try {
            await wrapped();
          } finally {
            endSpan(record, answerOf(record).status);
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
      const gateway = ctx as Partial<GatewayContext>;
      record.client ??= gateway.client?.name;
      if (gateway.upstream) record.upstream = gateway.upstream.toJSON();
    },
    // Every result Yoga turns into an answer, executed or refused before execution (a parse error, a 413, a 429).
    onResultProcess({ request, result }) {
      if (!result || Symbol.asyncIterator in (result as object)) return;
      recordAnswer(requestRecordOf(request), result as AnswerShape | AnswerShape[]);
    },
    onResponse({ request, response }) {
      const record = requestRecordOf(request);
      if (answerOf(record).answered) answerOf(record).response ??= response;
    },
  };

  const last: Plugin<GatewayContext> = {
    async onResponse({ request, response }) {
      const record = requestRecordOf(request);
      response.headers.set('x-request-id', record.requestId);
      answerOf(record).status = response.status;
      const durationMs = performance.now() - record.startedAt;
      const path = new URL(request.url, 'http://gateway').pathname;
      const page = (response.headers.get('content-type') ?? '').startsWith('text/html');
      const graphql = path === graphqlEndpoint && !page && request.method !== 'OPTIONS';
      if (graphql) {
        const answer = answerOf(record);
        // Replaced after it was produced (a limit refusing it), or given without a result (a 401): read what was sent.
        if (response !== answer.response && (answer.answered || response.status >= 400)) {
          const body = await smallJsonBody(response);
          if (body) recordAnswer(record, body);
        }
        record.outcome ??= response.status >= 400 ? 'rejected' : 'error';
        if (record.client === undefined && options.clientOf) {
          try {
            record.client = options.clientOf(request).name;
          } catch {
            // Not authenticated: the line says client null.
          }
        }
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
      // Probes, scrapes, preflights and the GraphiQL page would drown the operations at `info`.
      if (graphql) logger.info(line, 'request');
      else logger.debug(line, 'request');
    },
  };
  return { first, last };
}
