// Helpers for the security tests: requests with chosen headers and bodies, API-key clients as the clients file holds
// them, and a JWKS served over loopback HTTP like an identity provider's.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { GrantedOperation } from '../../src/access/client.js';
import { parseClients, type ApiKeyClient } from '../../src/access/clients-file.js';
import type { Gateway } from '../../src/gateway.js';
import type { GraphQLAnswer } from './gateway.js';

export interface RawAnswer<T = any> {
  status: number;
  headers: Headers;
  body: GraphQLAnswer<T>;
}

/** POSTs a JSON GraphQL request with extra headers; answers the status, headers and parsed body. */
export async function post<T = any>(
  gateway: Gateway,
  query: string | undefined,
  options: { headers?: Record<string, string>; variables?: Record<string, unknown>; extensions?: Record<string, unknown>; documentId?: string } = {},
): Promise<RawAnswer<T>> {
  const response = await gateway.yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...options.headers },
    body: JSON.stringify({ query, variables: options.variables, extensions: options.extensions, documentId: options.documentId }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as GraphQLAnswer<T>) : {} };
}

/** The hex sha256 of a key, as the clients file stores it. */
export const sha256Hex = (key: string) => createHash('sha256').update(key).digest('hex');

/** API-key clients parsed exactly as GATEWAY_CLIENTS_FILE is, from `{ key, ...grants }` entries. */
export function apiKeyClients(
  entries: Array<{ name: string; key: string; sources: '*' | string[]; operations: GrantedOperation[]; rateLimit?: { requestsPerMinute?: number } }>,
  sourceNames: string[],
): ApiKeyClient[] {
  const problems: string[] = [];
  const clients = parseClients(
    { clients: entries.map(({ key, ...rest }) => ({ ...rest, keySha256: sha256Hex(key) })) },
    sourceNames,
    'test clients',
    problems,
  );
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return clients;
}

export interface TestIdentityProvider {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** How many times the JWKS was fetched. */
  jwksFetches(): number;
  /** Publishes a new signing key (a new `kid`) next to the current ones and signs with it from now on. */
  rotate(): Promise<void>;
  /** Makes the JWKS endpoint answer this HTTP status, or 200 with a body that is no key set (`garbage`), until `undefined`. */
  failJwks(how: number | 'garbage' | undefined): void;
  /** Signs a token with the current key; `claims` override the defaults (iss, aud, sub, scope, 5 min expiry). */
  sign(claims?: Record<string, unknown>, options?: { expiresIn?: string | number }): Promise<string>;
  close(): Promise<void>;
}

/** A JWKS endpoint on loopback and a signer, like an identity provider's. */
export async function startIdentityProvider(): Promise<TestIdentityProvider> {
  const keys: Array<{ kid: string; privateKey: CryptoKey; jwk: JWK }> = [];
  let fetches = 0;
  let failure: number | 'garbage' | undefined;
  const addKey = async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const kid = `key-${keys.length + 1}`;
    keys.push({ kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } });
  };
  await addKey();
  const server: Server = createServer((request, response) => {
    fetches++;
    if (typeof failure === 'number') {
      response.writeHead(failure, { 'content-type': 'text/plain' });
      response.end('identity provider trouble');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(failure === 'garbage' ? '{"keys": "not a key set"}' : JSON.stringify({ keys: keys.map((k) => k.jwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = 'https://idp.example.test/';
  const audience = 'invoice-gateway';
  return {
    jwksUrl: `${base}/.well-known/jwks.json`,
    issuer,
    audience,
    jwksFetches: () => fetches,
    rotate: addKey,
    failJwks: (how) => {
      failure = how;
    },
    async sign(claims = {}, options = {}) {
      const current = keys.at(-1)!;
      return new SignJWT({ scope: 'invoices:read', invoice_sources: '*', ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: current.kid })
        .setIssuer((claims.iss as string) ?? issuer)
        .setAudience((claims.aud as string) ?? audience)
        .setSubject((claims.sub as string) ?? 'web-app')
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '5m')
        .sign(current.privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
