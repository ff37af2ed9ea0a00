// Who is calling and what they are granted. Every place that reads a source's data asks `canRead`, every create asks
// `canCreate`, every payment write `canPay`, so a new field or capability cannot forget the grants.

/**
 * An operation a client may be granted: `read` and `create` invoices; `pay` (record and delete payments);
 * `compose` (read the schema as a subgraph, `_service { sdl }`, while introspection is off: a composing router);
 * `observe` (/metrics and /ready's body on the public port when authentication is on: a scraper).
 */
export type GrantedOperation = 'read' | 'create' | 'pay' | 'compose' | 'observe';

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
  /** Epoch ms at which the credential stops being accepted (a JWT's `exp`); a subscription ends then. */
  expiresAt?: number;
}

/** The caller when authentication is off (GATEWAY_AUTH=none): everything is granted. */
export const ANONYMOUS_CLIENT: ClientIdentity = Object.freeze({
  name: 'anonymous',
  via: 'none',
  sources: '*',
  operations: Object.freeze(['read', 'create', 'pay'] as const),
});

function coversSource(client: ClientIdentity, source: string): boolean {
  return client.sources === '*' || client.sources.includes(source);
}

/** True when `client` may read data of `source`. */
export function canRead(client: ClientIdentity, source: string): boolean {
  return client.operations.includes('read') && coversSource(client, source);
}

/** True when `client` may read the schema as a subgraph (`_service { sdl }`) while introspection is off. */
export function canCompose(client: ClientIdentity): boolean {
  return client.operations.includes('compose');
}

/** True when `client` may read /metrics and /ready's body on the public port. */
export function canObserve(client: ClientIdentity): boolean {
  return client.operations.includes('observe');
}

/** True when `client` may create invoices at `source`. */
export function canCreate(client: ClientIdentity, source: string): boolean {
  return client.operations.includes('create') && coversSource(client, source);
}

/** True when `client` may record and delete payments at `source`. */
export function canPay(client: ClientIdentity, source: string): boolean {
  return client.operations.includes('pay') && coversSource(client, source);
}
