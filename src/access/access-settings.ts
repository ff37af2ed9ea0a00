// Access settings: who may call (GATEWAY_AUTH, the API-key clients, JWT), what a browser may do (CORS), what a stranger
// can learn (GraphiQL, introspection), and which documents run (trusted documents). docs/security.md explains them.
import { z } from 'zod';
import { flag, int, settingsRoom, situational, type RoomValues } from '../settings-room.js';
import type { TrustedDocuments } from '../plugins/trusted-documents.js';
import { authFromEnv, type AuthSituation } from './auth-config.js';
import { AUTH_MODES, type AuthOptions } from './authenticate.js';
import { DEFAULT_CLOCK_TOLERANCE_S } from './jwt.js';
import { readTrustedDocuments } from './trusted-documents.js';

const OVER_SANDBOXES = '`1` over the sandboxes, `0` over real providers';

export const ACCESS_SETTINGS = settingsRoom({ title: 'Access', guide: 'security.md', source: import.meta.url }, {
  GATEWAY_AUTH: situational(
    z.preprocess((v) => (v === 'jwt,api-key' ? 'api-key,jwt' : v), z.enum(AUTH_MODES)).optional(),
    'Who may call: `none`, `api-key` (GATEWAY_CLIENTS_FILE), `jwt` (GATEWAY_JWT_*), or `api-key,jwt` (either). With a real provider configured and this unset, the start fails: an open gateway over real invoices is only ever deliberate.',
    '`none` over the sandboxes; required over real providers',
  ),
  GATEWAY_CLIENTS_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('The API-key clients (JSON): each with its name, the sha256 of its key, its sources and operations, and optionally its own rate limits.'),
  GATEWAY_JWT_JWKS_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('Your identity provider\'s `jwks_uri` (https; plain http only on loopback): keys fetched and cached, fetched again for an unknown `kid`.'),
  GATEWAY_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional().describe('Instead of a JWKS: a shared HS256 secret (32 characters or more).'),
  GATEWAY_JWT_ISSUER: z.string().min(1).optional().describe('The `iss` every token must carry (required with `jwt`).'),
  GATEWAY_JWT_AUDIENCE: z.string().min(1).optional().describe('The `aud` every token must carry (required with `jwt`).'),
  GATEWAY_JWT_CLOCK_TOLERANCE_S: int(0, 3600)
    .default(DEFAULT_CLOCK_TOLERANCE_S)
    .describe('Seconds of clock difference allowed when checking a token\'s `exp`, `nbf` and `iat`.'),
  GATEWAY_CORS_ORIGINS: z
    .string()
    .optional()
    .describe('The exact origins whose pages may read answers, comma separated (`https://app.example.com,http://localhost:5173`); no other origin gets a CORS header.'),
  GATEWAY_GRAPHIQL: situational(flag().optional(), 'GraphiQL at `/graphql` for a browser; with `0` a browser reads a short page saying how to send a query.', OVER_SANDBOXES),
  GATEWAY_INTROSPECTION: situational(
    flag().optional(),
    'Introspection (`__schema`, `__type`, and `_service { sdl }` for clients not granted `compose`) and "Did you mean …?" suggestions in errors.',
    OVER_SANDBOXES,
  ),
  GATEWAY_PERSISTED_OPERATIONS_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('Trusted documents: GraphQL Code Generator\'s client-preset manifest or Apollo\'s persisted query manifest, run by hash (`documentId` or `extensions.persistedQuery`).'),
  GATEWAY_PERSISTED_ONLY: flag()
    .default('0')
    .describe('With `1`, only the manifest\'s documents run; any other answers 400 `PERSISTED_QUERY_ONLY`. Needs GATEWAY_PERSISTED_OPERATIONS_FILE.'),
});

/** The access part of the configuration. */
export interface AccessConfig {
  /** Who may call (GATEWAY_AUTH and its settings). */
  auth: AuthOptions;
  /** GATEWAY_CORS_ORIGINS: the origins whose pages may read answers. */
  corsOrigins: string[];
  /** GATEWAY_GRAPHIQL and GATEWAY_INTROSPECTION: on by default over the sandboxes, off over real providers. */
  graphiql: boolean;
  introspection: boolean;
  trustedDocuments?: TrustedDocuments;
}

/** Parses GATEWAY_CORS_ORIGINS: exact origins (`https://app.example.com`), comma separated. */
function parseOrigins(value: string | undefined, problems: string[]): string[] {
  const origins = (value ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of origins) {
    let exact = false;
    try {
      exact = new URL(origin).origin === origin && origin !== 'null';
    } catch {
      exact = false;
    }
    if (!exact) problems.push(`GATEWAY_CORS_ORIGINS: "${origin.slice(0, 100)}" is not an exact origin such as https://app.example.com (no path, no wildcard)`);
  }
  return origins;
}

/** The access settings from validated variables, checked against what is served; problems go to `problems`. */
export function accessSettingsFrom(
  v: RoomValues<typeof ACCESS_SETTINGS>,
  situation: AuthSituation,
  problems: string[],
): Partial<AccessConfig> & Omit<AccessConfig, 'auth'> {
  const auth = authFromEnv(v, situation, problems);
  const corsOrigins = parseOrigins(v.GATEWAY_CORS_ORIGINS, problems);
  let trustedDocuments: TrustedDocuments | undefined;
  if (v.GATEWAY_PERSISTED_OPERATIONS_FILE) {
    trustedDocuments = { documents: readTrustedDocuments(v.GATEWAY_PERSISTED_OPERATIONS_FILE, problems), only: v.GATEWAY_PERSISTED_ONLY === '1' };
  } else if (v.GATEWAY_PERSISTED_ONLY === '1') {
    problems.push('GATEWAY_PERSISTED_ONLY=1 needs GATEWAY_PERSISTED_OPERATIONS_FILE (the trusted documents)');
  }
  return {
    auth,
    corsOrigins,
    graphiql: v.GATEWAY_GRAPHIQL ? v.GATEWAY_GRAPHIQL === '1' : situation.sandbox,
    introspection: v.GATEWAY_INTROSPECTION ? v.GATEWAY_INTROSPECTION === '1' : situation.sandbox,
    trustedDocuments,
  };
}
