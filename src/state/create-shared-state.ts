// Chooses the shared state from the configuration: Redis when REDIS_URL is set, else this process's memory.
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config.js';
import { createMemoryState, createRedisState, type SharedState } from './shared-state.js';

/** The state of this replica; the caller closes it after the gateway. */
export function createSharedState(config: Pick<GatewayConfig, 'sharedState' | 'cache'>, logger?: Logger): SharedState {
  const { redisUrl, keyPrefix, replicas, leaseMs, commandTimeoutMs } = config.sharedState;
  if (!redisUrl) return createMemoryState({ cacheMaxEntries: config.cache.maxEntries });
  // The URL may carry a password: only the host is logged.
  logger?.info({ redis: new URL(redisUrl).host, replicas, leaseMs, commandTimeoutMs }, 'shared state in Redis');
  return createRedisState({ url: redisUrl, keyPrefix, replicas, leaseMs, commandTimeoutMs, logger });
}
