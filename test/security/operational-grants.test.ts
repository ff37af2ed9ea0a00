// The `compose` and `observe` grants. With introspection off, a client granted `compose` (clients file `operations`, JWT
// scope `invoices:compose`) may read `_service { sdl }`, as a composing router must; no one else may, and __schema stays
// refused to everyone. With authentication on, /metrics and /ready's body on the public port need `observe`; /health
// stays open, /ready's status too (a load balancer sends no credential), and with GATEWAY_ADMIN_PORT the endpoints are
// served on the admin port without a grant, as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayServers, listen, type GatewayServers } from '../../src/http-server.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { apiKeyClients, post, startIdentityProvider, type TestIdentityProvider } from '../support/security.js';

const ROUTER_KEY = 'k_router_5c1d7e2f9a3b6c8d0e4f1a2b3c4d5e6f';
const SCRAPER_KEY = 'k_scraper_8e7d6c5b4a3928170615f4e3d2c1b0a9';
const APP_KEY = 'k_app_0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

let gw: TestGateway;
let idp: TestIdentityProvider;
beforeAll(async () => {
  idp = await startIdentityProvider();
  const clients = apiKeyClients(
    [
      { name: 'router', key: ROUTER_KEY, sources: '*', operations: ['compose'] },
      { name: 'scraper', key: SCRAPER_KEY, sources: [], operations: ['observe'] },
      { name: 'app', key: APP_KEY, sources: '*', operations: ['read', 'create'] },
    ],
    ['fragment'],
  );
  gw = await startTestGateway(['fragment'], {
    introspection: false,
    auth: { mode: 'api-key,jwt', clients, jwt: { jwksUrl: idp.jwksUrl, issuer: idp.issuer, audience: idp.audience } },
  });
});
afterAll(async () => {
  await gw?.close();
  await idp?.close();
});

const get = (path: string, headers: Record<string, string> = {}) => Promise.resolve(gw.gateway.yoga.fetch(`http://gateway.test${path}`, { headers }));

describe('compose', () => {
  it('lets a client granted compose read _service { sdl } while introspection is off', async () => {
    const answer = await post(gw.gateway, '{ _service { sdl } }', { headers: bearer(ROUTER_KEY) });
    expect(answer.status).toBe(200);
    expect(answer.body.data._service.sdl).toMatch(/type Invoice implements Node\s+@key\(fields: "id"\)/);
    const token = await idp.sign({ scope: 'invoices:compose', invoice_sources: [] });
    expect((await post(gw.gateway, '{ _service { sdl } }', { headers: bearer(token) })).body.data._service.sdl).toMatch(/type Invoice/);
  });

  it('refuses _service to a client without compose, and __schema to everyone', async () => {
    const token = await idp.sign({ scope: 'invoices:read invoices:create', invoice_sources: '*' });
    for (const headers of [bearer(APP_KEY), bearer(SCRAPER_KEY), bearer(token)]) {
      const answer = await post(gw.gateway, '{ _service { sdl } }', { headers });
      expect(answer.status).toBe(400);
      expect(answer.body.data).toBeUndefined();
      expect(answer.body.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' }, message: expect.stringMatching(/_service/) });
    }
    const schema = await post(gw.gateway, '{ __schema { types { name } } }', { headers: bearer(ROUTER_KEY) });
    expect(schema.status).toBe(400);
    expect(schema.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('grants no data: a router with compose alone reads no invoice', async () => {
    const answer = await post(gw.gateway, '{ invoice(id: "fragment:Invoice:inv_0001") { id } }', { headers: bearer(ROUTER_KEY) });
    expect(answer.body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN', source: 'fragment' });
  });
});

describe('observe', () => {
  it('serves /metrics to a client granted observe (API key or scope invoices:observe)', async () => {
    const metrics = await get('/metrics', bearer(SCRAPER_KEY));
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^# HELP gateway_/m);
    const token = await idp.sign({ scope: 'invoices:observe', invoice_sources: [] });
    expect((await get('/metrics', bearer(token))).status).toBe(200);
  });

  it('refuses /metrics without a credential (401) and to a client without observe (403)', async () => {
    const anonymous = await get('/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await anonymous.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const wrong = await get('/metrics', bearer('k_not_a_client_key_at_all_000000000'));
    expect(wrong.status).toBe(401);
    const app = await get('/metrics', bearer(APP_KEY));
    expect(app.status).toBe(403);
    const body = await app.text();
    expect(JSON.parse(body).errors[0].extensions.code).toBe('FORBIDDEN');
    expect(body).not.toMatch(/gateway_/);
  });

  it("answers /ready's status to anyone, and its body (the sources' health) only to a client granted observe", async () => {
    for (const headers of [{}, bearer(APP_KEY), bearer(ROUTER_KEY)]) {
      const ready = await get('/ready', headers);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ready: true });
    }
    const full = await get('/ready', bearer(SCRAPER_KEY));
    expect(full.status).toBe(200);
    expect(await full.json()).toMatchObject({ ready: true, degraded: false, sources: [expect.objectContaining({ source: 'fragment' })] });
  });

  it('leaves /health open', async () => {
    expect((await get('/health')).status).toBe(200);
  });

  it('needs no grant on GATEWAY_ADMIN_PORT, where the endpoints are the only thing served', async () => {
    const clients = apiKeyClients([{ name: 'app', key: APP_KEY, sources: '*', operations: ['read'] }], ['fragment']);
    const admin = await startTestGateway(['fragment'], { auth: { mode: 'api-key', clients }, adminPort: true });
    let servers: GatewayServers | undefined;
    try {
      servers = createGatewayServers(admin.gateway, { admin: true });
      const publicUrl = `http://127.0.0.1:${await listen(servers.public, 0, '127.0.0.1')}`;
      const adminUrl = `http://127.0.0.1:${await listen(servers.admin!, 0, '127.0.0.1')}`;
      const metrics = await fetch(`${adminUrl}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^# HELP /m);
      expect(await (await fetch(`${adminUrl}/ready`)).json()).toMatchObject({ ready: true, sources: [expect.objectContaining({ source: 'fragment' })] });
      const onPublic = await fetch(`${publicUrl}/metrics`, { headers: bearer(APP_KEY) });
      expect(onPublic.status).toBe(404);
      await onPublic.arrayBuffer();
    } finally {
      for (const server of [servers?.public, servers?.admin]) {
        server?.closeAllConnections();
        await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
      }
      await admin.close();
    }
  });
});
