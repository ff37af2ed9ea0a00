// Resilience settings: the request's deadline, the upstream calls' timeouts and retries, the circuit breaker per source,
// and the bound on one provider answer. docs/resilience.md says how they combine.
import { DEFAULT_MAX_RESPONSE_BYTES } from '../adapters/kit/http.js';
import { defaultsOf, int, settingsRoom, type RoomValues } from './settings-room.js';

export const RESILIENCE_SETTINGS = settingsRoom({ title: 'Resilience', guide: 'resilience.md', source: import.meta.url }, {
  GATEWAY_REQUEST_TIMEOUT_MS: int(100, 600_000)
    .default(30_000)
    .describe('The deadline of one GraphQL request: every upstream call, retry wait and rate-limit wait inherits it.'),
  GATEWAY_UPSTREAM_TIMEOUT_MS: int(100, 600_000)
    .default(10_000)
    .describe('Time allowed for a provider\'s response headers, and again for its body (per source: `timeoutMs` in the sources file). A provider silent this long is not asked again in the same request.'),
  GATEWAY_CONNECT_TIMEOUT_MS: int(100, 120_000).default(5_000).describe('Time allowed to open a connection to a provider.'),
  GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES: int(1024, 2_000_000_000)
    .default(DEFAULT_MAX_RESPONSE_BYTES)
    .describe('One provider answer is cut while reading past this many bytes, and answers `UPSTREAM_BAD_RESPONSE`.'),
  GATEWAY_CIRCUIT_FAILURES: int(1, 1000)
    .default(5)
    .describe('Consecutive failures (network errors, 5xx, timeouts) that open a source\'s circuit: its calls then answer `UPSTREAM_UNAVAILABLE` at once.'),
  GATEWAY_CIRCUIT_COOLDOWN_MS: int(100, 3_600_000)
    .default(30_000)
    .describe('How long an open circuit stays open before the gateway probes the provider by itself.'),
});

/** The resilience part of the configuration. */
export interface ResilienceConfig {
  requestTimeoutMs: number;
  upstreamTimeoutMs: number;
  connectTimeoutMs: number;
  /** GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES: one upstream answer is cut past this many bytes. */
  maxUpstreamResponseBytes: number;
  circuit: { failureThreshold: number; coolDownMs: number };
}

/** The resilience settings from validated variables. */
export function resilienceSettingsFrom(v: RoomValues<typeof RESILIENCE_SETTINGS>): ResilienceConfig {
  return {
    requestTimeoutMs: v.GATEWAY_REQUEST_TIMEOUT_MS,
    upstreamTimeoutMs: v.GATEWAY_UPSTREAM_TIMEOUT_MS,
    connectTimeoutMs: v.GATEWAY_CONNECT_TIMEOUT_MS,
    maxUpstreamResponseBytes: v.GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES,
    circuit: { failureThreshold: v.GATEWAY_CIRCUIT_FAILURES, coolDownMs: v.GATEWAY_CIRCUIT_COOLDOWN_MS },
  };
}

/** The resilience settings when no variable is set, and the retries (not configurable); createGateway falls back to them. */
export const RESILIENCE_DEFAULTS = {
  ...resilienceSettingsFrom(defaultsOf(RESILIENCE_SETTINGS)),
  retry: { retries: 2, baseDelayMs: 100, maxDelayMs: 5_000 },
} as const;
