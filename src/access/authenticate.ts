// Who is calling, by GATEWAY_AUTH: nobody asked (`none`), an API key, a JWT, or either (`api-key,jwt`: a bearer value
// shaped like a JWT is verified as one, anything else as a key).
import { errors as joseErrors } from 'jose';
import { createApiKeyVerifier } from './api-key.js';
import { ANONYMOUS_CLIENT, type ClientIdentity } from './client.js';
import type { ApiKeyClient } from './clients-file.js';
import { looksLikeJwt, readCredential } from './credentials.js';
import { createJwtVerifier, KeysUnavailableError, type JwtOptions } from './jwt.js';

/** How long a client is asked to wait when the keys that verify tokens cannot be fetched. */
const KEYS_RETRY_AFTER_S = 5;

export const AUTH_MODES = ['none', 'api-key', 'jwt', 'api-key,jwt'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export interface AuthOptions {
  mode: AuthMode;
  /** The API-key clients (GATEWAY_CLIENTS_FILE), for `api-key` modes. */
  clients?: readonly ApiKeyClient[];
  /** Token verification, for `jwt` modes. */
  jwt?: JwtOptions;
}

/** Why a request was not let in: the message the client reads, and whether it sent a credential at all. */
export interface AuthFailure {
  message: string;
  credentialSent: boolean;
  /** Set when the credential could not be judged (the identity provider's keys could not be fetched): 503, not 401. */
  unavailable?: { retryAfterS: number; cause: unknown };
}

export type AuthOutcome = { client: ClientIdentity } | { failure: AuthFailure };

export interface Authenticator {
  readonly mode: AuthMode;
  authenticate(headers: Headers): Promise<AuthOutcome>;
}

function jwtFailureMessage(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `the token's "${error.claim}" claim is not accepted`;
  return 'the token is not accepted';
}

/** Creates the authenticator of GATEWAY_AUTH's mode; it throws at creation when the mode's settings are missing. */
export function createAuthenticator(options: AuthOptions): Authenticator {
  const { mode } = options;
  const acceptsKeys = mode === 'api-key' || mode === 'api-key,jwt';
  const acceptsJwt = mode === 'jwt' || mode === 'api-key,jwt';
  if (acceptsKeys && !options.clients) throw new Error(`GATEWAY_AUTH=${mode} needs the API-key clients`);
  if (acceptsJwt && !options.jwt) throw new Error(`GATEWAY_AUTH=${mode} needs the JWT settings`);
  const verifyKey = acceptsKeys ? createApiKeyVerifier(options.clients ?? []) : undefined;
  const verifyJwt = acceptsJwt ? createJwtVerifier(options.jwt!) : undefined;
  const how = [acceptsKeys && 'an API key (Authorization: Bearer <key> or X-API-Key)', acceptsJwt && 'a JWT (Authorization: Bearer <token>)']
    .filter(Boolean)
    .join(' or ');

  const refuse = (message: string, credentialSent = true): AuthOutcome => ({ failure: { message, credentialSent } });
  const byKey = (key: string): AuthOutcome => {
    const client = verifyKey?.(key);
    return client ? { client } : refuse('the API key is not accepted');
  };

  return {
    mode,
    async authenticate(headers) {
      if (mode === 'none') return { client: ANONYMOUS_CLIENT };
      const credential = readCredential(headers);
      if (credential === undefined) return refuse(`this gateway needs ${how}`, false);
      if (credential === 'malformed') return refuse(`the Authorization header is not "Bearer <credential>"; this gateway needs ${how}`);
      if (credential.kind === 'api-key') return verifyKey ? byKey(credential.value) : refuse(`API keys are not accepted; this gateway needs ${how}`);
      if (verifyJwt && (!verifyKey || looksLikeJwt(credential.value))) {
        try {
          return { client: await verifyJwt(credential.value) };
        } catch (error) {
          if (error instanceof KeysUnavailableError) {
            const message = 'the keys that verify tokens cannot be fetched from the identity provider right now; retry shortly';
            return { failure: { message, credentialSent: true, unavailable: { retryAfterS: KEYS_RETRY_AFTER_S, cause: error.cause } } };
          }
          return refuse(jwtFailureMessage(error));
        }
      }
      return byKey(credential.value);
    },
  };
}
