// OpenTelemetry tracing, configured by the standard OTEL_* variables. It is on when an OTLP endpoint is set
// (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) and not turned off (OTEL_SDK_DISABLED=true,
// OTEL_TRACES_EXPORTER=none). Off, nothing is registered: the gateway gets no tracer and installs no tracing hook.
// On, the SDK itself reads the rest (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, OTEL_TRACES_SAMPLER, OTEL_BSP_*, OTEL_SERVICE_NAME,
// OTEL_RESOURCE_ATTRIBUTES) from the process environment.
import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-node';

export interface Tracing {
  /** The tracer to hand the gateway; undefined while tracing is off. */
  readonly tracer?: Tracer;
  /** Where spans go, for the startup summary ("off" when tracing is off). */
  readonly destination: string;
  /** Flushes pending spans and unregisters the SDK. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  env: Record<string, string | undefined>;
  /** Span processors to use instead of the OTLP exporter (tests: an in-memory exporter); turns tracing on. */
  spanProcessors?: SpanProcessor[];
}

/** The OTLP endpoint that turns tracing on, or undefined when tracing stays off. */
export function tracingEndpoint(env: Record<string, string | undefined>): string | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  if (env.OTEL_TRACES_EXPORTER?.split(',').some((exporter) => exporter.trim() === 'none')) return undefined;
  return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;
}

/** Starts tracing when the environment asks for it (or span processors are given); otherwise registers nothing. */
export function startTracing(options: TracingOptions): Tracing {
  const endpoint = tracingEndpoint(options.env);
  if (!endpoint && !options.spanProcessors) return { destination: 'off', shutdown: async () => {} };

  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': 'invoice-gateway' }))
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: options.spanProcessors ?? [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // W3C trace context only: a client's baggage is not forwarded to the providers. The context manager (async hooks)
  // carries the operation's span to the upstream calls made on its behalf.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return {
    tracer: trace.getTracer('invoice-gateway'),
    destination: endpoint ? `OTLP/HTTP ${endpoint}` : 'in-process span processors',
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
