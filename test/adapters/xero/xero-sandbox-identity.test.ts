// The Xero sandbox's identity service, over HTTP as a client sees it: access tokens that expire, single-use refresh
// tokens with the grace period, invalid_grant, the authorize endpoint with PKCE and exact redirect URIs, granular and
// broad scopes, /connections and revocation. The clock is the sandbox's own, moved by the test (no waiting).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startXeroSandbox, type XeroSandboxHandle } from '../../../adapters/xero/sandbox/xero-sandbox.js';
import { s256 } from '../../../adapters/xero/sandbox/xero-sandbox-identity.js';
import { startKorintSandbox } from '../../../adapters/korint/sandbox/korint-sandbox.js';

const NZ = '1c9e8a7b-6d5c-4b3a-9f8e-7d6c5b4a3f21';
const AU = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6e';
const PRACTICE = '5b5b5b5b-1111-4222-8333-444444444444';
const REDIRECT = 'http://localhost:4005/xero/callback';
const VERIFIER = 'a'.repeat(20) + '-._~' + 'Z9'.repeat(10);

let sandbox: XeroSandboxHandle;
let clock = Date.parse('2026-05-01T00:00:00Z');

beforeAll(async () => {
  sandbox = await startXeroSandbox({
    tenants: [NZ, AU],
    seed: 7,
    invoiceCount: 20,
    identity: { redirectUris: [REDIRECT], now: () => clock, tenantNames: { [NZ]: 'Demo Company (NZ)' }, practices: [{ tenantId: PRACTICE, tenantName: 'Practice' }] },
  });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.identity.accessTokenLifetimeSeconds = 1800;
  sandbox.identity.refreshGraceSeconds = 1800;
  sandbox.identity.consentTenants = undefined;
  sandbox.identity.consentAnswer = 'allow';
  sandbox.identity.resetStats();
});

const clientAuth = () => `Basic ${Buffer.from(`${sandbox.clientId}:${sandbox.clientSecret}`).toString('base64')}`;

async function tokenCall(form: Record<string, string>, auth = clientAuth()) {
  const response = await fetch(sandbox.tokenUrl, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function api(path: string, token: string, tenant = NZ, method = 'GET') {
  const response = await fetch(`${sandbox.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'xero-tenant-id': tenant, accept: 'application/json' },
  });
  const text = await response.text();
  return { status: response.status, challenge: response.headers.get('www-authenticate'), body: text ? JSON.parse(text) : undefined };
}

async function connections(token: string, query = '') {
  const response = await fetch(`${sandbox.identity.connectionsUrl}${query}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as any[] };
}

function authorizeUrl(params: Record<string, string>) {
  const url = new URL(sandbox.identity.authorizeUrl);
  const all = {
    response_type: 'code',
    client_id: sandbox.clientId,
    redirect_uri: REDIRECT,
    scope: 'offline_access accounting.invoices accounting.payments accounting.settings.read',
    state: 'state-1',
    code_challenge: s256(VERIFIER),
    code_challenge_method: 'S256',
    ...params,
  };
  for (const [key, value] of Object.entries(all)) if (value !== '') url.searchParams.set(key, value);
  return url.toString();
}

/** Follows the authorize URL like a browser whose user is already signed in, without following the last redirect. */
async function authorize(params: Record<string, string> = {}) {
  const response = await fetch(authorizeUrl(params), { redirect: 'manual' });
  const location = response.headers.get('location');
  return { status: response.status, location: location ? new URL(location) : undefined, text: await response.text() };
}

describe('Xero sandbox: access tokens', () => {
  it('issues client-credentials tokens that expire after their lifetime, answering 401 TokenExpired', async () => {
    sandbox.identity.accessTokenLifetimeSeconds = 60;
    const issued = await tokenCall({ grant_type: 'client_credentials' });
    expect(issued).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 60 } });
    expect(issued.body.refresh_token).toBeUndefined();
    expect((await api('/Invoices?page=1', issued.body.access_token)).status).toBe(200);
    clock += 60_000;
    const expired = await api('/Invoices?page=1', issued.body.access_token);
    expect(expired).toMatchObject({ status: 401, challenge: 'Bearer error="invalid_token"', body: { Title: 'Unauthorized', Detail: expect.stringMatching(/^TokenExpired: /) } });
    // The static token never expires (npm start).
    expect((await api('/Invoices?page=1', sandbox.accessToken)).status).toBe(200);
  });

  it('refuses a client it does not know with invalid_client, and an unknown grant type', async () => {
    expect(await tokenCall({ grant_type: 'client_credentials' }, `Basic ${Buffer.from('x:y').toString('base64')}`)).toEqual({ status: 400, body: { error: 'invalid_client' } });
    expect(await tokenCall({ grant_type: 'password' })).toEqual({ status: 400, body: { error: 'unsupported_grant_type' } });
  });
});

describe('Xero sandbox: refresh tokens', () => {
  it('rotates the refresh token on every refresh; the spent one works again within the grace period only', async () => {
    const seed = sandbox.identity.consent();
    const first = await tokenCall({ grant_type: 'refresh_token', refresh_token: seed.refreshToken });
    expect(first).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 1800, scope: 'offline_access accounting.invoices accounting.payments accounting.settings.read' } });
    expect(first.body.refresh_token).not.toBe(seed.refreshToken);
    clock += 29 * 60_000;
    const retried = await tokenCall({ grant_type: 'refresh_token', refresh_token: seed.refreshToken });
    expect(retried.status).toBe(200);
    clock += 2 * 60_000;
    expect(await tokenCall({ grant_type: 'refresh_token', refresh_token: seed.refreshToken })).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    // The newest one still works.
    expect((await tokenCall({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token })).status).toBe(200);
    expect(sandbox.identity.stats()).toMatchObject({ refreshes: 3, refreshReuses: 1, invalidGrants: 1 });
  });

  it('with no grace period a refresh token is strictly single-use', async () => {
    sandbox.identity.refreshGraceSeconds = 0;
    const seed = sandbox.identity.consent();
    expect((await tokenCall({ grant_type: 'refresh_token', refresh_token: seed.refreshToken })).status).toBe(200);
    clock += 1;
    expect((await tokenCall({ grant_type: 'refresh_token', refresh_token: seed.refreshToken })).body).toEqual({ error: 'invalid_grant' });
  });

  it('lets an unused refresh token expire after 60 days', async () => {
    const seed = sandbox.identity.consent();
    clock += 60 * 86_400_000;
    expect(await tokenCall({ grant_type: 'refresh_token', refresh_token: seed.refreshToken })).toEqual({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('revocation (endpoint or handle) ends the consent: invalid_grant, no connection, 403 on the API', async () => {
    const one = sandbox.identity.consent({ tenants: [NZ] });
    const revoke = await fetch(sandbox.identity.revocationUrl, {
      method: 'POST',
      headers: { authorization: clientAuth(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: one.refreshToken }),
    });
    expect(revoke.status).toBe(200);
    expect((await tokenCall({ grant_type: 'refresh_token', refresh_token: one.refreshToken })).body).toEqual({ error: 'invalid_grant' });
    expect(await api('/Invoices?page=1', one.accessToken)).toMatchObject({ status: 403, body: { Title: 'Forbidden', Detail: 'AuthenticationUnsuccessful' } });
    expect((await connections(one.accessToken)).body).toEqual([]);

    const two = sandbox.identity.consent({ tenants: [NZ] });
    sandbox.identity.revoke(two.refreshToken);
    expect((await tokenCall({ grant_type: 'refresh_token', refresh_token: two.refreshToken })).body).toEqual({ error: 'invalid_grant' });
  });
});

describe('Xero sandbox: /connections and scopes', () => {
  it('lists the tenants a consent grants in Xero shape, filtered by authEventId', async () => {
    const both = sandbox.identity.consent({ tenants: [NZ, PRACTICE] });
    const listed = await connections(both.accessToken);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        authEventId: both.authEventId,
        tenantId: NZ,
        tenantType: 'ORGANISATION',
        tenantName: 'Demo Company (NZ)',
        createdDateUtc: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}$/),
        updatedDateUtc: expect.any(String),
      },
      expect.objectContaining({ tenantId: PRACTICE, tenantType: 'PRACTICE', tenantName: 'Practice' }),
    ]);
    expect((await connections(both.accessToken, '?authEventId=00000000-0000-4000-8000-000000000000')).body).toEqual([]);
    // A tenant outside the consent: 403.
    expect((await api('/Invoices?page=1', both.accessToken, AU)).status).toBe(403);
    // Disconnecting one tenant leaves the other.
    const removed = await fetch(`${sandbox.identity.connectionsUrl}/${listed.body[0].id}`, { method: 'DELETE', headers: { authorization: `Bearer ${both.accessToken}` } });
    expect(removed.status).toBe(204);
    expect((await connections(both.accessToken)).body.map((c) => c.tenantId)).toEqual([PRACTICE]);
  });

  it('answers 401 insufficient_scope for an endpoint outside the scopes; a .read scope is enough for a GET', async () => {
    const readOnly = sandbox.identity.consent({ scopes: ['offline_access', 'accounting.invoices.read'] });
    expect((await api('/Invoices?page=1', readOnly.accessToken)).status).toBe(200);
    expect(await api('/Payments?page=1', readOnly.accessToken)).toMatchObject({ status: 401, challenge: 'Bearer error="insufficient_scope"', body: { Detail: 'AuthorizationUnsuccessful' } });
    const broad = sandbox.identity.consent({ scopes: ['accounting.transactions.read'] });
    expect((await api('/BatchPayments', broad.accessToken)).status).toBe(200);
  });
});

describe('Xero sandbox: authorize with PKCE', () => {
  it('auto-consents, redirects with code and state, and exchanges the code only with its verifier and redirect URI', async () => {
    const answer = await authorize();
    expect(answer.status).toBe(302);
    expect(`${answer.location!.origin}${answer.location!.pathname}`).toBe(REDIRECT);
    expect(answer.location!.searchParams.get('state')).toBe('state-1');
    const code = answer.location!.searchParams.get('code')!;
    expect(code).toMatch(/^[0-9a-f]{48}$/);
    const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT };
    // A wrong verifier spends the code.
    expect((await tokenCall({ ...form, code_verifier: 'b'.repeat(43) })).body).toEqual({ error: 'invalid_grant' });
    expect((await tokenCall({ ...form, code_verifier: VERIFIER })).body).toEqual({ error: 'invalid_grant' });

    const again = (await authorize()).location!.searchParams.get('code')!;
    expect((await tokenCall({ ...form, code: again, redirect_uri: 'http://localhost:4005/other', code_verifier: VERIFIER })).body).toEqual({ error: 'invalid_grant' });
    const third = (await authorize()).location!.searchParams.get('code')!;
    const tokens = await tokenCall({ ...form, code: third, code_verifier: VERIFIER });
    expect(tokens).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 1800, refresh_token: expect.any(String) } });
    expect((await connections(tokens.body.access_token)).body.map((c) => c.tenantId)).toEqual([NZ, AU, PRACTICE]);
    // Codes are single-use.
    expect((await tokenCall({ ...form, code: third, code_verifier: VERIFIER })).body).toEqual({ error: 'invalid_grant' });
  });

  it('matches redirect URIs exactly and never redirects to an unregistered one', async () => {
    for (const uri of ['http://localhost:4005/xero/callback/', 'http://127.0.0.1:4005/xero/callback', 'http://localhost:4006/xero/callback']) {
      const answer = await authorize({ redirect_uri: uri });
      expect(answer).toMatchObject({ status: 400, location: undefined });
      expect(answer.text).toContain('Invalid redirect_uri');
    }
    expect((await authorize({ client_id: 'someone-else' })).status).toBe(400);
  });

  it('redirects errors back: broad scopes on a new app, plain PKCE, a wrong response type, a user who cancels', async () => {
    const error = async (params: Record<string, string>) => (await authorize(params)).location?.searchParams.get('error');
    expect(await error({ scope: 'offline_access accounting.transactions' })).toBe('invalid_scope');
    expect(await error({ scope: 'offline_access accounting.nonsense' })).toBe('invalid_scope');
    expect(await error({ code_challenge_method: 'plain' })).toBe('invalid_request');
    expect(await error({ response_type: 'token' })).toBe('unsupported_response_type');
    sandbox.identity.consentAnswer = 'deny';
    expect(await error({})).toBe('access_denied');
  });

  it('an app created before March 2026 may still ask for the broad scopes', async () => {
    const old = await startXeroSandbox({ invoiceCount: 5, identity: { redirectUris: [REDIRECT], appScopes: 'broad' } });
    try {
      const url = new URL(authorizeUrl({ client_id: old.clientId, scope: 'offline_access accounting.transactions accounting.settings.read' }));
      const target = new URL(`${old.identity.authorizeUrl}${url.search}`);
      const answer = await fetch(target, { redirect: 'manual' });
      expect(new URL(answer.headers.get('location')!).searchParams.get('code')).toBeTruthy();
    } finally {
      await old.close();
    }
  });
});

describe('Korint sandbox: token rotation', () => {
  it('accepts only the current token after a rotation', async () => {
    const korint = await startKorintSandbox({ invoiceCount: 5 });
    try {
      const get = (token: string) => fetch(`${korint.url}/invoices?page=1&pageSize=5`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
      const old = korint.token;
      expect(await get(old)).toBe(200);
      const next = korint.rotateToken();
      expect(next).not.toBe(old);
      expect(korint.token).toBe(next);
      expect(await get(old)).toBe(401);
      expect(await get(next)).toBe(200);
    } finally {
      await korint.close();
    }
  });
});
