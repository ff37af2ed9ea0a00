// Sources whose credentials can stop being renewable (a Xero consent revoked, an organisation disconnected): the change
// logged once (never once per request), and the start-up checks that only the providers can answer (a tenant the
// connection does not grant, a token store the key does not open) turned into one start-up error.
import type { Logger } from 'pino';
import { SourceStartError } from '../adapters/kit/adapter.js';
import { TokenStoreKeyError, type ConnectionState, type TokenStore } from '../adapters/kit/token-store.js';
import type { SourceRegistry } from './source-registry.js';

/** The start found definite misconfigurations; the message lists each. */
export class GatewayStartError extends Error {
  override name = 'GatewayStartError';
  constructor(readonly problems: string[]) {
    super(`the gateway cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Logs a source's connection state changes: a warning when it needs reconnecting, a note when it is back. */
export function logConnectionChanges(logger: Logger): (source: string, state: ConnectionState) => void {
  return (source, state) => {
    if (state.status === 'reconnect-required') {
      logger.warn({ source, connection: state.connection, reason: state.reason }, 'source needs reconnecting: its credentials can no longer be renewed (npm run connect)');
    } else {
      logger.info({ source, connection: state.connection }, 'source connection renewable again');
    }
  };
}

/** The connection of each source that has one, for /ready and the gauge. */
export function connectionsOf(registry: SourceRegistry): Array<{ source: string; state: ConnectionState }> {
  return registry.list().flatMap((s) => {
    const state = s.adapter.connectionState?.();
    return state ? [{ source: s.name, state }] : [];
  });
}

/**
 * Runs every source's start-up check. A definite misconfiguration (a SourceStartError, stored tokens the key does not
 * open) stops the start; anything else (a provider unreachable, a consent already revoked) is logged, and that source
 * answers errors until it recovers while the others serve.
 */
export async function startSources(
  registry: SourceRegistry,
  options: { logger: Logger; tokenStore?: TokenStore; connections?: readonly string[] },
): Promise<void> {
  const problems: string[] = [];
  for (const connection of options.connections ?? []) {
    try {
      await options.tokenStore?.read(connection);
    } catch (error) {
      if (error instanceof TokenStoreKeyError) problems.push(error.message);
      else options.logger.warn({ connection, err: { message: (error as Error).message } }, 'token store unreachable at start: its connections are checked when it answers');
    }
  }
  if (problems.length > 0) throw new GatewayStartError(problems);
  await Promise.all(
    registry.list().map(async (source) => {
      try {
        await source.adapter.start?.();
      } catch (error) {
        if (error instanceof SourceStartError) problems.push(error.message);
        else {
          const message = error instanceof Error ? error.message : String(error);
          options.logger.warn({ source: source.name, problem: message }, 'source could not be checked at start: it answers errors until it recovers');
        }
      }
    }),
  );
  if (problems.length > 0) throw new GatewayStartError(problems);
}
