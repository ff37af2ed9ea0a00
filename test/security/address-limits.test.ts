// What one client address may hold, over real loopback sockets from several local addresses: connections (slow
// clients from one address cannot take the server's), requests in flight (a subscription stream is not one), failed
// authentications a minute (a valid key always gets in), with GATEWAY_TRUSTED_PROXIES saying whose X-Forwarded-For is
// believed. Trickling headers and bodies are cut at their timeouts. Provider webhooks are outside all of it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayServers, listen, type GatewayServers } from '../../src/http-server.js';
import { DEFAULT_HTTP_LIMITS } from '../../src/http-server-settings.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { graphqlFrom, sendFrom, slowConnection } from '../support/http-client.js';
import { waitFor } from '../support/replicas.js';
import { sandboxInvoiceIds } from '../support/sandbox-ids.js';
import { apiKeyClients } from '../support/security.js';

const CLIENT = '127.0.0.2';
const OTHER = '127.0.0.4';
const PROXY = '127.0.0.3';

async function serve(gw: TestGateway, limits: Partial<typeof DEFAULT_HTTP_LIMITS> = {}): Promise<{ servers: GatewayServers; port: number }> {
  const servers = createGatewayServers(gw.gateway, { admin: false, limits: { ...DEFAULT_HTTP_LIMITS, ...limits } });
  return { servers, port: await listen(servers.public, 0, '127.0.0.1') };
}

async function stop(servers: GatewayServers): Promise<void> {
  servers.public.closeAllConnections();
  await new Promise((resolve) => servers.public.close(resolve));
}

describe('connections per address', () => {
  let gw: TestGateway;
  let running: { servers: GatewayServers; port: number };
  const sockets: Array<{ socket: { destroy(): void } }> = [];
  beforeAll(async () => {
    gw = await startTestGateway(['fragment'], { perAddress: { trustedProxies: [PROXY] } });
    running = await serve(gw, { maxConnectionsPerAddress: 3, headersTimeoutMs: 60_000, requestTimeoutMs: 60_000 });
  });
  afterEach(() => {
    for (const { socket } of sockets.splice(0)) socket.destroy();
  });
  afterAll(async () => {
    await stop(running.servers);
    await gw.close();
  });

  it('three slow connections from one address: a fourth from it answers 429, another address is served', async () => {
    for (let i = 0; i < 3; i++) sockets.push(await slowConnection(running.port, CLIENT));
    const refused = await graphqlFrom(running.port, CLIENT, '{ __typename }');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json().errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'GATEWAY_MAX_CONNECTIONS_PER_ADDRESS', maximum: 3 });
    const served = await graphqlFrom(running.port, OTHER, '{ __typename }');
    expect(served.status).toBe(200);
    expect(served.json()).toMatchObject({ data: { __typename: 'Query' } });
  });

  it('gives the slot back when a connection closes', async () => {
    for (let i = 0; i < 3; i++) sockets.push(await slowConnection(running.port, CLIENT));
    const first = sockets.shift()!;
    first.socket.destroy();
    await waitFor(async () => (await graphqlFrom(running.port, CLIENT, '{ __typename }')).status === 200, 'a slot for 127.0.0.2');
  });

  it("does not bound a trusted proxy's connections: they carry many clients", async () => {
    for (let i = 0; i < 5; i++) sockets.push(await slowConnection(running.port, PROXY));
    const served = await graphqlFrom(running.port, PROXY, '{ __typename }', { 'x-forwarded-for': '10.0.0.1' });
    expect(served.status).toBe(200);
  });
});

describe('trickling clients', () => {
  let gw: TestGateway;
  let running: { servers: GatewayServers; port: number };
  beforeAll(async () => {
    gw = await startTestGateway(['fragment']);
    running = await serve(gw, { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000 });
  });
  afterAll(async () => {
    await stop(running.servers);
    await gw.close();
  });

  it('a connection that sends nothing, or its headers a byte at a time, is answered 408 and closed at the headers timeout', async () => {
    const idle = await slowConnection(running.port, CLIENT, '');
    const trickle = await slowConnection(running.port, CLIENT, 'POST /graphql HTTP/1.1\r\n');
    const timer = setInterval(() => trickle.socket.writable && trickle.socket.write('x'), 100);
    try {
      await Promise.all([idle.closed, trickle.closed]);
    } finally {
      clearInterval(timer);
    }
    expect(idle.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(trickle.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('a body sent a byte at a time is cut at the request timeout', async () => {
    const trickle = await slowConnection(running.port, CLIENT, 'POST /graphql HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n');
    const timer = setInterval(() => trickle.socket.writable && trickle.socket.write(' '), 100);
    try {
      await trickle.closed;
    } finally {
      clearInterval(timer);
    }
    expect(trickle.received()).toMatch(/^HTTP\/1\.1 408 /);
  });
});

describe('requests in flight per address', () => {
  let gw: TestGateway;
  let running: { servers: GatewayServers; port: number };
  let lookup: string;
  beforeAll(async () => {
    gw = await startTestGateway(['fragment'], { perAddress: { maxRequestsInFlight: 2, trustedProxies: [PROXY] }, upstreamTimeoutMs: 3_000 });
    running = await serve(gw);
    lookup = `{ invoice(id: ${JSON.stringify(sandboxInvoiceIds(gw, 'fragment', 1)[0])}) { id } }`;
  });
  afterAll(async () => {
    gw.sandbox('fragment').faults.clear();
    await stop(running.servers);
    await gw.close();
  });

  /** Two lookups from `address` (forwarded for `forwardedFor`) that stay in flight: the provider does not answer. */
  async function twoInFlight(address: string, forwardedFor?: string): Promise<Array<Promise<unknown>>> {
    const fragment = gw.sandbox('fragment');
    fragment.calls.reset();
    fragment.faults.inject({ hang: true, routes: ['batch-get', 'get'] });
    const headers: Record<string, string> = forwardedFor ? { 'x-forwarded-for': forwardedFor } : {};
    const pending = [graphqlFrom(running.port, address, lookup, headers), graphqlFrom(running.port, address, lookup.replace('{ id }', '{ number }'), headers)];
    await waitFor(() => fragment.calls.count() >= 1, 'the lookups to reach the provider');
    return pending;
  }

  it('answers 429 past the bound for that address, and serves another address, a subscription stream and a webhook', async () => {
    const pending = await twoInFlight(CLIENT);
    const refused = await graphqlFrom(running.port, CLIENT, '{ __typename }');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json().errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'GATEWAY_MAX_REQUESTS_IN_FLIGHT_PER_ADDRESS', maximum: 2 });
    // A client's X-Forwarded-For is not believed from an address that is not a listed proxy.
    expect((await graphqlFrom(running.port, CLIENT, '{ __typename }', { 'x-forwarded-for': '10.9.9.9' })).status).toBe(429);
    expect((await graphqlFrom(running.port, OTHER, '{ __typename }')).status).toBe(200);
    // A stream (GraphQL over SSE) stays open by design: it is not a request in flight.
    const stream = await graphqlFrom(running.port, CLIENT, '{ __typename }', { accept: 'text/event-stream' });
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/text\/event-stream/);
    // Provider webhooks are outside the clients' limits.
    const webhook = await sendFrom(running.port, CLIENT, { path: '/webhooks/xero', body: '{}' });
    expect(webhook.status).not.toBe(429);
    await Promise.all(pending);
    gw.sandbox('fragment').faults.clear();
    expect((await graphqlFrom(running.port, CLIENT, '{ __typename }')).status).toBe(200);
  });

  it("counts a trusted proxy's requests per forwarded client", async () => {
    const pending = await twoInFlight(PROXY, '10.0.0.1');
    const refused = await graphqlFrom(running.port, PROXY, '{ __typename }', { 'x-forwarded-for': '10.0.0.1' });
    expect(refused.status).toBe(429);
    expect(refused.json().errors[0].message).toContain('10.0.0.1');
    // The same proxy, for another client (which the client may have prefixed with a forged hop): served.
    expect((await graphqlFrom(running.port, PROXY, '{ __typename }', { 'x-forwarded-for': '10.0.0.2' })).status).toBe(200);
    expect((await graphqlFrom(running.port, PROXY, '{ __typename }', { 'x-forwarded-for': '10.0.0.1, 10.0.0.3' })).status).toBe(200);
    await Promise.all(pending);
    gw.sandbox('fragment').faults.clear();
  });
});

describe('failed authentications per address', () => {
  const KEY = 'valid-client-key-0123456789abcdef';
  let gw: TestGateway;
  let running: { servers: GatewayServers; port: number };
  beforeAll(async () => {
    const clients = apiKeyClients([{ name: 'web', key: KEY, sources: '*', operations: ['read'] }], ['fragment']);
    gw = await startTestGateway(['fragment'], { auth: { mode: 'api-key', clients }, perAddress: { authFailuresPerMinute: 3 } });
    running = await serve(gw);
  });
  afterAll(async () => {
    await stop(running.servers);
    await gw.close();
  });

  const withKey = (address: string, key: string) => graphqlFrom(running.port, address, '{ __typename }', { authorization: `Bearer ${key}` });

  it('answers 429 past the budget, lets a valid key in from the same address, and leaves other addresses alone', async () => {
    for (let i = 0; i < 3; i++) {
      const refused = await withKey(CLIENT, `wrong-key-${i}-0123456789abcdef`);
      expect(refused.status).toBe(401);
      expect(refused.json().errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const limited = await withKey(CLIENT, 'wrong-key-3-0123456789abcdef');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'GATEWAY_AUTH_FAILURES_PER_MINUTE', maximum: 3 });
    // Without any credential it is a failure too.
    expect((await graphqlFrom(running.port, CLIENT, '{ __typename }')).status).toBe(429);

    const valid = await withKey(CLIENT, KEY);
    expect(valid.status).toBe(200);
    expect(valid.json()).toMatchObject({ data: { __typename: 'Query' } });
    expect((await withKey(OTHER, 'wrong-key-4-0123456789abcdef')).status).toBe(401);
  });

  it('leaves provider webhooks outside client authentication', async () => {
    const webhook = await sendFrom(running.port, CLIENT, { path: '/webhooks/xero', body: '{}' });
    expect(webhook.status).not.toBe(429);
    expect(webhook.headers['www-authenticate']).toBeUndefined();
  });
});
