// An outage must not flood the log: each cause of upstream failure (source, code, status) is logged once at warn, without
// a stack, its repeats are counted and reported once per interval, and each failure's detail is at debug.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/telemetry/logger.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

function captured(level: string) {
  const lines: Array<Record<string, any>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ level, destination: sink }) };
}

const QUERY = `{ invoices(ids: ["fragment:Invoice:inv_0001", "korint:Invoice:kor_inv_0001"]) { id } }`;

describe('upstream failures in the log', () => {
  it('are one warn line per cause and one count per interval, however many requests fail', async () => {
    const { lines, logger } = captured('info');
    gw = await startTestGateway(['fragment', 'korint'], {
      logger,
      retry: { retries: 0 },
      // The breaker stays out of it: every request reaches the failing provider.
      circuit: { failureThreshold: 1000, coolDownMs: 1000, selfProbe: false },
    });
    gw.sandbox('fragment').faults.inject({ routes: ['batch-get'], status: 503 });
    gw.sandbox('korint').faults.inject({ routes: ['invoices'], status: 400 });
    let failures = 0;
    for (let i = 0; i < 25; i++) {
      const answer = await gw.query(QUERY);
      expect(answer.errors?.map((e) => e.extensions?.code).sort()).toEqual(['UPSTREAM_REJECTED', 'UPSTREAM_UNAVAILABLE']);
      failures += answer.extensions?.upstream.fragment.errors[0].count;
    }
    const first = lines.filter((l) => l.msg.startsWith('upstream failure ('));
    expect(first.map((l) => [l.level, l.source, l.code, l.status]).sort()).toEqual([
      [40, 'fragment', 'UPSTREAM_UNAVAILABLE', 503],
      [40, 'korint', 'UPSTREAM_REJECTED', 400],
    ]);
    for (const line of first) {
      expect(line.requestId).toEqual(expect.any(String));
      expect(line).not.toHaveProperty('err');
      expect(JSON.stringify(line)).not.toContain('    at ');
    }
    // Nothing more at warn until the interval ends (here: the gateway closes).
    expect(lines.filter((l) => l.level >= 40)).toHaveLength(2);
    await gw.close();
    gw = undefined;
    const repeated = lines.filter((l) => l.msg === 'upstream failure, repeated');
    expect(repeated.map((l) => [l.source, l.code, l.status, l.count]).sort()).toEqual([
      ['fragment', 'UPSTREAM_UNAVAILABLE', 503, failures],
      ['korint', 'UPSTREAM_REJECTED', 400, 25],
    ]);
    expect(failures).toBe(25);
  });

  it('keeps each failure, with its stack, at debug', async () => {
    const { lines, logger } = captured('debug');
    gw = await startTestGateway(['fragment'], { logger, retry: { retries: 0 } });
    gw.sandbox('fragment').faults.inject({ routes: ['batch-get'], status: 503, times: 2 });
    await gw.query(`{ invoice(id: "fragment:Invoice:inv_0001") { id } }`);
    await gw.query(`{ invoice(id: "fragment:Invoice:inv_0002") { id } }`);
    const detail = lines.filter((l) => l.msg === 'upstream failure');
    expect(detail).toHaveLength(2);
    for (const line of detail) {
      expect(line).toMatchObject({ level: 20, source: 'fragment', code: 'UPSTREAM_UNAVAILABLE', requestId: expect.any(String) });
      expect(line.err.stack).toContain('    at ');
    }
  });
});
