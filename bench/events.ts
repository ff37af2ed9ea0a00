// `npm run bench:events`: change-to-delivery latency (p50, p99) per provider for 1,000 subscribers (half SSE, half
// WebSocket) across 3 replicas sharing one redis-server, the gateways' heap per subscriber, and what the providers saw:
// Xero's changes come by webhook (one lookup per delivery), Fragment's and Korint's by polling, and neither costs a call
// per subscriber. Targets: a second after the webhook; one poll interval (EVENTS_POLL_MS) for the polled sources, for
// invoices on the newest page (older ones wait for the sweep). The subscribers run in a worker thread, so the heap
// measured is the gateways' alone (the worker's is its own). Timings belong here, never in the tests.
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { providers } from '../adapters/index.js';
import type { SandboxChange, SandboxChanges } from '../adapters/kit/sandbox-changes.js';
import type { SandboxHandle } from '../adapters/kit/sandbox-server.js';
import type { XeroSandboxHandle } from '../adapters/xero/sandbox/xero-sandbox.js';
import { createGateway, type Gateway } from '../src/gateway.js';
import { createGatewayServers, listen } from '../src/http-server.js';
import { startSandboxes } from '../src/sandboxes.js';
import { createRedisState, type RedisState } from '../src/state/shared-state.js';
import { startRedisServer } from '../test/support/redis-server.js';

const SUBSCRIBERS = Number(process.env.EVENTS_SUBSCRIBERS ?? 1_000);
const REPLICAS = 3;
const ROUNDS = Number(process.env.EVENTS_ROUNDS ?? 5);
const POLL_MS = Number(process.env.EVENTS_POLL_MS ?? 2_000);
const KEY = 'bench-webhook-key-0123456789abcdef';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function main(): Promise<void> {
  const redis = await startRedisServer();
  const sandboxes = await startSandboxes(providers);
  const keyPrefix = `bench-events-${Date.now()}:`;
  const states: RedisState[] = [];
  const gateways: Gateway[] = [];
  const urls: string[] = [];
  const servers = [];
  for (let i = 0; i < REPLICAS; i += 1) {
    const state = createRedisState({ url: redis.url, keyPrefix, replicas: REPLICAS, leaseMs: 5_000 });
    // Every subscriber comes from one loopback address: its per-client bounds are lifted for the run.
    const gateway = createGateway({
      sources: sandboxes.specs,
      state,
      rateLimit: { requestsPerMinute: 1_000_000 },
      events: { xeroWebhookKey: KEY, pollIntervalMs: POLL_MS, pollSweepMs: 600_000, poll: true, maxSubscriptionsPerClient: 100_000 },
    });
    const server = createGatewayServers(gateway, { admin: false, limits: { headersTimeoutMs: 10_000, requestTimeoutMs: 600_000, keepAliveTimeoutMs: 5_000, maxConnections: 10_000, maxConnectionsPerAddress: 10_000, maxHeaderBytes: 16_384 } });
    urls.push(`http://127.0.0.1:${await listen(server.public, 0, '127.0.0.1')}`);
    states.push(state);
    gateways.push(gateway);
    servers.push(server);
  }
  await until(() => states.every((s) => s.report().status === 'connected'), 'Redis');
  const xero = sandboxes.handle<XeroSandboxHandle>('xero');
  const intent = await xero.webhooks.subscribe({ url: `${urls[0]}/webhooks/xero`, key: KEY });
  if (!intent.passed) throw new Error('intent to receive failed');
  await until(async () => (await Promise.all([...gateways[0].events.pollers.values()].map((p) => p.baselineMade()))).every(Boolean), 'poll baselines');

  gc();
  await sleep(200);
  const heapBefore = process.memoryUsage().heapUsed;
  const worker = new Worker(new URL('./events/subscriber-worker.mjs', import.meta.url), { workerData: { urls, count: SUBSCRIBERS } });
  const messages: any[] = [];
  worker.on('message', (m) => messages.push(m));
  await until(() => gateways.reduce((n, g) => n + g.events.hub.size, 0) >= SUBSCRIBERS, `${SUBSCRIBERS} subscribers`);
  gc();
  await sleep(500);
  gc();
  const heapAfter = process.memoryUsage().heapUsed;

  const changes = (kind: string): SandboxChanges => (kind === 'xero' ? xero.changes : sandboxes.handle<SandboxHandle & { changes: SandboxChanges }>(kind).changes);
  for (const h of sandboxes.started) h.handle.calls.reset();
  const made: Array<{ kind: string; change: SandboxChange; at: number }> = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const kind of ['xero', 'fragment', 'korint']) {
      const at = performance.timeOrigin + performance.now();
      made.push({ kind, change: changes(kind).payInvoice(), at });
    }
    // Spread over the poll interval, so the polled changes land at every point of it.
    await sleep(Math.round(POLL_MS * 1.3));
  }
  const expected = made.length * SUBSCRIBERS;
  let report: any;
  await until(async () => {
    worker.postMessage('report');
    await sleep(300);
    report = messages.filter((m) => m.receipts).at(-1);
    const got = report ? report.receipts.reduce((n: number, [, list]: [string, number[]]) => n + list.length, 0) : 0;
    return got >= expected;
  }, 'every event at every subscriber', 120_000);
  const receipts = new Map<string, number[]>(report.receipts);
  const calls = Object.fromEntries(sandboxes.started.map((s) => [s.kind, s.handle.calls.count()]));

  console.log(`bench:events: ${SUBSCRIBERS} subscribers (half SSE, half WebSocket) over ${REPLICAS} replicas, one redis-server;`);
  console.log(`  ${ROUNDS} changes per provider; polled sources every ${POLL_MS} ms (jittered ±10%); Xero by webhook\n`);
  console.log('  provider   delivered        p50 ms    p99 ms   max ms   target');
  for (const kind of ['xero', 'fragment', 'korint']) {
    const latencies: number[] = [];
    let delivered = 0;
    for (const m of made.filter((x) => x.kind === kind)) {
      const list = receipts.get(`${kind}:Invoice:${m.change.invoiceId}`) ?? [];
      delivered += list.length;
      for (const t of list) latencies.push(t - m.at);
    }
    latencies.sort((a, b) => a - b);
    const target = kind === 'xero' ? '1000 ms' : `${POLL_MS} ms`;
    console.log(
      `  ${kind.padEnd(9)}  ${`${delivered}/${ROUNDS * SUBSCRIBERS}`.padEnd(15)}  ${percentile(latencies, 50).toFixed(0).padStart(7)}  ${percentile(latencies, 99).toFixed(0).padStart(8)}  ${latencies.at(-1)!.toFixed(0).padStart(7)}   ${target}`,
    );
  }
  const duplicates = [...receipts.values()].filter((list) => list.length > SUBSCRIBERS).length;
  console.log(`\n  events received more than once by a subscriber: ${duplicates}; error results: ${report.errors}`);
  console.log(`  gateways' heap per subscriber: ${((heapAfter - heapBefore) / SUBSCRIBERS / 1024).toFixed(1)} KiB (3 replicas together, after GC)`);
  console.log(`  provider calls while ${made.length} changes reached ${SUBSCRIBERS} subscribers each:`);
  console.log(`    xero ${calls.xero} (webhook lookups: ${ROUNDS} deliveries), fragment ${calls.fragment}, korint ${calls.korint} (polls by the lease holder, independent of subscribers)`);

  worker.postMessage('stop');
  await sleep(500);
  await worker.terminate();
  xero.webhooks.unsubscribe();
  for (const g of gateways) await g.close();
  for (const s of servers) {
    s.public.closeAllConnections();
    s.public.close();
  }
  for (const s of states) await s.close();
  await sandboxes.close();
  await redis.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
