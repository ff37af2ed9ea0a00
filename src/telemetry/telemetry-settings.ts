// Telemetry's settings: the log level, and the standard OTEL_* variables. The gateway reads whether tracing is on, the
// endpoint and the protocol itself (src/telemetry/tracing.ts), and checks the endpoint and the protocol at start so a
// typo stops the start; the OpenTelemetry SDK reads the others from the process environment, as the specification
// says (OTEL_BSP_* too). docs/operations.md explains them.
import { z } from 'zod';
import { settingsRoom, situational, type RoomValues } from '../settings-room.js';
import { OTLP_PROTOCOLS } from './tracing.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const protocol = () => z.enum(OTLP_PROTOCOLS, { error: 'must be http/protobuf or http/json (grpc is not supported)' }).optional();
const sdk = (description: string, defaultIs?: string) =>
  defaultIs ? situational(z.string().optional(), `${description} Read by the OpenTelemetry SDK.`, defaultIs) : z.string().optional().describe(`${description} Read by the OpenTelemetry SDK.`);

export const TELEMETRY_SETTINGS = settingsRoom({ title: 'Telemetry', guide: 'operations.md', source: import.meta.url }, {
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info').describe('The level of the JSON log lines on stdout (pino); no line ever carries a credential.'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url()
    .optional()
    .describe('Turns tracing on: spans go over OTLP/HTTP to this base URL (`/v1/traces` is added), e.g. `http://127.0.0.1:4318`. Unset, tracing is off and costs nothing.'),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional().describe('The same for traces alone, as a full URL; wins over OTEL_EXPORTER_OTLP_ENDPOINT.'),
  OTEL_EXPORTER_OTLP_PROTOCOL: situational(protocol(), 'How spans are exported: `http/protobuf` or `http/json`; `grpc` is refused at start.', '`http/protobuf`'),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: situational(protocol(), 'The same for traces alone; wins over OTEL_EXPORTER_OTLP_PROTOCOL.', 'OTEL_EXPORTER_OTLP_PROTOCOL'),
  OTEL_SDK_DISABLED: z.string().optional().describe('`true` keeps tracing off even with an endpoint set.'),
  OTEL_TRACES_EXPORTER: z.string().optional().describe('`none` keeps tracing off even with an endpoint set.'),
  OTEL_SERVICE_NAME: sdk('The service the spans are reported under.', '`invoice-gateway`'),
  OTEL_RESOURCE_ATTRIBUTES: sdk('More resource attributes, `key=value` comma separated.'),
  OTEL_EXPORTER_OTLP_HEADERS: sdk('Headers sent with each export (`key=value` comma separated), e.g. a collector\'s API key.'),
  OTEL_EXPORTER_OTLP_TIMEOUT: sdk('Milliseconds one export may take.'),
  OTEL_TRACES_SAMPLER: sdk('The sampler (`parentbased_always_on` unless set).'),
  OTEL_TRACES_SAMPLER_ARG: sdk('The sampler\'s argument (a ratio for `traceidratio` samplers).'),
});

/** The log level from validated variables (tracing reads the process environment itself). */
export function telemetrySettingsFrom(v: RoomValues<typeof TELEMETRY_SETTINGS>): { logLevel: string } {
  return { logLevel: v.LOG_LEVEL };
}
