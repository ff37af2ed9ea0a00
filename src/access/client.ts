// Who is calling and what they are granted. Every place that reads a source's data asks `canRead`, every create asks
// `canCreate`, so a new field or capability cannot forget the grants.

/** An operation a client may be granted. */
export type GrantedOperation = 'read' | 'create';

/** A client's own budgets per minute; absent fields fall back to the gateway's defaults. */
export interface ClientRateLimit {
  requestsPerMinute?: number;
  upstreamCallsPerMinute?: number;
  /** The part of a provider's calls per minute this client may spend, in percent (GATEWAY_PROVIDER_SHARE_PERCENT). */
  providerSharePercent?: number;
}

/** The caller of one request, as authentication established it. */
export interface ClientIdentity {
  /** The client's name (from the clients file or the token's subject); `anonymous` when GATEWAY_AUTH=none. */
  name: string;
  /** How the client was recognised. */
  via: 'none' | 'api-key' | 'jwt';
  /** The source names the client may use, or `*` for every configured source. */
  sources: '*' | readonly string[];
  operations: readonly GrantedOperation[];
  rateLimit?: ClientRateLimit;
}

/** The caller when authentication is off (GATEWAY_AUTH=none): everything is granted. */
export const ANONYMOUS_CLIENT: ClientIdentity = Object.freeze({
  name: 'anonymous',
  via: 'none',
  sources: '*',
  operations: Object.freeze(['read', 'create'] as const),
});

function coversSource(client: ClientIdentity, source: string): boolean {
  return client.sources === '*' || client.sources.includes(source);
}

/** True when `client` may read data of `source`. */
export function canRead(client: ClientIdentity, source: string): boolean {
  return client.operations.includes('read') && coversSource(client, source);
}

/** True when `client` may create invoices at `source`. */
export function canCreate(client: ClientIdentity, source: string): boolean {
  return client.operations.includes('create') && coversSource(client, source);
}
