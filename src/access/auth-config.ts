// GATEWAY_AUTH and its settings, checked with the rest of the configuration: with real providers the mode must be
// chosen (an open gateway over real invoices is only ever deliberate), and each mode's settings must be complete.
import type { ApiKeyClient } from './clients-file.js';
import { readClientsFile } from './clients-file.js';
import type { AuthMode, AuthOptions } from './authenticate.js';

export interface AuthEnv {
  GATEWAY_AUTH?: AuthMode;
  GATEWAY_CLIENTS_FILE?: string;
  GATEWAY_JWT_JWKS_URL?: string;
  GATEWAY_JWT_SECRET?: string;
  GATEWAY_JWT_ISSUER?: string;
  GATEWAY_JWT_AUDIENCE?: string;
  GATEWAY_JWT_CLOCK_TOLERANCE_S?: number;
}

export interface AuthSituation {
  /** True when the built-in sandboxes serve every provider. */
  sandbox: boolean;
  /** The names of the sources that will be served (client grants must name these). */
  sourceNames: readonly string[];
  host: string;
}

const HOW_TO_CHOOSE =
  'choose who may call: GATEWAY_AUTH=api-key with GATEWAY_CLIENTS_FILE=<clients.json>, or GATEWAY_AUTH=jwt with ' +
  'GATEWAY_JWT_JWKS_URL (or GATEWAY_JWT_SECRET), GATEWAY_JWT_ISSUER and GATEWAY_JWT_AUDIENCE, or GATEWAY_AUTH=none ' +
  'to serve without authentication deliberately (see docs/security.md)';

/** True for an address only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The authentication options the environment asks for; every problem goes to `problems`. */
export function authFromEnv(env: AuthEnv, situation: AuthSituation, problems: string[]): AuthOptions | undefined {
  const before = problems.length;
  const explicit = env.GATEWAY_AUTH;
  if (!explicit && !situation.sandbox && situation.sourceNames.length > 0) {
    problems.push(`GATEWAY_AUTH is not set and real providers are configured (${situation.sourceNames.join(', ')}): ${HOW_TO_CHOOSE}`);
    return undefined;
  }
  const mode: AuthMode = explicit ?? 'none';
  if (!explicit && !isLoopback(situation.host)) {
    problems.push(
      `HOST=${situation.host} would serve the sandboxes beyond this machine with no authentication: keep HOST on loopback ` +
        `(127.0.0.1), or set GATEWAY_AUTH=none to do it deliberately (in a container, say), or ${HOW_TO_CHOOSE.replace('choose who may call: ', '')}`,
    );
  }
  const keys = mode === 'api-key' || mode === 'api-key,jwt';
  const jwt = mode === 'jwt' || mode === 'api-key,jwt';

  let clients: ApiKeyClient[] | undefined;
  if (keys) {
    if (!env.GATEWAY_CLIENTS_FILE) problems.push(`GATEWAY_AUTH=${mode} needs GATEWAY_CLIENTS_FILE (the API-key clients, see docs/security.md)`);
    else clients = readClientsFile(env.GATEWAY_CLIENTS_FILE, situation.sourceNames, problems);
  } else if (env.GATEWAY_CLIENTS_FILE) {
    problems.push(`GATEWAY_CLIENTS_FILE is set but GATEWAY_AUTH=${mode} accepts no API keys: set GATEWAY_AUTH=api-key (or api-key,jwt)`);
  }

  const jwtSet = env.GATEWAY_JWT_JWKS_URL || env.GATEWAY_JWT_SECRET || env.GATEWAY_JWT_ISSUER || env.GATEWAY_JWT_AUDIENCE;
  if (jwt) {
    if (!env.GATEWAY_JWT_JWKS_URL && !env.GATEWAY_JWT_SECRET) {
      problems.push(`GATEWAY_AUTH=${mode} needs GATEWAY_JWT_JWKS_URL (the identity provider's keys) or GATEWAY_JWT_SECRET (HS256)`);
    }
    if (env.GATEWAY_JWT_JWKS_URL && env.GATEWAY_JWT_SECRET) problems.push('set GATEWAY_JWT_JWKS_URL or GATEWAY_JWT_SECRET, not both');
    if (env.GATEWAY_JWT_JWKS_URL?.startsWith('http:') && !isLoopback(new URL(env.GATEWAY_JWT_JWKS_URL).hostname)) {
      problems.push('GATEWAY_JWT_JWKS_URL must be https (plain http only on loopback): the keys decide who may call');
    }
    if (!env.GATEWAY_JWT_ISSUER) problems.push(`GATEWAY_AUTH=${mode} needs GATEWAY_JWT_ISSUER (the "iss" tokens must carry)`);
    if (!env.GATEWAY_JWT_AUDIENCE) problems.push(`GATEWAY_AUTH=${mode} needs GATEWAY_JWT_AUDIENCE (the "aud" tokens must carry)`);
  } else if (jwtSet) {
    problems.push(`GATEWAY_JWT_* is set but GATEWAY_AUTH=${mode} accepts no tokens: set GATEWAY_AUTH=jwt (or api-key,jwt)`);
  }
  if (problems.length > before) return undefined;
  return {
    mode,
    clients,
    jwt: jwt
      ? {
          jwksUrl: env.GATEWAY_JWT_JWKS_URL,
          secret: env.GATEWAY_JWT_SECRET,
          issuer: env.GATEWAY_JWT_ISSUER!,
          audience: env.GATEWAY_JWT_AUDIENCE!,
          clockToleranceS: env.GATEWAY_JWT_CLOCK_TOLERANCE_S,
        }
      : undefined,
  };
}
