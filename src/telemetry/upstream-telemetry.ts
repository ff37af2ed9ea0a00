// Per-source HTTP middleware (in the gateway's chain, inside the retries and outside the circuit breaker): a client span
// per attempt carrying the W3C `traceparent` to the provider, and the upstream latency, retry and rate-limit metrics.
import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { CircuitOpenError } from '../../adapters/kit/circuit-breaker.js';
import { AdapterError } from '../../adapters/kit/errors.js';
import { buildUrl, type HttpMiddleware, type HttpRequest, type UpstreamCall } from '../../adapters/kit/http.js';
import type { GatewayMetrics } from './metrics.js';
import { routeTemplate } from './route-template.js';

export interface UpstreamTelemetryOptions {
  source: string;
  kind: string;
  baseUrl: string;
  metrics: GatewayMetrics;
  /** Set while tracing is on; without it no span is made and no header is added. */
  tracer?: Tracer;
}

function serverOf(baseUrl: string): { address?: string; port?: number } {
  try {
    const url = new URL(baseUrl);
    return { address: url.hostname, port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80 };
  } catch {
    return {};
  }
}

// Query parameters whose values may be secrets (OpenTelemetry's guidance for `url.full`): their values are not recorded.
const SECRET_PARAMETER = /token|secret|key|sig|signature|password|credential|auth|code/i;

/** `url` as a span may carry it: no user info, and the values of query parameters that may be secrets redacted. */
export function spanUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    for (const name of [...new Set(parsed.searchParams.keys())]) {
      if (SECRET_PARAMETER.test(name)) parsed.searchParams.set(name, 'REDACTED');
    }
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

/** Creates the telemetry middleware of one source. */
export function upstreamTelemetryMiddleware(options: UpstreamTelemetryOptions): HttpMiddleware {
  const { source, metrics, tracer } = options;
  const server = serverOf(options.baseUrl);
  // The retry middleware hands the same request object to every attempt: counting by object numbers the attempts.
  const attempts = new WeakMap<HttpRequest, number>();

  return async (req, next) => {
    const attempt = attempts.get(req) ?? 0;
    attempts.set(req, attempt + 1);
    if (attempt > 0) metrics.countRetry(source);
    const seen = { calls: 0, status: null as number | null, routes: new Set<string>() };
    const onCall = (call: UpstreamCall) => {
      // The same route called again within one attempt is a layer below resending (Xero's 429 waits, a lookup sent
      // again with a refreshed token); the token call itself is another route, not a retry.
      const route = `${call.method} ${call.path}`;
      if (seen.routes.has(route)) metrics.countRetry(source);
      seen.routes.add(route);
      seen.calls += 1;
      seen.status = call.status;
      // A call stopped because the client went away is the client's doing, not an error of the provider's.
      const outcome = call.abandoned ? 'abandoned' : (call.errorCode ?? 'ok');
      metrics.observeUpstreamCall(source, outcome, call.durationMs / 1000, call.status);
      req.onCall?.(call);
    };
    if (!tracer) return next({ ...req, onCall });

    const route = routeTemplate(req.path, req.route);
    const span = tracer.startSpan(
      `${req.method} ${route}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'gateway.source': source,
          'gateway.source.kind': options.kind,
          'http.request.method': req.method,
          'url.full': spanUrl(buildUrl(options.baseUrl, req)),
          'url.template': route,
          ...(server.address ? { 'server.address': server.address, 'server.port': server.port } : {}),
          ...(attempt > 0 ? { 'http.request.resend_count': attempt } : {}),
        },
      },
      context.active(),
    );
    const headers: Record<string, string> = { ...req.headers };
    propagation.inject(trace.setSpan(context.active(), span), headers);
    try {
      const response = await next({ ...req, headers, onCall });
      span.setAttribute('http.response.status_code', response.status);
      return response;
    } catch (error) {
      const code = error instanceof AdapterError ? error.code : 'INTERNAL_SERVER_ERROR';
      if (seen.status !== null) span.setAttribute('http.response.status_code', seen.status);
      span.setAttribute('error.type', code);
      if (error instanceof CircuitOpenError) span.setAttribute('gateway.circuit.open', true);
      span.setStatus({ code: SpanStatusCode.ERROR, message: code });
      throw error;
    } finally {
      if (seen.calls > 1) span.setAttribute('gateway.upstream.calls', seen.calls);
      span.end();
    }
  };
}
