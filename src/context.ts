// What every resolver receives: the sources, this request's loaders, its deadline and its upstream accounting.
import type { Logger } from 'pino';
import type { Loaders } from './loaders.js';
import type { SourceRegistry } from './source-registry.js';
import type { UpstreamSummary } from './upstream-summary.js';

export interface GatewayLimits {
  /** The most ids one list argument may carry. */
  maxIds: number;
}

export interface GatewayContext {
  registry: SourceRegistry;
  loaders: Loaders;
  /** Aborts when the client goes away or the request's deadline passes; upstream calls inherit it. */
  signal: AbortSignal;
  requestId: string;
  upstream: UpstreamSummary;
  logger: Logger;
  limits: GatewayLimits;
}
