// Who may call (issue 9, part 1): API keys from the clients file and JWTs verified against a JWKS served on loopback
// (rotation to a new kid picked up without a restart), an HS256 secret, and both modes at once. A request without
// acceptable credentials answers HTTP 401 UNAUTHENTICATED with a WWW-Authenticate challenge and calls no provider.
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { apiKeyClients, post, startIdentityProvider, type TestIdentityProvider } from '../support/security.js';

const QUERY = '{ invoice(id: "fragment:Invoice:inv_0001") { id number } }';
// Every call the Fragment sandbox served (its token endpoint included), and its invoice lookups alone.
const fragmentCalls = (gw: TestGateway) => gw.sandbox('fragment').calls.count();
const lookups = (gw: TestGateway) => gw.sandbox('fragment').calls.count('batch-get');

function expectUnauthenticated(answer: Awaited<ReturnType<typeof post>>, message: RegExp) {
  expect(answer.status).toBe(401);
  expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="invoice-gateway"/);
  expect(answer.body.data).toBeUndefined();
  expect(answer.body.errors).toEqual([{ message: expect.stringMatching(message), extensions: { code: 'UNAUTHENTICATED' } }]);
}

describe('GATEWAY_AUTH=api-key', () => {
  let gw: TestGateway;
  const KEY = 'k_live_2b7f0c9e4d1a8f3b6e5c7a9d0b1f2e3c';
  beforeAll(async () => {
    const clients = apiKeyClients([{ name: 'web', key: KEY, sources: '*', operations: ['read'] }], ['fragment']);
    gw = await startTestGateway(['fragment'], { auth: { mode: 'api-key', clients } });
  });
  afterAll(() => gw?.close());

  it('answers a request without a key with 401 UNAUTHENTICATED and calls no provider', async () => {
    const before = fragmentCalls(gw);
    expectUnauthenticated(await post(gw.gateway, QUERY), /needs an API key/);
    expect(fragmentCalls(gw)).toBe(before);
  });

  it('answers a wrong key, in either header, with 401 and calls no provider', async () => {
    const before = fragmentCalls(gw);
    const bearer = await post(gw.gateway, QUERY, { headers: { authorization: `Bearer ${KEY}x` } });
    expectUnauthenticated(bearer, /API key is not accepted/);
    expect(bearer.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expectUnauthenticated(await post(gw.gateway, QUERY, { headers: { 'x-api-key': 'nope' } }), /API key is not accepted/);
    expectUnauthenticated(await post(gw.gateway, QUERY, { headers: { authorization: `Basic ${btoa('a:b')}` } }), /not "Bearer/);
    expect(fragmentCalls(gw)).toBe(before);
  });

  it('serves the right key sent as Authorization: Bearer or X-API-Key, one upstream call each', async () => {
    for (const headers of [{ authorization: `Bearer ${KEY}` }, { 'x-api-key': KEY }] as Array<Record<string, string>>) {
      const before = lookups(gw);
      const answer = await post(gw.gateway, QUERY, { headers });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ data: { invoice: { id: 'fragment:Invoice:inv_0001', number: 'inv_0001' } } });
      expect(answer.body.errors).toBeUndefined();
      expect(lookups(gw) - before).toBe(1);
    }
  });

  it('serves a GET query carrying a Bearer key (no browser attaches one by itself, so no CSRF header is needed)', async () => {
    const response = await gw.gateway.yoga.fetch(`http://gateway.test/graphql?query=${encodeURIComponent(QUERY)}`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(response.status).toBe(200);
    expect((await response.json()).data.invoice.number).toBe('inv_0001');
  });
});

describe('GATEWAY_AUTH=jwt with a JWKS URL', () => {
  let gw: TestGateway;
  let idp: TestIdentityProvider;
  beforeAll(async () => {
    idp = await startIdentityProvider();
    gw = await startTestGateway(['fragment'], {
      auth: { mode: 'jwt', jwt: { jwksUrl: idp.jwksUrl, issuer: idp.issuer, audience: idp.audience, jwksCooldownMs: 0 } },
    });
  });
  afterAll(async () => {
    await gw?.close();
    await idp?.close();
  });

  it('serves a valid token, with the grants of its claims', async () => {
    const before = lookups(gw);
    const answer = await post(gw.gateway, QUERY, { headers: { authorization: `Bearer ${await idp.sign()}` } });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ invoice: { id: 'fragment:Invoice:inv_0001', number: 'inv_0001' } });
    expect(lookups(gw) - before).toBe(1);
  });

  it('picks up a rotated signing key (a new kid) by fetching the JWKS again, without a restart', async () => {
    await post(gw.gateway, QUERY, { headers: { authorization: `Bearer ${await idp.sign()}` } });
    const fetches = idp.jwksFetches();
    await idp.rotate();
    const token = await idp.sign({ sub: 'rotated' });
    const answer = await post(gw.gateway, QUERY, { headers: { authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(200);
    expect(answer.body.data.invoice.number).toBe('inv_0001');
    expect(idp.jwksFetches()).toBe(fetches + 1);
    // The new key is cached now: the next token of that kid costs no fetch.
    await post(gw.gateway, QUERY, { headers: { authorization: `Bearer ${await idp.sign()}` } });
    expect(idp.jwksFetches()).toBe(fetches + 1);
  });

  it('refuses an expired token, a wrong audience, a wrong issuer, a forged signature, an unsigned token and a missing token with 401', async () => {
    const before = fragmentCalls(gw);
    const past = Math.floor(Date.now() / 1000) - 60;
    const cases: Array<[string | undefined, RegExp]> = [
      [await idp.sign({}, { expiresIn: past }), /expired/],
      [await idp.sign({ aud: 'another-api' }), /"aud" claim/],
      [await idp.sign({ iss: 'https://evil.example.test/' }), /"iss" claim/],
      [
        await new SignJWT({ scope: 'invoices:read', invoice_sources: '*' })
          .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
          .setIssuer(idp.issuer)
          .setAudience(idp.audience)
          .setSubject('forger')
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode('a-secret-the-attacker-chose-32-bytes!')),
        /not accepted/,
      ],
      // An unsigned token ("alg": "none") claiming everything.
      [
        `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: idp.issuer, aud: idp.audience, sub: 'x', scope: 'invoices:read invoices:create', invoice_sources: '*', exp: 9999999999 })).toString('base64url')}.`,
        /not accepted/,
      ],
      [undefined, /needs a JWT/],
    ];
    for (const [token, message] of cases) {
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      expectUnauthenticated(await post(gw.gateway, QUERY, { headers }), message);
    }
    expect(fragmentCalls(gw)).toBe(before);
  });
});

describe('GATEWAY_AUTH=api-key,jwt with an HS256 secret', () => {
  let gw: TestGateway;
  const SECRET = 'an-hs256-secret-of-at-least-32-characters';
  const KEY = 'k_live_only_a_key';
  const sign = (secret: string) =>
    new SignJWT({ scope: 'invoices:read', invoice_sources: ['fragment'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('https://issuer.test/')
      .setAudience('invoice-gateway')
      .setSubject('batch-job')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));
  beforeAll(async () => {
    gw = await startTestGateway(['fragment'], {
      auth: {
        mode: 'api-key,jwt',
        clients: apiKeyClients([{ name: 'web', key: KEY, sources: ['fragment'], operations: ['read'] }], ['fragment']),
        jwt: { secret: SECRET, issuer: 'https://issuer.test/', audience: 'invoice-gateway' },
      },
    });
  });
  afterAll(() => gw?.close());

  it('verifies a bearer shaped like a JWT as a token and anything else as a key', async () => {
    for (const bearer of [await sign(SECRET), KEY]) {
      const answer = await post(gw.gateway, QUERY, { headers: { authorization: `Bearer ${bearer}` } });
      expect(answer.status).toBe(200);
      expect(answer.body.data.invoice.number).toBe('inv_0001');
    }
    const before = fragmentCalls(gw);
    expectUnauthenticated(await post(gw.gateway, QUERY, { headers: { authorization: `Bearer ${await sign('another-secret-that-is-32-characters-long')}` } }), /token is not accepted/);
    expectUnauthenticated(await post(gw.gateway, QUERY, { headers: { authorization: 'Bearer k_live_wrong' } }), /API key is not accepted/);
    expect(fragmentCalls(gw)).toBe(before);
  });
});
