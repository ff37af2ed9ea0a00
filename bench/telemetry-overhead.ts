// `npm run bench:telemetry`: what tracing costs. The same query mix (one lookup across the three providers) is sent over
// HTTP to the gateway with tracing off (no OTEL endpoint: no SDK registered, no tracing hook installed) and on (the
// OTel SDK exporting every span with OTLP/HTTP to a receiver on loopback), in alternating rounds over the same
// sandboxes. Prints, per mode, the median CPU time of the whole process per request (gateway, sandboxes and receiver
// together, the same work in both modes) and requests per second, and the ratios on/off.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { startTracing } from '../src/telemetry/tracing.js';
import { XERO_BENCH_SETTINGS, liftXeroSandboxBudget, startBenchStack } from './support/bench-stack.js';
import { postGraphQL } from './support/graphql-client.js';
import { seededInvoiceIds } from './support/seeded-ids.js';

const REQUESTS = Number(process.env.TELEMETRY_REQUESTS ?? 600);
const ROUNDS = Number(process.env.TELEMETRY_ROUNDS ?? 4);
const CONCURRENCY = 8;

type Mode = 'off' | 'on';

async function startReceiver(): Promise<{ url: string; bytes: () => number; close: () => Promise<void> }> {
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bytes: () => bytes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function round(mode: Mode, receiverUrl: string): Promise<{ cpuUsPerRequest: number; perSecond: number; errors: number }> {
  // The exporter reads its endpoint from the process environment, as in production.
  if (mode === 'on') process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiverUrl;
  const tracing = startTracing({ env: process.env });
  const stack = await startBenchStack({ tracer: tracing.tracer, settings: { xero: XERO_BENCH_SETTINGS } });
  liftXeroSandboxBudget(stack);
  const ids = (['fragment', 'korint', 'xero'] as const).flatMap((kind) => seededInvoiceIds(stack, kind, 3));
  const body = JSON.stringify({ query: 'query Mix($ids: [ID!]!) { invoices(ids: $ids) { id status total { amount currency } } }', variables: { ids } });
  const client = new Agent({ connections: CONCURRENCY });
  let errors = 0;
  let next = 0;
  await postGraphQL(stack.url, body, client); // warm-up: tokens, connections
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) {
        const { answer } = await postGraphQL(stack.url, body, client);
        if (answer.errors) errors += 1;
      }
    }),
  );
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await client.close();
  await stack.close();
  await tracing.shutdown();
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return { cpuUsPerRequest: (used.user + used.system) / REQUESTS, perSecond: (REQUESTS / ms) * 1000, errors };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const receiver = await startReceiver();
const results: Record<Mode, Array<{ cpuUsPerRequest: number; perSecond: number }>> = { off: [], on: [] };
for (let i = 0; i < ROUNDS; i++) {
  for (const mode of (i % 2 === 0 ? ['off', 'on'] : ['on', 'off']) as Mode[]) {
    const result = await round(mode, receiver.url);
    if (result.errors) throw new Error(`${result.errors} answers with errors in mode ${mode}`);
    results[mode].push(result);
  }
}
await receiver.close();
if (receiver.bytes() === 0) throw new Error('tracing on exported nothing');

const summary = Object.fromEntries(
  (['off', 'on'] as Mode[]).map((mode) => [
    mode,
    { cpuUsPerRequest: Math.round(median(results[mode].map((r) => r.cpuUsPerRequest))), perSecond: Math.round(median(results[mode].map((r) => r.perSecond))) },
  ]),
) as Record<Mode, { cpuUsPerRequest: number; perSecond: number }>;
console.log(`${REQUESTS} requests x ${ROUNDS} rounds per mode, ${CONCURRENCY} connections, 3 ids per provider per request`);
console.table(summary);
console.log(
  `tracing on/off: CPU per request ${(summary.on.cpuUsPerRequest / summary.off.cpuUsPerRequest).toFixed(2)}x, ` +
    `throughput ${(summary.on.perSecond / summary.off.perSecond).toFixed(2)}x (OTLP bytes received: ${receiver.bytes()})`,
);
