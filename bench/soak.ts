// `npm run bench:soak`: SOAK_SECONDS (60) of mixed queries from SOAK_CONCURRENCY (8) clients against the gateway over
// every sandbox, while about a fifth of upstream data calls fail in rotating ways (each provider also gets healthy
// phases, and the run opens with a calm phase without any) and one more client keeps hanging up on 1000-id queries. The report shows whether the process's memory stays
// steady, every error carries a design code, none is masked, and no circuit opens in a phase where its provider carried
// no fault (client aborts are never a provider's failure); it exits 1 when one does not. An opening on timeouts right
// after this process stalled for a whole call timeout is reported apart: the sandboxes share its event loop.
//
// Load comes from autocannon: a maintained load generator that holds a fixed number of keep-alive connections, builds
// each request with `setupRequest` (so every request can carry another query) and hands each answer's body to
// `onResponse` (so every error can be read). It runs in this process, without workers, so its callbacks share the
// tallies; its own memory is part of what is measured, and it is bounded (fixed histograms, one request per connection).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pino from 'pino';
import { XERO_BENCH_SETTINGS, liftXeroSandboxBudget, startBenchStack, type BenchStack } from './support/bench-stack.js';
import { GRAPHQL_HEADERS, postGraphQL } from './support/graphql-client.js';
import { PROVIDER_KINDS, seededInvoiceIds } from './support/seeded-ids.js';
import { startAbortingClients } from './soak/aborting-clients.js';
import { NO_FAULT, startFaultSchedule, type FaultPhase } from './soak/fault-schedule.js';
import { memoryCheckpoints, memorySlopePerMinute, sampleMemory, startMemorySampler } from './soak/memory-sampler.js';
import { createQueryStream, EXPECTED_CLIENT_CODES, oneOfEach, type IdPool } from './soak/query-mix.js';
import { createResponseTally } from './soak/response-tally.js';

function intFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

const SECONDS = intFromEnv('SOAK_SECONDS', 60, 5, 3_600);
const CONCURRENCY = intFromEnv('SOAK_CONCURRENCY', 8, 1, 256);
const FAULT_RATE = 0.2;
// A client that hangs up on 1000-id queries after 20-300 ms, a few times a second, all run long (issue 10): never a
// provider's fault. The sandboxes share this process, so each abandoned query still costs it the providers' work.
const ABORTING_CLIENTS = { concurrency: 1, abortAfterMs: [20, 300] as [number, number], pauseMs: 200, ids: 1000 };
const FAULT_PHASE_MS = 3_000;
// The run opens with every provider healthy while the aborting client and the mix run: no circuit may open then.
const CALM_MS = 5_000;
const MAX_HEAP_RATIO = 1.5;
// Settings a production deployment could run with, tighter than the defaults so a fault costs a request little.
const UPSTREAM_TIMEOUT_MS = 500;
const REQUEST_TIMEOUT_MS = 3_000;
// Production's 30 s cool-down would turn one unlucky run of failures into half a minute of one source answering
// UPSTREAM_UNAVAILABLE; a short one lets the soak see circuits open, probe and close several times.
const CIRCUIT = { failureThreshold: 5, coolDownMs: 5_000 };
// Memory is sampled after the warm-up (JIT, pools, caches, first tokens), every second until the load stops.
const WARMUP_SECONDS = Math.min(15, Math.max(2, Math.round(SECONDS / 6)));

const MB = 1024 * 1024;
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const pct = (part: number, whole: number) => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Anything the gateway lets escape: counted, never fatal, so the run can report it.
const escaped = { unhandledRejections: 0, uncaughtExceptions: 0, examples: [] as string[] };
process.on('unhandledRejection', (reason) => {
  escaped.unhandledRejections += 1;
  if (escaped.examples.length < 5) escaped.examples.push(`unhandledRejection: ${reason instanceof Error ? reason.stack : String(reason)}`);
});
process.on('uncaughtException', (error) => {
  escaped.uncaughtExceptions += 1;
  if (escaped.examples.length < 5) escaped.examples.push(`uncaughtException: ${error.stack ?? error.message}`);
});

// The gateway logs every masked error with its cause; the soak keeps the first few to say what to fix.
const maskedLog = { count: 0, examples: [] as string[] };
const logger = pino(
  { level: 'error' },
  {
    write(line: string) {
      const entry = JSON.parse(line) as { msg?: string; err?: { type?: string; message?: string; stack?: string }; path?: unknown };
      if (entry.msg !== 'masked error') return;
      maskedLog.count += 1;
      if (maskedLog.examples.length < 5) maskedLog.examples.push(`${JSON.stringify(entry.path)} ${entry.err?.type}: ${entry.err?.message}\n${entry.err?.stack ?? ''}`);
    },
  },
);

/** Payment and batch payment ids, read through the gateway before any fault. */
async function discoverIds(stack: BenchStack): Promise<IdPool> {
  const invoices = {
    fragment: seededInvoiceIds(stack, 'fragment', 600),
    korint: seededInvoiceIds(stack, 'korint', 200),
    xero: seededInvoiceIds(stack, 'xero', 300),
  };
  const { answer: paid } = await postGraphQL(stack.url, {
    query: `query($ids: [ID!]!) { invoices(ids: $ids) { payments { id } } }`,
    variables: { ids: [...invoices.fragment.slice(0, 60), ...invoices.xero.slice(0, 60)] },
  });
  const { answer: batches } = await postGraphQL(stack.url, { query: `{ batchPayments(first: 100) { edges { node { id } } } }` });
  if (paid.errors || batches.errors) throw new Error(`discovery failed: ${JSON.stringify(paid.errors ?? batches.errors)}`);
  const payments = (paid.data.invoices as Array<{ payments: Array<{ id: string }> }>).flatMap((i) => i.payments.map((p) => p.id));
  const batchPayments = (batches.data.batchPayments.edges as Array<{ node: { id: string } }>).map((e) => e.node.id);
  if (payments.length === 0 || batchPayments.length === 0) throw new Error('the sandboxes hold no payments or batch payments');
  return { invoices, payments, batchPayments };
}

/** Every kind of the mix once, without faults: it answers, and only with the errors it asks for. */
async function preflight(stack: BenchStack, pool: IdPool): Promise<void> {
  for (const request of oneOfEach(pool)) {
    const { answer } = await postGraphQL(stack.url, request.body);
    const unexpected = (answer.errors ?? []).filter((e) => !EXPECTED_CLIENT_CODES[request.kind]?.includes(e.extensions?.code));
    if (unexpected.length > 0 || answer.data == null) {
      throw new Error(`preflight: ${request.kind} answered ${JSON.stringify(answer.errors)} to ${request.body.slice(0, 300)}`);
    }
  }
}

/** Counts the sandboxes' calls per route every second and empties their logs, which would otherwise grow all run. */
function startCallCounter(stack: BenchStack) {
  const counts: Record<string, Record<string, number>> = Object.fromEntries(PROVIDER_KINDS.map((k) => [k, {}]));
  const drain = () => {
    for (const kind of PROVIDER_KINDS) {
      const log = stack.sandbox(kind).calls;
      for (const call of log.list()) counts[kind][call.name] = (counts[kind][call.name] ?? 0) + 1;
      log.reset();
    }
  };
  const timer = setInterval(drain, 1_000);
  return { counts, stop: () => (clearInterval(timer), drain()) };
}

/**
 * Watches each source's circuit every 100 ms: how often it was seen opening (when, and on which error), and how long it
 * stayed open. Also notes the ticks that came late: the gateway, the sandboxes and the load generator share one event
 * loop, and a stalled loop makes healthy calls miss their timeout.
 */
function startCircuitWatch(stack: BenchStack) {
  const circuits: Record<string, { opened: number; secondsOpen: number; last: string; openedAt: number[]; codes: Array<string | null> }> = {};
  const stalls: Array<{ at: number; lagMs: number }> = [];
  const tickMs = 100;
  let lastTick = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    if (now - lastTick - tickMs > 50) stalls.push({ at: now, lagMs: now - lastTick - tickMs });
    lastTick = now;
    for (const source of stack.gateway.registry.list()) {
      const health = source.health.current();
      const state = health.circuit;
      const entry = (circuits[source.name] ??= { opened: 0, secondsOpen: 0, last: 'CLOSED', openedAt: [], codes: [] });
      if (state === 'OPEN') {
        entry.secondsOpen += tickMs / 1000;
        if (entry.last !== 'OPEN') {
          entry.opened += 1;
          entry.openedAt.push(now);
          entry.codes.push(health.lastErrorCode);
        }
      }
      entry.last = state;
    }
  }, tickMs);
  return { circuits, stalls, stop: () => clearInterval(timer) };
}

interface Opening {
  source: string;
  atSecond: number;
  phase: number;
  lastErrorCode: string | null;
}

/**
 * Circuit openings during a phase in which that provider carried no fault (only aborting clients and healthy traffic
 * touched it), past a grace period for calls started under the previous phase's fault to end. An opening on timeouts
 * right after the process itself stalled for a whole call timeout or more is told apart: the in-process sandbox could
 * not answer in time, but neither it nor the clients were at fault; the host was starved.
 */
function openingsWithoutFault(
  circuits: Record<string, { openedAt: number[]; codes: Array<string | null> }>,
  phases: readonly FaultPhase[],
  stalls: ReadonlyArray<{ at: number; lagMs: number }>,
  options: { graceMs: number; stallMs: number },
): { unexplained: Opening[]; afterStall: Opening[] } {
  const unexplained: Opening[] = [];
  const afterStall: Opening[] = [];
  const first = phases[0]?.startedAt ?? 0;
  for (const [source, circuit] of Object.entries(circuits)) {
    for (const [n, at] of circuit.openedAt.entries()) {
      const index = phases.findLastIndex((p) => p.startedAt <= at);
      const phase = phases[index];
      if (!phase || phase.faults[source] !== NO_FAULT || at - phase.startedAt <= options.graceMs) continue;
      const opening = { source, atSecond: Math.round((at - first) / 100) / 10, phase: index, lastErrorCode: circuit.codes[n] };
      const stalled = stalls.some((s) => s.lagMs >= options.stallMs && s.at >= at - 2_000 && s.at <= at + 200);
      (opening.lastErrorCode === 'UPSTREAM_TIMEOUT' && stalled ? afterStall : unexplained).push(opening);
    }
  }
  return { unexplained, afterStall };
}

async function main(): Promise<number> {
  // Bounded whatever happens: a stuck run ends itself well after its planned duration.
  setTimeout(() => {
    console.error(`soak: still running ${SECONDS + 120} s after start, giving up`);
    process.exit(3);
  }, (SECONDS + 120) * 1_000).unref();

  const stack = await startBenchStack({
    upstreamTimeoutMs: UPSTREAM_TIMEOUT_MS,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    connectTimeoutMs: 1_000,
    circuit: CIRCUIT,
    logger,
    settings: { xero: XERO_BENCH_SETTINGS },
  });
  liftXeroSandboxBudget(stack);
  try {
    const pool = await discoverIds(stack);
    await preflight(stack, pool);
    for (const kind of PROVIDER_KINDS) stack.sandbox(kind).calls.reset();
    const createdBefore = (stack.sandbox('fragment') as unknown as { store: { invoiceCount(): number } }).store.invoiceCount();

    const tally = createResponseTally();
    const stream = createQueryStream(pool);
    let sent = 0;
    const callCounter = startCallCounter(stack);
    const circuitWatch = startCircuitWatch(stack);
    const faults = startFaultSchedule(stack, { rate: FAULT_RATE, phaseMs: FAULT_PHASE_MS, upstreamTimeoutMs: UPSTREAM_TIMEOUT_MS, calmMs: CALM_MS });
    const aborting = startAbortingClients(stack.url, pool, ABORTING_CLIENTS);
    // Everything shares one event loop: a stalled loop makes healthy calls miss their timeout, so the report shows it.
    const loopDelay = monitorEventLoopDelay({ resolution: 20 });
    loopDelay.enable();
    let sampler: ReturnType<typeof startMemorySampler> | undefined;
    const warmup = setTimeout(() => (sampler = startMemorySampler(1_000)), WARMUP_SECONDS * 1_000);

    console.log(`soak: ${SECONDS} s, ${CONCURRENCY} connections to ${stack.url}, ${FAULT_RATE * 100}% of upstream data calls faulted, warm-up ${WARMUP_SECONDS} s`);
    const load = await autocannon({
      url: stack.url,
      connections: CONCURRENCY,
      duration: SECONDS,
      // Well beyond the gateway's own deadline: a client timeout here would mean the deadline did not hold.
      timeout: Math.ceil((REQUEST_TIMEOUT_MS * 3) / 1_000),
      requests: [
        {
          method: 'POST',
          path: '/graphql',
          headers: GRAPHQL_HEADERS,
          setupRequest: (request, context) => {
            const next = stream.next();
            sent += 1;
            (context as { kind?: string }).kind = next.kind;
            return { ...request, body: next.body };
          },
          onResponse: (status, body, context) => tally.record((context as { kind?: string }).kind ?? '?', status, body),
        },
      ],
    });
    clearTimeout(warmup);
    // The memory series ends with the load, before the fault schedule and the counters stop.
    const samplerDone = sampler as ReturnType<typeof startMemorySampler> | undefined;
    samplerDone?.stop();
    await aborting.stop();
    loopDelay.disable();
    faults.stop();
    callCounter.stop();
    circuitWatch.stop();
    // A call started under a phase's fault ends within one call timeout (plus a retry's backoff) of the next phase.
    const openings = openingsWithoutFault(circuitWatch.circuits, faults.phases, circuitWatch.stalls, {
      graceMs: UPSTREAM_TIMEOUT_MS * 2,
      stallMs: UPSTREAM_TIMEOUT_MS,
    });
    await sleep(1_000);
    const afterLoad = sampleMemory();
    const created =
      (stack.sandbox('fragment') as unknown as { store: { invoiceCount(): number } }).store.invoiceCount() - createdBefore;

    const summary = tally.summary();
    const samples = samplerDone?.samples ?? [];
    const heap = memoryCheckpoints(samples, 'heapUsed');
    const rss = memoryCheckpoints(samples, 'rss');
    const heapSlope = memorySlopePerMinute(samples, 'heapUsed');
    const rssSlope = memorySlopePerMinute(samples, 'rss');
    const a = summary.anomalies;
    const verdicts = {
      // Without forced collections the heap figures are mostly garbage not yet collected: no verdict can rest on them.
      memorySteady: (samplerDone?.afterGc ?? false) && samples.length >= 3 && heap.endOverStart < MAX_HEAP_RATIO,
      everyErrorCoded: a.uncoded === 0 && a.unknownCode === 0 && a.upstreamWithoutSource === 0 && a.rateLimitedWithoutRetryAfter === 0,
      noMaskedError: a.masked === 0 && maskedLog.count === 0,
      noUnhandledRejection: escaped.unhandledRejections === 0 && escaped.uncaughtExceptions === 0,
      everyAnswerGraphQL: a.notGraphQL === 0 && load.timeouts === 0,
      noProviderTextLeaked: a.leak === 0,
      // A provider's failure reported as the caller's fault (NOT_FOUND, BAD_USER_INPUT) would be a wrong code.
      clientCodesOnlyWhereAsked: a.unexpectedClientCode === 0,
      // Clients giving up (and healthy traffic) never open a circuit: only a provider fault may.
      noCircuitOpenedWithoutFault: openings.unexplained.length === 0,
    };
    const report = {
      startedAt: load.start,
      finishedAt: load.finish,
      node: process.version,
      settings: {
        seconds: SECONDS, concurrency: CONCURRENCY, warmupSeconds: WARMUP_SECONDS, faultRate: FAULT_RATE, faultPhaseMs: FAULT_PHASE_MS,
        upstreamTimeoutMs: UPSTREAM_TIMEOUT_MS, requestTimeoutMs: REQUEST_TIMEOUT_MS, circuit: CIRCUIT, maxHeapRatio: MAX_HEAP_RATIO,
        gcBeforeSamples: samplerDone?.afterGc ?? false,
      },
      load: {
        sent,
        answered: summary.responses,
        clientErrors: load.errors,
        clientTimeouts: load.timeouts,
        requestsPerSecond: Math.round(summary.responses / load.duration),
        latencyMs: { p50: load.latency.p50, p90: load.latency.p90, p99: load.latency.p99, max: load.latency.max },
      },
      outcomes: summary.byOutcome,
      httpStatus: summary.byStatus,
      outcomesByKind: summary.byKind,
      upstream: {
        sandboxCallsByRoute: callCounter.counts,
        gatewayCountedCalls: summary.upstream,
        faultPhases: faults.phases,
        circuits: Object.fromEntries(
          Object.entries(circuitWatch.circuits).map(([name, c]) => [name, { opened: c.opened, secondsOpen: Math.round(c.secondsOpen * 10) / 10 }]),
        ),
        openingsWithoutFault: openings.unexplained,
        openingsAfterHostStall: openings.afterStall,
        hostStalls: { count: circuitWatch.stalls.length, maxMs: Math.max(0, ...circuitWatch.stalls.map((s) => s.lagMs)) },
        abortingClients: { ...ABORTING_CLIENTS, ...aborting.counts },
        eventLoopDelayMs: { p50: Math.round(loopDelay.percentile(50) / 1e6), p99: Math.round(loopDelay.percentile(99) / 1e6), max: Math.round(loopDelay.max / 1e6) },
        fragmentInvoicesCreated: created,
      },
      errors: { total: summary.errors, byCodeAndSource: summary.codes, byKindAndCode: summary.codesByKind, anomalies: summary.anomalies, maskedInLog: maskedLog.count },
      escaped: { unhandledRejections: escaped.unhandledRejections, uncaughtExceptions: escaped.uncaughtExceptions },
      memory: {
        samples: samples.length,
        heapUsed: { ...heap, slopePerMinute: heapSlope },
        rss: { ...rss, slopePerMinute: rssSlope },
        afterLoad: { heapUsed: afterLoad.heapUsed, rss: afterLoad.rss },
        series: samples,
      },
      examples: { anomalies: summary.examples, maskedLog: maskedLog.examples, escaped: escaped.examples },
      verdicts,
    };

    printReport(report);
    const here = dirname(fileURLToPath(import.meta.url));
    const file = join(here, 'reports', `soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`report written to ${file}`);
    return Object.values(verdicts).every(Boolean) ? 0 : 1;
  } finally {
    await stack.close();
  }
}

type Report = {
  settings: { seconds: number; concurrency: number; faultRate: number; faultPhaseMs: number; warmupSeconds: number; gcBeforeSamples: boolean; maxHeapRatio: number };
  load: { sent: number; answered: number; clientErrors: number; clientTimeouts: number; requestsPerSecond: number; latencyMs: Record<string, number> };
  outcomes: Record<string, number>;
  httpStatus: Record<string, number>;
  outcomesByKind: Record<string, Record<string, number>>;
  upstream: {
    sandboxCallsByRoute: Record<string, Record<string, number>>;
    gatewayCountedCalls: Record<string, { calls: number; failedCalls: number; errors: number }>;
    faultPhases: readonly unknown[];
    circuits: Record<string, { opened: number; secondsOpen: number }>;
    openingsWithoutFault: Opening[];
    openingsAfterHostStall: Opening[];
    hostStalls: { count: number; maxMs: number };
    eventLoopDelayMs: { p50: number; p99: number; max: number };
    abortingClients: { concurrency: number; sent: number; aborted: number; answeredFirst: number };
    fragmentInvoicesCreated: number;
  };
  errors: { total: number; byCodeAndSource: Record<string, Record<string, number>>; anomalies: Record<string, number>; maskedInLog: number };
  escaped: { unhandledRejections: number; uncaughtExceptions: number };
  memory: {
    samples: number;
    heapUsed: { start: number; middle: number; end: number; endOverStart: number; slopePerMinute: number };
    rss: { start: number; middle: number; end: number; endOverStart: number; slopePerMinute: number };
    afterLoad: { heapUsed: number; rss: number };
  };
  examples: { anomalies: unknown[]; maskedLog: string[]; escaped: string[] };
  verdicts: Record<string, boolean>;
};

function printReport(r: Report): void {
  const s = r.settings;
  const lines: string[] = [];
  lines.push('', `=== soak report: ${s.seconds} s, ${s.concurrency} connections, ${s.faultRate * 100}% of upstream data calls faulted, faults rotating every ${s.faultPhaseMs / 1000} s (${r.upstream.faultPhases.length} phases) ===`);
  lines.push(`requests: sent ${r.load.sent}, answered ${r.load.answered} (${r.load.requestsPerSecond}/s); client errors ${r.load.clientErrors}, client timeouts ${r.load.clientTimeouts}`);
  lines.push(`latency: p50 ${r.load.latencyMs.p50} ms, p90 ${r.load.latencyMs.p90} ms, p99 ${r.load.latencyMs.p99} ms, max ${r.load.latencyMs.max} ms`);
  const answered = r.load.answered;
  lines.push(`outcomes: ${Object.entries(r.outcomes).map(([k, v]) => `${k} ${v} (${pct(v, answered)})`).join(', ')}; HTTP ${Object.entries(r.httpStatus).map(([k, v]) => `${k}: ${v}`).join(', ')}`);
  for (const [kind, outcomes] of Object.entries(r.outcomesByKind).sort()) {
    lines.push(`  ${kind.padEnd(26)} ${Object.entries(outcomes).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  lines.push('upstream data calls (sandbox logs) and failed calls (as the gateway counted them in extensions.upstream):');
  for (const kind of PROVIDER_KINDS) {
    const routes = r.upstream.sandboxCallsByRoute[kind] ?? {};
    const g = r.upstream.gatewayCountedCalls[kind] ?? { calls: 0, failedCalls: 0, errors: 0 };
    const c = r.upstream.circuits[kind] ?? { opened: 0, secondsOpen: 0 };
    lines.push(`  ${kind.padEnd(9)} ${Object.entries(routes).map(([k, v]) => `${k} ${v}`).join(', ')}; gateway: ${g.calls} calls, ${g.failedCalls} failed (${pct(g.failedCalls, g.calls)}), circuit seen opening ${c.opened}x, open ${c.secondsOpen} s`);
  }
  const lag = r.upstream.eventLoopDelayMs;
  lines.push(`event loop delay (gateway, sandboxes and load generator share it): p50 ${lag.p50} ms, p99 ${lag.p99} ms, max ${lag.max} ms`);
  const ab = r.upstream.abortingClients;
  lines.push(`aborting clients: ${ab.concurrency} loop(s) sent ${ab.sent} queries of 1000 ids, hung up on ${ab.aborted} (${ab.answeredFirst} answered first)`);
  const describeOpening = (o: Opening) => ` [${o.source} at ${o.atSecond} s, phase ${o.phase}, last error ${o.lastErrorCode}]`;
  lines.push(`circuit openings in a phase without a fault for that provider: ${r.upstream.openingsWithoutFault.length}${r.upstream.openingsWithoutFault.map(describeOpening).join('')}`);
  lines.push(`  and on timeouts right after the host stalled (event loop late by a whole call timeout or more; ${r.upstream.hostStalls.count} late ticks, worst ${r.upstream.hostStalls.maxMs} ms): ${r.upstream.openingsAfterHostStall.length}${r.upstream.openingsAfterHostStall.map(describeOpening).join('')}`);
  lines.push(`  Fragment invoices created: ${r.upstream.fragmentInvoicesCreated}`);
  lines.push(`errors in answers: ${r.errors.total}, by code and source:`);
  for (const [code, bySource] of Object.entries(r.errors.byCodeAndSource).sort()) {
    lines.push(`  ${code.padEnd(24)} ${Object.entries(bySource).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  const a = r.errors.anomalies;
  lines.push(`masked errors: ${a.masked} (masked-error log lines: ${r.errors.maskedInLog}); errors without a code: ${a.uncoded}; codes outside the design: ${a.unknownCode}; upstream errors without a source: ${a.upstreamWithoutSource}; rate limits without retryAfter: ${a.rateLimitedWithoutRetryAfter}`);
  lines.push(`provider text in an error: ${a.leak}; client codes where none was asked for: ${a.unexpectedClientCode}; answers that were not GraphQL: ${a.notGraphQL}`);
  lines.push(`unhandled rejections: ${r.escaped.unhandledRejections}; uncaught exceptions: ${r.escaped.uncaughtExceptions}`);
  const m = r.memory;
  const gcNote = s.gcBeforeSamples ? 'each after a full GC' : 'WITHOUT forced GC (run with --expose-gc for comparable figures)';
  lines.push(`memory over the steady phase (${m.samples} samples from ${s.warmupSeconds} s on, ${gcNote}; each point the mean of 3 samples):`);
  lines.push(`  heapUsed start ${mb(m.heapUsed.start)}, middle ${mb(m.heapUsed.middle)}, end ${mb(m.heapUsed.end)}; end/start ${m.heapUsed.endOverStart.toFixed(3)}; trend ${(m.heapUsed.slopePerMinute / MB).toFixed(2)} MB/min`);
  lines.push(`  rss      start ${mb(m.rss.start)}, middle ${mb(m.rss.middle)}, end ${mb(m.rss.end)}; end/start ${m.rss.endOverStart.toFixed(3)}; trend ${(m.rss.slopePerMinute / MB).toFixed(2)} MB/min`);
  lines.push(`  1 s after the load stopped: heapUsed ${mb(m.afterLoad.heapUsed)}, rss ${mb(m.afterLoad.rss)}`);
  const v = r.verdicts;
  const mark = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  lines.push(
    `verdict: memory steady ${mark(v.memorySteady)} (heap end/start ${m.heapUsed.endOverStart.toFixed(3)} < ${s.maxHeapRatio}${s.gcBeforeSamples ? '' : ', needs --expose-gc'}) | every error coded ${mark(v.everyErrorCoded)} | no masked error ${mark(v.noMaskedError)} | no unhandled rejection ${mark(v.noUnhandledRejection)} | every answer GraphQL ${mark(v.everyAnswerGraphQL)} | no provider text leaked ${mark(v.noProviderTextLeaked)} | client codes only where asked ${mark(v.clientCodesOnlyWhereAsked)} | no circuit opened without a provider fault ${mark(v.noCircuitOpenedWithoutFault)}`,
  );
  if (r.examples.anomalies.length > 0) lines.push('anomaly examples:', ...r.examples.anomalies.map((e) => `  ${JSON.stringify(e)}`));
  if (r.examples.maskedLog.length > 0) lines.push('masked errors as logged:', ...r.examples.maskedLog.map((e) => `  ${e}`));
  if (r.examples.escaped.length > 0) lines.push('escaped errors:', ...r.examples.escaped.map((e) => `  ${e}`));
  console.log(lines.join('\n'));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('soak failed:', error instanceof Error ? error.stack : error);
    process.exit(2);
  },
);
