// The HTTP server's settings: where it listens, what one connection may hold (src/http-server.ts), the admin port, and
// graceful shutdown (src/shutdown.ts). docs/security.md and docs/operations.md say how to choose them.
import { z } from 'zod';
import { defaultsOf, int, settingsRoom, type RoomValues } from './settings-room.js';

/** What one connection may hold of the HTTP server. */
export interface HttpServerLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  /** Connections one client address may hold (a trusted proxy's are not counted). */
  maxConnectionsPerAddress: number;
  maxHeaderBytes: number;
}

export const HTTP_SERVER_SETTINGS = settingsRoom({ title: 'HTTP server', guide: 'operations.md', source: import.meta.url }, {
  PORT: int(0, 65535).default(4000).describe('The port GraphQL (and, without GATEWAY_ADMIN_PORT, the operational endpoints) is served on; 0 picks a free one.'),
  HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('The address the gateway listens on. Over the sandboxes it must stay on loopback unless GATEWAY_AUTH is set (`HOST=0.0.0.0 GATEWAY_AUTH=none` serves them to the network deliberately).'),
  GATEWAY_ADMIN_PORT: int(0, 65535)
    .optional()
    .describe('When set, /health, /ready and /metrics are served on this port only (the public port answers 404 there) and need no grant; unset, they are on PORT, where /metrics and /ready\'s body need the `observe` grant when authentication is on.'),
  GATEWAY_MAX_BODY_BYTES: int(1024, 100_000_000)
    .default(1_048_576)
    .describe('The largest request body (and WebSocket message); a larger one, declared or streamed, answers 413 `QUERY_TOO_COMPLEX`.'),
  GATEWAY_HTTP_HEADERS_TIMEOUT_MS: int(1000, 300_000).default(10_000).describe('Time to receive a request\'s headers; at most GATEWAY_HTTP_REQUEST_TIMEOUT_MS.'),
  GATEWAY_HTTP_REQUEST_TIMEOUT_MS: int(1000, 600_000).default(30_000).describe('Time to receive a whole request: a slowly sent body is cut off.'),
  GATEWAY_HTTP_KEEP_ALIVE_TIMEOUT_MS: int(1000, 600_000).default(5_000).describe('How long an idle keep-alive connection stays open.'),
  GATEWAY_MAX_CONNECTIONS: int(1, 1_000_000).default(1024).describe('Open connections at once; more are refused.'),
  GATEWAY_MAX_CONNECTIONS_PER_ADDRESS: int(1, 1_000_000)
    .default(128)
    .describe('Open connections one client address may hold (the address as GATEWAY_TRUSTED_PROXIES says; a trusted proxy\'s own connections are not counted); past it a new connection gets 429 and is closed, so slow clients from one address cannot lock out the others.'),
  GATEWAY_MAX_HEADER_BYTES: int(1024, 1_048_576).default(16_384).describe('Total size of a request\'s headers; larger answers 431.'),
  GATEWAY_SHUTDOWN_DRAIN_MS: int(0, 600_000)
    .default(5_000)
    .describe('On SIGTERM, how long /ready answers 503 while requests are still served, so load balancers take the replica out before anything is dropped.'),
  GATEWAY_SHUTDOWN_TIMEOUT_MS: int(0, 600_000)
    .default(10_000)
    .describe('Then, how long the requests in flight may take to finish before their connections are closed.'),
});

/** The HTTP server's part of the configuration. */
export interface HttpServerConfig {
  port: number;
  host: string;
  /** GATEWAY_ADMIN_PORT: when set, /health, /ready and /metrics are served there only. */
  adminPort?: number;
  maxBodyBytes: number;
  /** What one connection may hold of the HTTP server. */
  http: HttpServerLimits;
  /** GATEWAY_SHUTDOWN_DRAIN_MS and GATEWAY_SHUTDOWN_TIMEOUT_MS (src/shutdown.ts). */
  shutdown: { drainMs: number; timeoutMs: number };
}

/** The HTTP server's settings from validated variables; problems between variables go to `problems`. */
export function httpServerSettingsFrom(v: RoomValues<typeof HTTP_SERVER_SETTINGS>, problems: string[]): HttpServerConfig {
  if (v.GATEWAY_HTTP_HEADERS_TIMEOUT_MS > v.GATEWAY_HTTP_REQUEST_TIMEOUT_MS) {
    problems.push('GATEWAY_HTTP_HEADERS_TIMEOUT_MS must not exceed GATEWAY_HTTP_REQUEST_TIMEOUT_MS');
  }
  if (v.GATEWAY_ADMIN_PORT !== undefined && v.GATEWAY_ADMIN_PORT !== 0 && v.GATEWAY_ADMIN_PORT === v.PORT) {
    problems.push('GATEWAY_ADMIN_PORT must differ from PORT');
  }
  return {
    port: v.PORT,
    host: v.HOST,
    adminPort: v.GATEWAY_ADMIN_PORT,
    maxBodyBytes: v.GATEWAY_MAX_BODY_BYTES,
    http: {
      headersTimeoutMs: v.GATEWAY_HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: v.GATEWAY_HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: v.GATEWAY_HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: v.GATEWAY_MAX_CONNECTIONS,
      maxConnectionsPerAddress: v.GATEWAY_MAX_CONNECTIONS_PER_ADDRESS,
      maxHeaderBytes: v.GATEWAY_MAX_HEADER_BYTES,
    },
    shutdown: { drainMs: v.GATEWAY_SHUTDOWN_DRAIN_MS, timeoutMs: v.GATEWAY_SHUTDOWN_TIMEOUT_MS },
  };
}

/** The HTTP server's settings when no variable is set: the servers' and the gateway's options fall back to them. */
export const HTTP_SERVER_DEFAULTS: HttpServerConfig = httpServerSettingsFrom(defaultsOf(HTTP_SERVER_SETTINGS), []);

export const DEFAULT_HTTP_LIMITS: HttpServerLimits = HTTP_SERVER_DEFAULTS.http;
