// OTLP export as a collector sees it: OTEL_EXPORTER_OTLP_PROTOCOL honoured (`http/protobuf` by default, as the
// specification says, or `http/json`), and an export the collector refuses logged once at warn, then counted.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { providers } from '../../adapters/index.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { otlpProtocol, startTracing, type Tracing } from '../../src/telemetry/tracing.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

interface Received {
  path: string;
  contentType: string;
  body: Buffer;
}

async function startCollector(status = 200): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', contentType: request.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// The exporters read OTEL_* from the process environment, as the specification says; each test sets its own.
const saved = { ...process.env };
let gw: TestGateway | undefined;
let tracing: Tracing | undefined;
afterEach(async () => {
  await gw?.close();
  await tracing?.shutdown();
  gw = tracing = undefined;
  for (const key of Object.keys(process.env)) if (key.startsWith('OTEL_') && !(key in saved)) delete process.env[key];
});

async function traceOneQuery(env: Record<string, string>, logger = createLogger({ level: 'silent' })) {
  Object.assign(process.env, env, { OTEL_BSP_SCHEDULE_DELAY: '10' });
  tracing = startTracing({ env: process.env, logger });
  gw = await startTestGateway(['korint'], { tracer: tracing.tracer });
  const answer = await gw.query('query Traced { invoices(ids: ["korint:Invoice:kor_inv_0001"]) { id } }');
  expect(answer.errors).toBeUndefined();
}

describe('OTEL_EXPORTER_OTLP_PROTOCOL', () => {
  it('defaults to http/protobuf', async () => {
    const collector = await startCollector();
    try {
      await traceOneQuery({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url });
      expect(tracing!.destination).toBe(`OTLP http/protobuf ${collector.url}`);
      await vi.waitFor(() => expect(collector.received.length).toBeGreaterThan(0), { timeout: 10_000, interval: 10 });
      expect(collector.received[0]).toMatchObject({ path: '/v1/traces', contentType: 'application/x-protobuf' });
      // Protobuf carries strings as they are: the operation's span name is in the body, and the body is no JSON.
      expect(collector.received.some((r) => r.body.includes('query Traced'))).toBe(true);
      expect(() => JSON.parse(collector.received[0].body.toString('utf8'))).toThrow();
    } finally {
      await collector.close();
    }
  });

  it('sends JSON with http/json', async () => {
    const collector = await startCollector();
    try {
      await traceOneQuery({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
      await vi.waitFor(() => expect(collector.received.some((r) => r.body.includes('query Traced'))).toBe(true), { timeout: 10_000, interval: 10 });
      const sent = collector.received.find((r) => r.body.includes('query Traced'))!;
      expect(sent.contentType).toBe('application/json');
      expect(JSON.parse(sent.body.toString('utf8')).resourceSpans).toHaveLength(1);
    } finally {
      await collector.close();
    }
  });

  it('prefers the traces variable, and refuses grpc at start', () => {
    expect(otlpProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' })).toBe('http/json');
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, providers)).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL: must be http\/protobuf or http\/json \(grpc is not supported\)/);
  });
});

describe('a failing export', () => {
  it('is logged once at warn with its cause, then counted, however many exports fail', async () => {
    const collector = await startCollector(400);
    const lines: Array<Record<string, any>> = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    try {
      await traceOneQuery({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url }, createLogger({ level: 'info', destination: sink }));
      for (let i = 0; i < 3; i++) {
        await vi.waitFor(() => expect(collector.received.length).toBeGreaterThan(i), { timeout: 10_000, interval: 10 });
        await gw!.query('{ invoices(ids: ["korint:Invoice:kor_inv_0002"]) { id } }');
      }
      await vi.waitFor(() => expect(collector.received.length).toBeGreaterThanOrEqual(4), { timeout: 10_000, interval: 10 });
      const warned = lines.filter((l) => l.level === 40);
      expect(warned).toEqual([expect.objectContaining({ source: 'otlp', code: 'OTLP_EXPORT_FAILED', msg: expect.stringMatching(/^trace export failure \(/) })]);
      await tracing!.shutdown();
      tracing = undefined;
      const repeated = lines.filter((l) => l.msg === 'trace export failure, repeated');
      expect(repeated).toHaveLength(1);
      expect(repeated[0].count).toBe(collector.received.length);
    } finally {
      await collector.close();
    }
  });
});
