// JWT bearer tokens, verified with jose: keys from a JWKS URL (cached, fetched again when a token names an unknown
// `kid`, so a key rotation needs no restart) or an HS256 secret; issuer, audience and expiry are always checked.
// Grants come from the claims `scope` ("invoices:read invoices:create invoices:pay") and `invoice_sources` (names or "*").
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { ClientIdentity, GrantedOperation } from './client.js';

export interface JwtOptions {
  /** Where the signing keys are published (an identity provider's `jwks_uri`). */
  jwksUrl?: string;
  /** A shared HS256 secret, instead of a JWKS. */
  secret?: string;
  issuer: string;
  audience: string;
  /** The shortest time between two JWKS fetches triggered by unknown `kid`s (jose's cooldown; default 30 s). */
  jwksCooldownMs?: number;
  /** How far `exp` and `nbf` may be off from this clock, in seconds (GATEWAY_JWT_CLOCK_TOLERANCE_S). */
  clockToleranceS?: number;
}

/** The default of GATEWAY_JWT_CLOCK_TOLERANCE_S: clocks of a token's issuer and of the gateway may differ this much. */
export const DEFAULT_CLOCK_TOLERANCE_S = 30;

/**
 * The identity provider's keys could not be had (its JWKS did not answer, answered an error or something that is not a
 * key set): the token was never judged, so the caller is told to retry (503), not that its token is bad (401).
 */
export class KeysUnavailableError extends Error {
  override name = 'KeysUnavailableError';
  constructor(cause: unknown) {
    super(`the JWKS could not be fetched: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** True for what jose throws when fetching the key set failed, as opposed to a token it refused. */
function isKeySetFailure(error: unknown): boolean {
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) return true;
  // A fetch that failed (network) is no JOSE error at all; a non-200 or unreadable answer is jose's generic error.
  if (!(error instanceof joseErrors.JOSEError)) return true;
  return error.code === 'ERR_JOSE_GENERIC' && /JSON Web Key Set/.test(error.message);
}

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

const SCOPES: Record<string, GrantedOperation> = {
  'invoices:read': 'read',
  'invoices:create': 'create',
  'invoices:pay': 'pay',
  'invoices:compose': 'compose',
  'invoices:observe': 'observe',
};

function operationsOf(payload: JWTPayload): GrantedOperation[] {
  const scope = payload.scope ?? payload.scp;
  const granted = typeof scope === 'string' ? scope.split(' ') : Array.isArray(scope) ? scope.filter((s) => typeof s === 'string') : [];
  return [...new Set(granted.flatMap((s) => (SCOPES[s] ? [SCOPES[s]] : [])))];
}

function sourcesOf(payload: JWTPayload): '*' | string[] {
  const claim = payload.invoice_sources;
  if (claim === '*') return '*';
  // No claim grants no source: a token must say which invoices it opens.
  return Array.isArray(claim) ? claim.filter((s): s is string => typeof s === 'string') : [];
}

function nameOf(payload: JWTPayload): string | undefined {
  for (const claim of [payload.sub, payload.client_id, payload.azp]) {
    if (typeof claim === 'string' && claim.length > 0) return claim.slice(0, 200);
  }
  return undefined;
}

/** Creates the verifier of bearer tokens; it rejects (with jose's error) any token it does not accept. */
export function createJwtVerifier(options: JwtOptions): (token: string) => Promise<ClientIdentity> {
  let key: Uint8Array | JWTVerifyGetKey;
  let algorithms: string[];
  if (options.jwksUrl) {
    key = createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: options.jwksCooldownMs ?? 30_000 });
    algorithms = ASYMMETRIC;
  } else if (options.secret) {
    key = new TextEncoder().encode(options.secret);
    algorithms = ['HS256'];
  } else {
    throw new Error('JWT authentication needs a JWKS URL or a secret');
  }
  const verifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    algorithms,
    requiredClaims: ['exp'],
    clockTolerance: options.clockToleranceS ?? DEFAULT_CLOCK_TOLERANCE_S,
  };
  const verify = async (token: string) => {
    if (typeof key !== 'function') return jwtVerify(token, key, verifyOptions);
    try {
      return await jwtVerify(token, key, verifyOptions);
    } catch (error) {
      throw isKeySetFailure(error) ? new KeysUnavailableError(error) : error;
    }
  };
  return async (token) => {
    const { payload } = await verify(token);
    const name = nameOf(payload);
    if (!name) throw new Error('the token names no client (sub, client_id or azp)');
    return Object.freeze({
      name,
      via: 'jwt' as const,
      sources: sourcesOf(payload),
      operations: operationsOf(payload),
      ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp * 1000 } : {}),
    });
  };
}
