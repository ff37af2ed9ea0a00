// What every resolver receives: the sources, this request's loaders, its deadline and its upstream accounting.
import type { Logger } from 'pino';
import type { ClientIdentity } from './access/client.js';
import type { ChangeEvents } from './events/change-events.js';
import type { RequestBudget } from './limits/request-budget.js';
import type { Loaders } from './loaders.js';
import type { WriteServices } from './payments/write-services.js';
import type { SourceRegistry } from './source-registry.js';
import type { StaleMarks } from './state/stale-marks.js';
import type { RequestTelemetry } from './telemetry/request-hooks.js';
import type { UpstreamSummary } from './upstream-summary.js';

export interface GatewayLimits {
  /** The most ids one list argument may carry. */
  maxIds: number;
  /** The most representations one `_entities` fetch may carry (GATEWAY_MAX_ENTITIES). */
  maxEntities: number;
}

export interface GatewayContext {
  registry: SourceRegistry;
  loaders: Loaders;
  /** Aborts when the client goes away, the request's deadline passes or the answer is sent; upstream calls inherit it. */
  signal: AbortSignal;
  /** Epoch ms of the request's deadline. */
  deadline: number;
  /** Ends the request's upstream work (called once the response is ready). */
  finish: () => void;
  requestId: string;
  upstream: UpstreamSummary;
  /** Records and logs an error a source put in the response. */
  onUpstreamError: (source: string, error: unknown) => void;
  logger: Logger;
  limits: GatewayLimits;
  /** Who is calling and what they are granted (ANONYMOUS_CLIENT when GATEWAY_AUTH=none). */
  client: ClientIdentity;
  /** Items served from the entity cache because their provider failed (`extensions.stale`). */
  stale?: StaleMarks;
  /** Where request code reports what the metrics cannot see by themselves. */
  telemetry: RequestTelemetry;
  /**
   * What the request may still spend: objects resolved, upstream calls per source and per minute (src/limits). Every
   * request the gateway serves has one; a context built by hand (a unit test) may leave it out and is not limited.
   */
  budget?: RequestBudget;
  /**
   * What writes need: the idempotency records and the hook reporting changed invoices (src/payments/write-services.ts).
   * Every request the gateway serves has it; a context built by hand for reads may leave it out.
   */
  writes?: WriteServices;
  /** Change notifications (src/events): subscriptions and the publish function writes call. */
  events?: ChangeEvents;
  /** The SSE `Last-Event-ID` header, which resumes a subscription like its `after` argument. */
  lastEventId?: string;
}
