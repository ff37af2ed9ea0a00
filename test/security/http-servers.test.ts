// The HTTP servers main.ts runs, on real loopback sockets: with an admin port, /health, /ready and /metrics are served
// there only (404 on the public port, and GraphQL is not served on the admin port); the public server refuses
// oversized headers. Without an admin port the public port serves everything, as before.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayServers, listen, type GatewayServers } from '../../src/http-server.js';
import { DEFAULT_HTTP_LIMITS } from '../../src/http-server-settings.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway(['fragment']);
});
afterAll(() => gw?.close());

async function start(admin: boolean): Promise<{ servers: GatewayServers; publicUrl: string; adminUrl?: string }> {
  const servers = createGatewayServers(gw.gateway, { admin, limits: { ...DEFAULT_HTTP_LIMITS, maxHeaderBytes: 4096 } });
  const publicUrl = `http://127.0.0.1:${await listen(servers.public, 0, '127.0.0.1')}`;
  const adminUrl = servers.admin ? `http://127.0.0.1:${await listen(servers.admin, 0, '127.0.0.1')}` : undefined;
  return { servers, publicUrl, adminUrl };
}

async function stop(servers: GatewayServers) {
  for (const server of [servers.public, servers.admin]) {
    if (!server) continue;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const QUERY = { query: '{ invoice(id: "fragment:Invoice:inv_0001") { number } }' };
const postJson = (url: string) =>
  fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(QUERY) });

describe('with GATEWAY_ADMIN_PORT', () => {
  let running: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    running = await start(true);
  });
  afterAll(() => stop(running.servers));

  it('serves /health, /ready and /metrics on the admin port only', async () => {
    const ready = await fetch(`${running.adminUrl}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, sources: [expect.objectContaining({ source: 'fragment' })] });
    expect((await fetch(`${running.adminUrl}/health`)).status).toBe(200);
    const metrics = await fetch(`${running.adminUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^# HELP /m);
    for (const path of ['/health', '/ready', '/metrics', '/ready?x=1']) {
      const response = await fetch(`${running.publicUrl}${path}`);
      expect(response.status).toBe(404);
      await response.arrayBuffer();
    }
  });

  it('serves GraphQL on the public port only', async () => {
    const before = gw.sandbox('fragment').calls.count('batch-get');
    const answer = await postJson(running.publicUrl);
    expect(await answer.json()).toMatchObject({ data: { invoice: { number: 'inv_0001' } } });
    const refused = await postJson(running.adminUrl!);
    expect(refused.status).toBe(404);
    expect(gw.sandbox('fragment').calls.count('batch-get') - before).toBe(1);
  });
});

describe('without GATEWAY_ADMIN_PORT', () => {
  let running: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    running = await start(false);
  });
  afterAll(() => stop(running.servers));

  it('serves /ready and GraphQL on the one port', async () => {
    expect(running.adminUrl).toBeUndefined();
    expect((await fetch(`${running.publicUrl}/ready`)).status).toBe(200);
    expect(await (await postJson(running.publicUrl)).json()).toMatchObject({ data: { invoice: { number: 'inv_0001' } } });
  });

  it('answers 431 to headers over the size limit, and calls no provider', async () => {
    const before = gw.sandbox('fragment').calls.count();
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${running.publicUrl}/graphql`);
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'x-padding': 'x'.repeat(8192) } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(QUERY));
    });
    expect(status).toBe(431);
    expect(gw.sandbox('fragment').calls.count()).toBe(before);
  });
});
