// The HTTP servers in front of the gateway: the public one, bounded so that a slow or hostile connection holds little
// (header and request timeouts, keep-alive, header size, connections, connections per address), and, with
// GATEWAY_ADMIN_PORT, an admin one that
// alone serves /health, /ready and /metrics (the public port then answers 404 there).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Gateway } from './gateway.js';
import { DEFAULT_HTTP_LIMITS, type HttpServerLimits } from './http-server-settings.js';
import { boundConnectionsPerAddress } from './limits/connections-per-address.js';

/** The operational paths that move to the admin port when there is one. */
export const ADMIN_PATHS: ReadonlySet<string> = new Set(['/health', '/ready', '/metrics']);

export interface GatewayServers {
  public: Server;
  /** Present when the operational endpoints have their own port. */
  admin?: Server;
}

function pathOf(request: IncomingMessage): string {
  try {
    return new URL(request.url ?? '/', 'http://gateway').pathname;
  } catch {
    return '/';
  }
}

function notFound(response: ServerResponse): void {
  response.writeHead(404, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ errors: [{ message: 'Not found.' }] }));
}

function boundedServer(
  limits: HttpServerLimits,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  isTrustedProxy?: (address: string) => boolean,
): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      maxHeaderSize: limits.maxHeaderBytes,
      // How often the two timeouts above are checked (Node's default, 30 s, would let them overrun by that much).
      connectionsCheckingInterval: 1_000,
    },
    handler,
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  boundConnectionsPerAddress(server, limits.maxConnectionsPerAddress, isTrustedProxy);
  return server;
}

/** Creates the servers; with `admin`, the operational paths are served only by the admin server. */
export function createGatewayServers(gateway: Gateway, options: { admin: boolean; limits?: HttpServerLimits }): GatewayServers {
  const limits = options.limits ?? DEFAULT_HTTP_LIMITS;
  const yoga = gateway.yoga as unknown as (req: IncomingMessage, res: ServerResponse) => void;
  // Webhooks (/webhooks/...) are answered before Yoga: outside client authentication and its limits (src/events).
  const handle = (req: IncomingMessage, res: ServerResponse) => void (gateway.events.handleHttp(req, res, pathOf(req)) || yoga(req, res));
  const trusted = (address: string) => gateway.addresses.isTrustedProxy(address);
  const servers: GatewayServers = !options.admin
    ? { public: boundedServer(limits, handle, trusted) }
    : {
        public: boundedServer(limits, (req, res) => (ADMIN_PATHS.has(pathOf(req)) ? notFound(res) : handle(req, res)), trusted),
        admin: boundedServer(limits, (req, res) => (ADMIN_PATHS.has(pathOf(req)) ? yoga(req, res) : notFound(res))),
      };
  // Subscriptions over WebSocket (graphql-transport-ws) at /graphql on the public port; gateway.close() ends them.
  gateway.attachWebSocket(servers.public);
  return servers;
}

/** Starts listening; answers the port actually bound (port 0 picks a free one). */
export async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
