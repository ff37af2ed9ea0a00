// Whose budget a request spends: the client's, by name, when authentication recognised one; else the address the
// request came from (GATEWAY_AUTH=none), so one noisy caller cannot spend everyone's.
import type { ClientIdentity } from '../access/client.js';

/** The remote address of the connection (Node's socket, in Yoga's server context); `local` when there is none (in-process calls). */
export function remoteAddressOf(serverContext: unknown): string {
  const req = (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req;
  return req?.socket?.remoteAddress || 'local';
}

/**
 * The rate-limit key of a request: `client:<via>:<name>` (an API-key client and a token subject of the same name do not
 * share a budget), or `address:<ip>` for anonymous callers.
 */
export function rateLimitKey(client: ClientIdentity, address: string): string {
  return client.via === 'none' ? `address:${address}` : `client:${client.via}:${client.name}`;
}

/** How a refusal names who ran out (never a credential). */
export function describeCaller(client: ClientIdentity, address: string): string {
  return client.via === 'none' ? `address ${address}` : `client "${client.name}"`;
}
