// OpenTelemetry tracing, configured by the standard OTEL_* variables. It is on when an OTLP endpoint is set
// (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) and not turned off (OTEL_SDK_DISABLED=true,
// OTEL_TRACES_EXPORTER=none). Off, nothing is registered: the gateway gets no tracer and installs no tracing hook.
// On, spans are sent over OTLP/HTTP in the protocol OTEL_EXPORTER_OTLP_TRACES_PROTOCOL or OTEL_EXPORTER_OTLP_PROTOCOL
// names (`http/protobuf`, the specification's default, or `http/json`), and the SDK itself reads the rest
// (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, OTEL_TRACES_SAMPLER, OTEL_BSP_*, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES)
// from the process environment. A failing export is logged once per cause and interval, with the count.
import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { ExportResultCode, W3CTraceContextPropagator, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type ReadableSpan, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import pino, { type Logger } from 'pino';
import { createFailureLog, type UpstreamFailureLog } from './upstream-failure-log.js';

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
  /** Where failing exports are reported. */
  logger?: Logger;
}

/** The OTLP protocols the gateway can export with; `grpc` is not one of them. */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/** The protocol spans are exported with: the traces' own variable, else the general one, else `http/protobuf`. */
export function otlpProtocol(env: Record<string, string | undefined>): OtlpProtocol {
  const named = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL || 'http/protobuf').trim();
  return (OTLP_PROTOCOLS as readonly string[]).includes(named) ? (named as OtlpProtocol) : 'http/protobuf';
}

/** An exporter that reports its failed exports (the SDK drops them silently) and otherwise is `inner`. */
class ReportingExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly failures: UpstreamFailureLog,
    private readonly logger: Logger,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) {
        this.failures.record(this.logger, 'otlp', result.error ?? new Error('the export failed'), 'OTLP_EXPORT_FAILED');
      }
      done(result);
    });
  }

  async shutdown(): Promise<void> {
    await this.inner.shutdown();
    this.failures.close();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
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
  const protocol = otlpProtocol(options.env);
  const logger = options.logger ?? pino({ level: 'silent' });
  const exporter = () => {
    const inner = protocol === 'http/json' ? new OTLPJsonTraceExporter() : new OTLPProtobufTraceExporter();
    return new ReportingExporter(inner, createFailureLog(logger, { what: 'trace export failure' }), logger);
  };
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: options.spanProcessors ?? [new BatchSpanProcessor(exporter())],
  });
  // W3C trace context only: a client's baggage is not forwarded to the providers. The context manager (async hooks)
  // carries the operation's span to the upstream calls made on its behalf.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return {
    tracer: trace.getTracer('invoice-gateway'),
    destination: endpoint ? `OTLP ${protocol} ${endpoint}` : 'in-process span processors',
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
