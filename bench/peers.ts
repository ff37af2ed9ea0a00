// `npm run bench:peers`: this gateway beside Hive Gateway (GraphQL Mesh over the mock's OpenAPI) and a minimal
// graphql-yoga + DataLoader server, over one loopback mock of Fragment's wire (bench/peers/fragment-wire-mock.ts).
//
// Each server is its own process, pinned to core 1 (`taskset`, when present); the mock and autocannon share core 0.
// Before anything is timed, the three servers' answers to the three queries are compared amount by amount. Then, for
// ROUNDS rounds, each query is sent to each server in turn (the order rotates every round) over 10 connections: as many
// requests as that server answered in DURATION seconds of warm-up (a fixed count, so none is in flight at the end).
// The server's CPU time (utime + stime from /proc) is divided by the requests it answered: the figure that survives a
// shared machine. Then a run at one connection with 20 ms added to every batch-get gives p50 against the mock's own
// round trip. Ratios are printed as the median of the per-round ratios, with their min..max.
//
// Flags: --rounds N (5), --duration S (5), --latency-duration S (5: 125 requests), --json FILE (the figures as JSON),
// --gateway-root DIR (run the gateway of another checkout, e.g. main's, for a before/after in one run).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { request } from 'undici';
import { mockInvoiceIds } from './peers/mock-invoices.js';
import { composeSupergraph, cpuMs, ensureHiveInstalled, freePort, gatewayOverMockEnv, HAS_TASKSET, memoryMb, startChild, startFlags, type Child } from './peers/processes.js';
import { amountsOf, BENCH_QUERIES, differences, type BenchQuery, type ServerKind } from './peers/queries.js';

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    duration: { type: 'string', default: '5' },
    'latency-duration': { type: 'string', default: '5' },
    json: { type: 'string' },
    'gateway-root': { type: 'string' },
  },
});
const ROUNDS = Number(flags.rounds);
const DURATION = Number(flags.duration);
const LATENCY_DURATION = Number(flags['latency-duration']);
const CONNECTIONS = 10;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HIVE_DIR = fileURLToPath(new URL('./peers/hive', import.meta.url));
const SERVER_CORE = 1;
const DRIVER_CORE = 0;
const KINDS: ServerKind[] = ['gateway', 'hive', 'yoga'];
const LABEL: Record<ServerKind, string> = { gateway: 'this gateway', hive: 'Hive Gateway', yoga: 'minimal yoga' };

interface Sample {
  cpuMsPerRequest: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  upstreamCallsPerRequest: number;
  requests: number;
  failures: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const spread = (values: number[], digits = 2) => `${Math.min(...values).toFixed(digits)}..${Math.max(...values).toFixed(digits)}`;

async function mockControl(mockUrl: string, method: 'GET' | 'DELETE' | 'PUT', path: string, body?: unknown): Promise<any> {
  const res = await request(`${mockUrl}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return res.body.json();
}

const GATEWAY_ROOT = flags['gateway-root'] ?? ROOT;

/**
 * The gateway's entry as `npm start` runs it: the compiled build, built first when stale, with the node flags of the
 * start script; a checkout without a build runs on tsx.
 */
function gatewayArgs(): string[] {
  if (existsSync(`${GATEWAY_ROOT}/scripts/build-if-stale.mjs`)) {
    const built = spawnSync(process.execPath, [`${GATEWAY_ROOT}/scripts/build-if-stale.mjs`], { cwd: GATEWAY_ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('the build failed');
    return [...startFlags(GATEWAY_ROOT), `${GATEWAY_ROOT}/dist/src/main.js`];
  }
  return ['--import', 'tsx', `${GATEWAY_ROOT}/src/main.ts`];
}

async function startServers(mockUrl: string): Promise<Record<ServerKind, Child>> {
  const ports = { gateway: await freePort(), hive: await freePort(), yoga: await freePort() };
  const url = (port: number) => `http://127.0.0.1:${port}/graphql`;
  const gateway = await startChild({
    name: 'gateway',
    args: gatewayArgs(),
    cwd: GATEWAY_ROOT,
    core: SERVER_CORE,
    url: url(ports.gateway),
    graphql: true,
    env: { ...gatewayOverMockEnv(ports.gateway, mockUrl), HOST: '127.0.0.1' },
  });
  const hive = await startChild({
    name: 'hive',
    args: [`${HIVE_DIR}/node_modules/@graphql-hive/gateway/dist/bin.js`, 'supergraph', '--port', String(ports.hive), '--host', '127.0.0.1'],
    cwd: HIVE_DIR,
    core: SERVER_CORE,
    url: url(ports.hive),
    graphql: true,
    env: { NODE_ENV: 'production' },
  });
  const yoga = await startChild({
    name: 'yoga',
    args: ['--import', 'tsx', `${ROOT}/bench/peers/yoga-server.ts`],
    cwd: ROOT,
    core: SERVER_CORE,
    url: url(ports.yoga),
    graphql: true,
    env: { PORT: String(ports.yoga), MOCK_URL: mockUrl, NODE_ENV: 'production' },
  });
  return { gateway, hive, yoga };
}

async function post(url: string, body: string): Promise<any> {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** Refuses to time anything unless all three servers answer every query with the same amounts. */
async function checkAnswers(servers: Record<ServerKind, Child>): Promise<void> {
  for (const query of BENCH_QUERIES) {
    const answers = {} as Record<ServerKind, Map<string, string>>;
    for (const kind of KINDS) answers[kind] = amountsOf(kind, query, await post(servers[kind].url, query.body[kind]));
    for (const kind of ['hive', 'yoga'] as const) {
      const diff = differences(answers.gateway, answers[kind]);
      if (diff.length > 0) throw new Error(`"${query.name}": ${LABEL[kind]} differs from this gateway:\n${diff.slice(0, 5).join('\n')}`);
    }
    console.log(`answers agree: ${query.name} (${query.ids.length} invoices, amounts compared value by value)`);
  }
}

/** Sends `body` for `seconds`, or exactly `amount` requests when given (so no request is in flight when CPU is read). */
async function load(url: string, body: string, connections: number, limit: { seconds: number } | { amount: number }): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body,
    connections,
    timeout: 60,
    ...('amount' in limit ? { amount: limit.amount } : { duration: limit.seconds }),
  });
}

async function measure(server: Child, body: string, mockUrl: string, amount: number, connections: number): Promise<Sample> {
  await mockControl(mockUrl, 'DELETE', '/_bench/calls');
  const before = cpuMs(server.pid);
  const started = performance.now();
  const result = await load(server.url, body, connections, { amount });
  const cpu = cpuMs(server.pid) - before;
  const seconds = (performance.now() - started) / 1000;
  const calls = (await mockControl(mockUrl, 'GET', '/_bench/calls')).batchGets as number;
  const answered = result.requests.total;
  return {
    cpuMsPerRequest: cpu / Math.max(1, answered),
    requestsPerSecond: answered / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    upstreamCallsPerRequest: calls / Math.max(1, answered),
    requests: answered,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/** The mock's own round trip for a 100-id batch-get, from this process, at the latency it is set to. */
async function mockRoundTrip(mockUrl: string): Promise<number> {
  const body = JSON.stringify({ ids: mockInvoiceIds(100) });
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const started = performance.now();
    const res = await request(`${mockUrl}/invoices/batch-get`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer bench-token' },
      body,
    });
    JSON.parse(await res.body.text());
    times.push(performance.now() - started);
  }
  return median(times);
}

async function main(): Promise<void> {
  if (HAS_TASKSET) spawnSync('taskset', ['-pc', String(DRIVER_CORE), String(process.pid)], { stdio: 'ignore' });
  ensureHiveInstalled(HIVE_DIR);
  const mockPort = await freePort();
  const mock = await startChild({
    name: 'mock',
    args: ['--import', 'tsx', `${ROOT}/bench/peers/fragment-wire-mock.ts`],
    cwd: ROOT,
    core: DRIVER_CORE,
    url: `http://127.0.0.1:${mockPort}`,
    graphql: false,
    env: { PORT: String(mockPort) },
  });
  const mockUrl = mock.url;
  composeSupergraph(HIVE_DIR, mockUrl);
  let servers: Record<ServerKind, Child> | undefined;
  try {
    servers = await startServers(mockUrl);
    await checkAnswers(servers);
    const key = (query: BenchQuery, kind: ServerKind) => `${query.name}|${kind}`;
    const idle = Object.fromEntries(KINDS.map((k) => [k, memoryMb(servers![k].pid, 'VmRSS')]));

    // Warm-up, which also sizes each measurement: as many requests as the server answered in DURATION seconds.
    console.log(`\nwarming up (${KINDS.length * BENCH_QUERIES.length} x 3 s) ...`);
    const amounts = new Map<string, number>();
    for (const query of BENCH_QUERIES) {
      for (const kind of KINDS) {
        const warm = await load(servers[kind].url, query.body[kind], CONNECTIONS, { seconds: 3 });
        amounts.set(key(query, kind), Math.max(4 * CONNECTIONS, Math.ceil((warm.requests.total / 3) * DURATION)));
      }
    }

    const samples = new Map<string, Sample[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const query of BENCH_QUERIES) {
        // Rotate who goes first, so no server always runs right after the same neighbour.
        const order = KINDS.map((_, i) => KINDS[(i + round) % KINDS.length]);
        for (const kind of order) {
          const sample = await measure(servers[kind], query.body[kind], mockUrl, amounts.get(key(query, kind))!, CONNECTIONS);
          samples.set(key(query, kind), [...(samples.get(key(query, kind)) ?? []), sample]);
        }
      }
      console.log(`round ${round + 1}/${ROUNDS} done`);
    }
    const peakRss = Object.fromEntries(KINDS.map((k) => [k, memoryMb(servers![k].pid, 'VmHWM')])) as Record<ServerKind, number>;

    await mockControl(mockUrl, 'PUT', '/_bench/latency', { latencyMs: 20 });
    const roundTrip = await mockRoundTrip(mockUrl);
    const latency = {} as Record<ServerKind, Sample>;
    for (const kind of KINDS) latency[kind] = await measure(servers[kind], BENCH_QUERIES[0].body[kind], mockUrl, Math.ceil(LATENCY_DURATION * 25), 1);
    await mockControl(mockUrl, 'PUT', '/_bench/latency', { latencyMs: 0 });

    report(samples, key, latency, roundTrip, peakRss, idle);
  } finally {
    for (const child of Object.values(servers ?? {})) await child.stop();
    await mock.stop();
  }
}

function report(
  samples: Map<string, Sample[]>,
  key: (query: BenchQuery, kind: ServerKind) => string,
  latency: Record<ServerKind, Sample>,
  roundTrip: number,
  peakRss: Record<ServerKind, number>,
  idle: Record<string, number>,
): void {
  const lines: string[] = [];
  const figures: Record<string, unknown> = { rounds: ROUNDS, durationSeconds: DURATION, connections: CONNECTIONS, pinned: HAS_TASKSET, queries: {} };
  lines.push('', `bench:peers — ${ROUNDS} rounds x ${DURATION} s per server and query, ${CONNECTIONS} connections, server pinned to core ${SERVER_CORE}${HAS_TASKSET ? '' : ' (taskset missing: not pinned)'}`);
  for (const query of BENCH_QUERIES) {
    lines.push('', `${query.name}`);
    lines.push(`  ${'server'.padEnd(14)}${'CPU ms/req (min..max)'.padStart(26)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'calls/req'.padStart(11)}${'failed'.padStart(8)}`);
    const perKind = {} as Record<ServerKind, Sample[]>;
    for (const kind of KINDS) {
      const s = (perKind[kind] = samples.get(key(query, kind)) ?? []);
      const cpu = s.map((x) => x.cpuMsPerRequest);
      lines.push(
        `  ${LABEL[kind].padEnd(14)}${`${median(cpu).toFixed(2)} (${spread(cpu)})`.padStart(26)}${median(s.map((x) => x.requestsPerSecond)).toFixed(0).padStart(9)}` +
          `${median(s.map((x) => x.p50)).toFixed(1).padStart(9)}${median(s.map((x) => x.p99)).toFixed(1).padStart(9)}` +
          `${median(s.map((x) => x.upstreamCallsPerRequest)).toFixed(2).padStart(11)}${String(s.reduce((n, x) => n + x.failures, 0)).padStart(8)}`,
      );
    }
    const ratios = (peer: ServerKind) => perKind.gateway.map((s, i) => s.cpuMsPerRequest / perKind[peer][i].cpuMsPerRequest);
    const hive = ratios('hive');
    const yoga = ratios('yoga');
    lines.push(`  CPU ours/Hive ${median(hive).toFixed(2)} (${spread(hive)}; target <= 0.5)   ours/yoga ${median(yoga).toFixed(2)} (${spread(yoga)}; target <= 1.0)`);
    (figures.queries as Record<string, unknown>)[query.name] = { samples: perKind, ratioHive: median(hive), ratioHiveSpread: spread(hive), ratioYoga: median(yoga), ratioYogaSpread: spread(yoga) };
  }
  lines.push('', `20 ms upstream, 1 connection, "${BENCH_QUERIES[0].name}": the mock's own round trip ${roundTrip.toFixed(1)} ms`);
  for (const kind of KINDS) {
    const s = latency[kind];
    lines.push(`  ${LABEL[kind].padEnd(14)} p50 ${s.p50.toFixed(1)} ms = ${(s.p50 / roundTrip).toFixed(2)} x round trip${kind === 'gateway' ? ' (target <= 1.15)' : ''}   p99 ${s.p99.toFixed(1)} ms`);
  }
  lines.push('', 'memory (MB): idle RSS after start / peak RSS (VmHWM) under 10 connections');
  for (const kind of KINDS) lines.push(`  ${LABEL[kind].padEnd(14)} ${idle[kind].toFixed(0).padStart(5)} / ${peakRss[kind].toFixed(0).padStart(5)}${kind === 'gateway' ? ' (target <= 250)' : ''}`);
  lines.push('', 'summary (markdown, as in docs/performance.md)', ...summaryTable(samples, key, latency, roundTrip, peakRss));
  console.log(lines.join('\n'));
  Object.assign(figures, { latency, roundTrip, peakRss, idle });
  if (flags.json) {
    mkdirSync(dirname(flags.json), { recursive: true });
    writeFileSync(flags.json, JSON.stringify(figures, null, 2));
  }
}

/** One markdown table of the run: CPU, p50 and p99 per query and server, the ratios, the latency block and peak RSS. */
function summaryTable(
  samples: Map<string, Sample[]>,
  key: (query: BenchQuery, kind: ServerKind) => string,
  latency: Record<ServerKind, Sample>,
  roundTrip: number,
  peakRss: Record<ServerKind, number>,
): string[] {
  const rows = ['| | this gateway | Hive Gateway | minimal yoga | ours / Hive | ours / yoga |', '|---|---|---|---|---|---|'];
  const cell = (s: Sample[]) => `${median(s.map((x) => x.cpuMsPerRequest)).toFixed(2)} ms (p50 ${median(s.map((x) => x.p50)).toFixed(0)}, p99 ${median(s.map((x) => x.p99)).toFixed(0)})`;
  for (const query of BENCH_QUERIES) {
    const per = Object.fromEntries(KINDS.map((k) => [k, samples.get(key(query, k)) ?? []])) as Record<ServerKind, Sample[]>;
    const ratio = (peer: ServerKind) => median(per.gateway.map((s, i) => s.cpuMsPerRequest / per[peer][i].cpuMsPerRequest)).toFixed(2);
    rows.push(`| CPU per request, ${query.name} | ${cell(per.gateway)} | ${cell(per.hive)} | ${cell(per.yoga)} | ${ratio('hive')} | ${ratio('yoga')} |`);
  }
  const p50 = (k: ServerKind) => `${latency[k].p50.toFixed(1)} ms = ${(latency[k].p50 / roundTrip).toFixed(2)} x`;
  rows.push(`| p50 at 20 ms upstream (round trip ${roundTrip.toFixed(1)} ms) | ${p50('gateway')} | ${p50('hive')} | ${p50('yoga')} | | |`);
  const rss = (k: ServerKind) => peakRss[k].toFixed(0);
  rows.push(
    `| peak RSS under load (MB) | ${rss('gateway')} | ${rss('hive')} | ${rss('yoga')} | ${(peakRss.gateway / peakRss.hive).toFixed(2)} | ${(peakRss.gateway / peakRss.yoga).toFixed(2)} |`,
  );
  return rows;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
