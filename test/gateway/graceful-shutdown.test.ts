// Graceful shutdown: on SIGTERM /ready answers 503 first while requests are still served (GATEWAY_SHUTDOWN_DRAIN_MS), so
// a load balancer sees "not ready" before anything is dropped; then the servers stop accepting connections, requests in
// flight finish (within GATEWAY_SHUTDOWN_TIMEOUT_MS, past which they are cut off), and the process exits 0.
import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { createGatewayServers, listen } from '../../src/http-server.js';
import { createGracefulShutdown } from '../../src/shutdown.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { startTestGateway } from '../support/gateway.js';
import { startMain } from '../support/main-process.js';

const QUERY = JSON.stringify({ query: '{ invoices(ids: ["korint:Invoice:kor_inv_0001"]) { id } }' });
const postQuery = (url: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUERY });

describe('SIGTERM to the real process', () => {
  it('answers /ready 503 while it still serves queries, then closes and exits 0', async () => {
    // A drain long enough for the checks below on a busy machine; nothing waits for it but the exit.
    const gateway = await startMain({ GATEWAY_SHUTDOWN_DRAIN_MS: '8000' });
    const { ready, graphql, health } = gateway.summary;
    expect((await fetch(ready)).status).toBe(200);
    const exited = gateway.stop('SIGTERM');

    await vi.waitFor(async () => expect((await fetch(ready)).status).toBe(503), { timeout: 5_000, interval: 20 });
    const during = await postQuery(graphql);
    expect(during.status).toBe(200);
    // Keep-alive clients are told to reconnect (to another replica).
    expect(during.headers.get('connection')).toBe('close');
    expect((await during.json()).data).toEqual({ invoices: [{ id: 'korint:Invoice:kor_inv_0001' }] });
    expect((await fetch(health)).status).toBe(200);

    expect(await exited).toBe(0);
    await expect(fetch(health)).rejects.toThrow();
    const said = gateway.lines.map((line) => JSON.parse(line)).map((line) => line.msg);
    const order = ['shutting down: /ready answers 503 while load balancers take this replica out', 'shutting down: no new connections; requests in flight may finish', 'shut down'];
    expect(said.filter((msg: string) => order.includes(msg))).toEqual(order);
  }, 60_000);
});

describe('requests in flight when the servers close', () => {
  async function serve(timeoutMs: number, endStreams = false) {
    const lines: Array<Record<string, any>> = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const gw = await startTestGateway(['korint']);
    const servers = createGatewayServers(gw.gateway, { admin: false });
    const url = `http://127.0.0.1:${await listen(servers.public, 0, '127.0.0.1')}/graphql`;
    const shutdown = createGracefulShutdown({
      servers: [servers.public],
      drainMs: 0,
      timeoutMs,
      markClosing: () => gw.gateway.drain(),
      ...(endStreams ? { endStreams: () => gw.gateway.endSubscriptions() } : {}),
      release: () => gw.close(),
      logger: createLogger({ level: 'info', destination: sink }),
    });
    return { gw, url, server: servers.public, shutdown, lines };
  }

  it('finish within GATEWAY_SHUTDOWN_TIMEOUT_MS', async () => {
    const { gw, url, server, shutdown, lines } = await serve(30_000);
    gw.sandbox('korint').faults.inject({ routes: ['invoices'], latencyMs: 1_000 });
    const answer = postQuery(url);
    await vi.waitFor(() => expect(gw.sandbox('korint').calls.count('invoices')).toBe(1), { timeout: 5_000, interval: 10 });
    const closed = shutdown('SIGTERM');
    const response = await answer;
    expect(response.status).toBe(200);
    expect((await response.json()).data).toEqual({ invoices: [{ id: 'korint:Invoice:kor_inv_0001' }] });
    await closed;
    expect(server.listening).toBe(false);
    expect(lines.some((line) => line.msg === 'shutting down: requests still in flight were cut off')).toBe(false);
  });

  it('are cut off past it, and the shutdown says so', async () => {
    const { gw, url, server, shutdown, lines } = await serve(200);
    gw.sandbox('korint').faults.inject({ routes: ['invoices'], hang: true });
    const answer = postQuery(url).then(
      (response) => response.status,
      () => 'cut off',
    );
    await vi.waitFor(() => expect(gw.sandbox('korint').calls.count('invoices')).toBe(1), { timeout: 5_000, interval: 10 });
    await shutdown('SIGTERM');
    expect(await answer).toBe('cut off');
    expect(server.listening).toBe(false);
    expect(lines.filter((line) => line.msg === 'shutting down: requests still in flight were cut off')).toHaveLength(1);
  });

  it('end the subscriptions when the servers close, so their clients resume elsewhere instead of being cut off', async () => {
    const { url, server, shutdown, lines } = await serve(30_000, true);
    const stream = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { invoiceChanged { id invoiceId } }' }),
    });
    expect(stream.status).toBe(200);
    const read = (async () => {
      const reader = stream.body!.getReader();
      while (!(await reader.read()).done);
      return 'ended';
    })();
    await shutdown('SIGTERM');
    expect(await read).toBe('ended');
    expect(server.listening).toBe(false);
    expect(lines.some((line) => line.msg === 'shutting down: requests still in flight were cut off')).toBe(false);
  });
});
