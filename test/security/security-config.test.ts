// The start-up rules of issue 9: over real providers GATEWAY_AUTH must be chosen (the message says how); over the
// sandboxes the default is `none`, on loopback only unless chosen; each mode's settings are complete; a bad clients file
// lists every problem of every client at once and never echoes a key; exposure defaults follow sandbox vs real.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { providers } from '../../adapters/index.js';
import { loadConfig } from '../../src/config.js';
import { configError } from '../support/config.js';
import { sha256Hex } from '../support/security.js';

const FRAGMENT = { FRAGMENT_BASE_URL: 'https://api.fragment.test', FRAGMENT_CLIENT_ID: 'id', FRAGMENT_CLIENT_SECRET: 'fragment-secret-value' };


function file(name: string, content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'gateway-security-')), name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('GATEWAY_AUTH at start', () => {
  it('refuses to start over a real provider without GATEWAY_AUTH, saying how to choose', () => {
    const error = configError(FRAGMENT);
    expect(error.problems).toHaveLength(1);
    expect(error.message).toMatch(/GATEWAY_AUTH is not set and real providers are configured \(fragment\)/);
    for (const how of ['GATEWAY_AUTH=api-key', 'GATEWAY_CLIENTS_FILE', 'GATEWAY_AUTH=jwt', 'GATEWAY_JWT_JWKS_URL', 'GATEWAY_AUTH=none']) {
      expect(error.message).toContain(how);
    }
    expect(error.message).not.toContain('fragment-secret-value');
  });

  it('starts over a real provider when the mode is chosen, with GraphiQL and introspection off by default', () => {
    const config = loadConfig({ ...FRAGMENT, GATEWAY_AUTH: 'none' }, providers);
    expect(config).toMatchObject({ auth: { mode: 'none' }, graphiql: false, introspection: false, corsOrigins: [] });
    const opened = loadConfig({ ...FRAGMENT, GATEWAY_AUTH: 'none', GATEWAY_GRAPHIQL: '1', GATEWAY_INTROSPECTION: '1' }, providers);
    expect(opened).toMatchObject({ graphiql: true, introspection: true });
  });

  it('defaults to none over the sandboxes, with GraphiQL and introspection on, on loopback only unless chosen', () => {
    expect(loadConfig({}, providers)).toMatchObject({ sandbox: true, auth: { mode: 'none' }, graphiql: true, introspection: true });
    const error = configError({ HOST: '0.0.0.0' });
    expect(error.message).toMatch(/HOST=0\.0\.0\.0 would serve the sandboxes beyond this machine with no authentication/);
    expect(error.message).toContain('GATEWAY_AUTH=none');
    expect(loadConfig({ HOST: '0.0.0.0', GATEWAY_AUTH: 'none' }, providers).auth.mode).toBe('none');
  });

  it('lists every missing setting of the chosen mode', () => {
    const jwt = configError({ ...FRAGMENT, GATEWAY_AUTH: 'jwt' });
    expect(jwt.problems).toEqual([
      expect.stringMatching(/needs GATEWAY_JWT_JWKS_URL .* or GATEWAY_JWT_SECRET/),
      expect.stringMatching(/needs GATEWAY_JWT_ISSUER/),
      expect.stringMatching(/needs GATEWAY_JWT_AUDIENCE/),
    ]);
    expect(configError({ ...FRAGMENT, GATEWAY_AUTH: 'api-key' }).message).toMatch(/GATEWAY_AUTH=api-key needs GATEWAY_CLIENTS_FILE/);
    expect(configError({ ...FRAGMENT, GATEWAY_AUTH: 'basic' }).message).toMatch(/GATEWAY_AUTH/);
    const short = configError({ ...FRAGMENT, GATEWAY_AUTH: 'jwt', GATEWAY_JWT_SECRET: 'short-secret', GATEWAY_JWT_ISSUER: 'i', GATEWAY_JWT_AUDIENCE: 'a' });
    expect(short.message).toMatch(/GATEWAY_JWT_SECRET: must be at least 32 characters/);
    expect(short.message).not.toContain('short-secret');
    const plain = configError({ ...FRAGMENT, GATEWAY_AUTH: 'jwt', GATEWAY_JWT_JWKS_URL: 'http://idp.test/jwks.json', GATEWAY_JWT_ISSUER: 'i', GATEWAY_JWT_AUDIENCE: 'a' });
    expect(plain.problems).toEqual([expect.stringMatching(/GATEWAY_JWT_JWKS_URL must be https/)]);
    const config = loadConfig(
      { ...FRAGMENT, GATEWAY_AUTH: 'jwt', GATEWAY_JWT_JWKS_URL: 'https://idp.test/jwks.json', GATEWAY_JWT_ISSUER: 'https://idp.test/', GATEWAY_JWT_AUDIENCE: 'gw' },
      providers,
    );
    expect(config.auth).toEqual({
      mode: 'jwt',
      clients: undefined,
      jwt: { jwksUrl: 'https://idp.test/jwks.json', secret: undefined, issuer: 'https://idp.test/', audience: 'gw', clockToleranceS: 30 },
    });
    const tolerant = loadConfig(
      { ...FRAGMENT, GATEWAY_AUTH: 'jwt', GATEWAY_JWT_SECRET: 's'.repeat(32), GATEWAY_JWT_ISSUER: 'i', GATEWAY_JWT_AUDIENCE: 'a', GATEWAY_JWT_CLOCK_TOLERANCE_S: '5' },
      providers,
    );
    expect(tolerant.auth.jwt?.clockToleranceS).toBe(5);
    expect(configError({ ...FRAGMENT, GATEWAY_AUTH: 'none', GATEWAY_JWT_CLOCK_TOLERANCE_S: '-1' }).message).toMatch(/GATEWAY_JWT_CLOCK_TOLERANCE_S: expected an integer from 0 to 3600/);
  });
});

describe('GATEWAY_CLIENTS_FILE', () => {
  it('reads the clients as DESIGN.md shows them, keeping only the sha256 of each key', () => {
    const path = file('clients.json', {
      clients: [
        { name: 'web', keySha256: sha256Hex('web-key'), sources: ['fragment'], operations: ['read', 'create'], rateLimit: { requestsPerMinute: 600, upstreamCallsPerMinute: 1200 } },
        { name: 'ops', keySha256: sha256Hex('ops-key'), sources: '*', operations: ['read'] },
      ],
    });
    const config = loadConfig({ ...FRAGMENT, GATEWAY_AUTH: 'api-key', GATEWAY_CLIENTS_FILE: path }, providers);
    expect(config.auth.clients?.map((c) => c.identity)).toEqual([
      { name: 'web', via: 'api-key', sources: ['fragment'], operations: ['read', 'create'], rateLimit: { requestsPerMinute: 600, upstreamCallsPerMinute: 1200 } },
      { name: 'ops', via: 'api-key', sources: '*', operations: ['read'], rateLimit: undefined },
    ]);
    expect(config.auth.clients?.[0].keySha256.toString('hex')).toBe(sha256Hex('web-key'));
  });

  it('lists every problem of every client in one message, unknown sources included, and never echoes a key', () => {
    const path = file('clients.json', {
      clients: [
        { name: 'web', keySha256: 'k_live_raw_key_pasted_by_mistake', sources: ['fragment', 'xero-au'], operations: ['read'] },
        { name: 'web', keySha256: sha256Hex('a'), sources: ['korint'], operations: ['read', 'delete'] },
        { name: 'batch', key: 'another-raw-key', sources: '*', operations: [] },
        { name: 'fine', keySha256: sha256Hex('b'), sources: '*', operations: ['read'], rateLimit: { requestsPerMinute: 0 } },
        { name: 'web', keySha256: sha256Hex('c'), sources: '*', operations: ['read'] },
      ],
    });
    const error = configError({ ...FRAGMENT, GATEWAY_AUTH: 'api-key', GATEWAY_CLIENTS_FILE: path });
    const expected = [
      /clients\[0\]\.sources\[1\]: unknown source "xero-au" \(configured: fragment\)/,
      /clients\[0\]\.keySha256: must be the hex sha256 of the key/,
      /clients\[1\]\.name: two clients are named "web"/,
      /clients\[1\]\.sources\[0\]: unknown source "korint"/,
      /clients\[1\]\.operations\.1/,
      /clients\[2\]: Unrecognized key: "key"/,
      /clients\[2\]\.keySha256/,
      /clients\[2\]\.operations/,
      /clients\[3\]\.rateLimit\.requestsPerMinute/,
      /clients\[4\]\.name: two clients are named "web"/,
    ];
    for (const problem of expected) expect(error.message).toMatch(problem);
    expect(error.problems).toHaveLength(expected.length);
    expect(error.message).not.toContain('k_live_raw_key_pasted_by_mistake');
    expect(error.message).not.toContain('another-raw-key');
    expect(configError({ ...FRAGMENT, GATEWAY_AUTH: 'api-key', GATEWAY_CLIENTS_FILE: file('c.json', '{ nope') }).message).toMatch(/cannot read .* as JSON/);
  });

  it('is refused with a mode that takes no API keys', () => {
    const path = file('clients.json', { clients: [{ name: 'web', keySha256: sha256Hex('k'), sources: '*', operations: ['read'] }] });
    expect(configError({ ...FRAGMENT, GATEWAY_AUTH: 'none', GATEWAY_CLIENTS_FILE: path }).message).toMatch(/accepts no API keys/);
  });
});

describe('exposure settings', () => {
  it('reads the CORS allowlist and refuses wildcards, paths and the null origin', () => {
    const config = loadConfig({ GATEWAY_CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }, providers);
    expect(config.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
    const error = configError({ GATEWAY_CORS_ORIGINS: '*,https://app.example.com/path,null' });
    expect(error.problems).toHaveLength(3);
    expect(error.message).toMatch(/GATEWAY_CORS_ORIGINS: "\*" is not an exact origin/);
  });

  it('reads the trusted documents and refuses GATEWAY_PERSISTED_ONLY without them', () => {
    const path = file('persisted-documents.json', { abc123: '{ sources { name } }' });
    const config = loadConfig({ GATEWAY_PERSISTED_OPERATIONS_FILE: path, GATEWAY_PERSISTED_ONLY: '1' }, providers);
    expect(config.trustedDocuments?.only).toBe(true);
    expect([...config.trustedDocuments!.documents]).toEqual([['abc123', '{ sources { name } }']]);
    expect(configError({ GATEWAY_PERSISTED_ONLY: '1' }).message).toMatch(/needs GATEWAY_PERSISTED_OPERATIONS_FILE/);
    const bad = file('bad.json', { h1: '{ sources { name }', h2: 42 });
    expect(configError({ GATEWAY_PERSISTED_OPERATIONS_FILE: bad }).problems).toHaveLength(1);
  });

  it('has bounded HTTP defaults and an optional admin port that differs from PORT', () => {
    expect(loadConfig({}, providers)).toMatchObject({
      maxBodyBytes: 1_048_576,
      adminPort: undefined,
      http: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnections: 1024, maxHeaderBytes: 16_384 },
    });
    expect(loadConfig({ GATEWAY_ADMIN_PORT: '9090' }, providers).adminPort).toBe(9090);
    expect(configError({ GATEWAY_ADMIN_PORT: '4000' }).message).toMatch(/GATEWAY_ADMIN_PORT must differ from PORT/);
  });
});
