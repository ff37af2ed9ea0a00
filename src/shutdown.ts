// Graceful shutdown on SIGTERM (or SIGINT): first /ready answers 503 while requests are still served, so load balancers
// take the replica out of rotation before anything is dropped (GATEWAY_SHUTDOWN_DRAIN_MS); answers given meanwhile carry
// `Connection: close`, so keep-alive clients move to another replica. Then the servers stop accepting connections, close
// their idle ones, end the subscriptions (their clients resume elsewhere), and give the requests in flight GATEWAY_SHUTDOWN_TIMEOUT_MS to finish before the rest are closed.
// A second signal stops at once.
import type { Server } from 'node:http';
import type { Logger } from 'pino';

export interface ShutdownOptions {
  servers: readonly Server[];
  /** How long /ready answers 503 while requests are still served. */
  drainMs: number;
  /** How long requests in flight may take to finish once the servers stop accepting connections. */
  timeoutMs: number;
  /** Makes /ready answer 503 (the gateway is closing). */
  markClosing(): void;
  /**
   * Ends the long-lived streams (subscriptions over SSE and WebSocket) once the drain is over, so their clients
   * reconnect to another replica (and resume with `after`) instead of being cut off at the timeout.
   */
  endStreams?(): Promise<void>;
  /** Closes what the servers used (the gateway, shared state, sandboxes, tracing), once the servers are closed. */
  release(): Promise<void>;
  logger: Logger;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function closeServer(server: Server, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve(false);
    }, timeoutMs);
    server.close(() => {
      clearTimeout(timer);
      resolve(true);
    });
    server.closeIdleConnections();
  });
}

/** Creates the shutdown sequence; resolves once everything is closed (the caller then exits). */
export function createGracefulShutdown(options: ShutdownOptions): (signal: string) => Promise<void> {
  let started: Promise<void> | undefined;
  return (signal) => {
    if (started) return started;
    started = (async () => {
      const { logger, servers } = options;
      options.markClosing();
      for (const server of servers) {
        // Prepended, so the header is set before the gateway writes its answer.
        server.prependListener('request', (_request, response) => {
          if (!response.headersSent) response.setHeader('connection', 'close');
        });
      }
      logger.info({ signal, drainMs: options.drainMs }, 'shutting down: /ready answers 503 while load balancers take this replica out');
      await wait(options.drainMs);
      logger.info({ timeoutMs: options.timeoutMs }, 'shutting down: no new connections; requests in flight may finish');
      await options.endStreams?.();
      const finished = await Promise.all(servers.map((server) => closeServer(server, options.timeoutMs)));
      if (finished.includes(false)) logger.warn({ timeoutMs: options.timeoutMs }, 'shutting down: requests still in flight were cut off');
      await options.release();
      logger.info('shut down');
    })();
    return started;
  };
}
