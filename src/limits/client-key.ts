// Whose budget a request spends: the client's, by name, when authentication recognised one; else the address the
// request came from (GATEWAY_AUTH=none; client-address.ts), so one noisy caller cannot spend everyone's.
import type { ClientIdentity } from '../access/client.js';

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
