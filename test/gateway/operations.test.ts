// What operators read: health, readiness with per-source circuits, Prometheus metrics, and logs without secrets.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FragmentSandboxHandle } from '../../adapters/fragment/sandbox/fragment-sandbox.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
const logLines: string[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  gw = await startTestGateway(['fragment'], {
    logger: pino({ level: 'debug' }, sink),
    circuit: { failureThreshold: 1, coolDownMs: 60_000 },
    retry: { retries: 0 },
  });
});
afterAll(() => gw.close());

const get = (path: string) => gw.gateway.yoga.fetch(`http://gateway.test${path}`);

describe('operational endpoints', () => {
  it('answer health, readiness and metrics', async () => {
    expect((await get('/health')).status).toBe(200);
    const ready = await get('/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, sources: [{ source: 'fragment', circuit: 'CLOSED' }] });

    await gw.query(`{ invoice(id: "fragment:Invoice:inv_0001") { id } }`);
    const metrics = await (await get('/metrics')).text();
    // The batch-get and the token fetch it needed.
    expect(metrics).toMatch(/gateway_upstream_calls_total\{source="fragment"\} 2/);
    expect(metrics).toMatch(/gateway_source_up\{source="fragment"\} 1/);
  });

  it('stay ready while every source circuit is open, with the sources\' health in the body, and log upstream errors without credentials', async () => {
    const fragment = gw.sandbox<FragmentSandboxHandle>('fragment');
    fragment.faults.inject({ routes: ['batch-get'], status: 500 });
    const answer = await gw.query(`{ invoice(id: "fragment:Invoice:inv_0002") { id } }`);
    fragment.faults.clear();
    expect(answer.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    const ready = await get('/ready');
    // A provider outage hits every replica alike: /ready stays 200 and says so in its body.
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, degraded: true, sources: [{ source: 'fragment', circuit: 'OPEN', status: 'DOWN' }] });

    const logs = logLines.join('');
    expect(logs).toContain('upstream failure');
    expect(logs).not.toContain(fragment.clientSecret);
    expect(logs).not.toContain(Buffer.from(`${fragment.clientId}:${fragment.clientSecret}`).toString('base64'));
    expect(logs).not.toMatch(/Bearer [A-Za-z0-9]/);
  });
});
