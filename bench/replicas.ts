// `npm run bench:replicas`: 1, 2 and 3 gateway replicas sharing one Redis and one Xero sandbox tenant, under the same
// load per replica; prints the queries answered per second and what the provider saw (peak in flight, peak starts in
// one window, 429s). The quota, not the replica count, is the ceiling: with Redis the provider never sees more than its
// limits however many replicas run. The last rows run without Redis (each replica keeping its own limits, as before
// REDIS_URL): one replica (the peer for Redis's own cost) and three (what sharing prevents). The tenant's "minute" is shortened to WINDOW_MS (2 s) in both the adapter and the sandbox,
// with the same 60-per-window limit, so a run takes seconds.
import { performance } from 'node:perf_hooks';
import { xeroProvider } from '../adapters/xero/provider.js';
import type { XeroSandboxHandle } from '../adapters/xero/sandbox/xero-sandbox.js';
import { createGateway, type Gateway } from '../src/gateway.js';
import { startSandboxes } from '../src/sandboxes.js';
import { createMemoryState, createRedisState, type SharedState } from '../src/state/shared-state.js';
import { startRedisServer } from '../test/support/redis-server.js';

const SECONDS = Number(process.env.REPLICAS_SECONDS ?? 8);
const CLIENTS_PER_REPLICA = Number(process.env.REPLICAS_CLIENTS ?? 8);
const WINDOW_MS = 2_000;
const PER_WINDOW = 60;
const LATENCY_MS = 40;
const QUERY = `query ($ids: [ID!]!) { invoices(ids: $ids) { id number amountDue { amount currency } } }`;

interface Row {
  label: string;
  queries: number;
  failed: number;
  qps: number;
  callsPerSecond: number;
  peakInFlight: number;
  peakPerWindow: number;
  refused429: number;
}

async function run(label: string, replicas: number, redisUrl: string | undefined): Promise<Row> {
  const sandboxes = await startSandboxes([xeroProvider]);
  const sandbox = sandboxes.handle<XeroSandboxHandle>('xero');
  Object.assign(sandbox.limits, { minuteMs: WINDOW_MS, perMinute: PER_WINDOW });
  sandbox.latencyMs = LATENCY_MS;
  const spec = sandboxes.specs[0];
  const keyPrefix = `bench-${Date.now()}-${replicas}:`;
  const states: SharedState[] = [];
  const gateways: Gateway[] = [];
  for (let i = 0; i < replicas; i += 1) {
    const state = redisUrl ? createRedisState({ url: redisUrl, keyPrefix, replicas }) : createMemoryState();
    states.push(state);
    gateways.push(
      createGateway({
        sources: [{ ...spec, settings: { ...spec.settings, rateWindowMs: WINDOW_MS, perMinuteLimit: PER_WINDOW, rateWindowMarginMs: 0 } }],
        state,
      }),
    );
  }
  while (redisUrl && states.some((s) => s.report().status !== 'connected')) await new Promise((r) => setTimeout(r, 20));
  sandbox.resetLimits();
  sandbox.calls.reset();
  const ids = sandbox.dataset().invoices.map((invoice) => `xero:Invoice:${invoice.id}`);
  let queries = 0;
  let failed = 0;
  const started = performance.now();
  const until = started + SECONDS * 1000;
  await Promise.all(
    gateways.flatMap((gateway, g) =>
      Array.from({ length: CLIENTS_PER_REPLICA }, async (_, c) => {
        for (let q = 0; performance.now() < until; q += 1) {
          const offset = (g * 97 + c * 13 + q * 3) % (ids.length - 3);
          const response = await gateway.yoga.fetch('http://bench.test/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: QUERY, variables: { ids: ids.slice(offset, offset + 3) } }),
          });
          const answer = (await response.json()) as { errors?: unknown[] };
          queries += 1;
          if (answer.errors) failed += 1;
        }
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const seen = sandbox.observedLimits(sandbox.tenants[0]);
  const row: Row = {
    label,
    queries,
    failed,
    qps: Math.round((queries / seconds) * 10) / 10,
    callsPerSecond: Math.round((sandbox.calls.count('invoices') / seconds) * 10) / 10,
    peakInFlight: seen.peakInFlight,
    peakPerWindow: seen.peakPerMinute,
    refused429: sandbox.calls.list().filter((call) => call.status === 429).length,
  };
  for (const gateway of gateways) await gateway.close();
  for (const state of states) await state.close();
  await sandboxes.close();
  return row;
}

async function main(): Promise<void> {
  const redis = await startRedisServer();
  const rows: Row[] = [];
  try {
    for (const n of [1, 2, 3]) rows.push(await run(`${n} replica${n > 1 ? 's' : ''}, Redis`, n, redis.url));
    rows.push(await run('1 replica, no Redis', 1, undefined));
    rows.push(await run('3 replicas, no Redis', 3, undefined));
  } finally {
    await redis.close();
  }
  console.log(
    `Xero tenant limits: 5 in flight, ${PER_WINDOW} per ${WINDOW_MS} ms window; ${LATENCY_MS} ms per call; ` +
      `${CLIENTS_PER_REPLICA} clients per replica, ${SECONDS} s each, 3 invoices (one Xero call) per query`,
  );
  console.table(rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
