// `npm run bench:hostile`: the abusive operations of issues 9 and 17 against the gateway over real HTTP, with its default
// limits, and a few legitimate large ones beside them. For each: the time to the answer (median of HOSTILE_ROUNDS, 5),
// the HTTP status, the error code and the limit named, the upstream calls the sandboxes saw per request, the process's
// RSS before, at its peak during the request (Linux's VmHWM, reset before each request) and after (after a forced
// collection: run with --expose-gc, as the npm script does), and the delay of a canary: `{ __typename }` sent every
// 10 ms on its own connection while the operation runs, each delay counted from when it was due (so a blocked event
// loop shows in full).
// The sandboxes run in this process too, so the RSS is theirs and the gateway's together. Targets (issue 17): refusal
// under 100 ms, peak RSS growth under 50 MB, canary under 100 ms. Exits 1 when an abusive operation is not refused
// before execution or makes an upstream call, or a legitimate one is not answered in full.
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import type { XeroSandboxHandle } from '../adapters/xero/sandbox/xero-sandbox.js';
import { DEFAULT_LIMITS, DEFAULT_RATE_LIMIT } from '../src/limits/limit-settings.js';
import {
  aliasedListsQuery,
  aliasedLookupsQuery,
  batchCycleQuery,
  batchFanOutQuery,
  deepDocument,
  entitiesFloodQuery,
  fragmentChainQuery,
  introspectionFloodQuery,
} from '../test/support/hostile-queries.js';
import { liftXeroSandboxBudget, startBenchStack, XERO_BENCH_SETTINGS, type BenchStack } from './support/bench-stack.js';
import { postGraphQL } from './support/graphql-client.js';
import { PROVIDER_KINDS, seededInvoiceIds } from './support/seeded-ids.js';
import { sampleMemory } from './soak/memory-sampler.js';

const ROUNDS = Number(process.env.HOSTILE_ROUNDS ?? 5);
const TARGET = { refusalMs: 100, peakGrowthMb: 50, canaryMs: 100 };

interface Row {
  name: string;
  body: string;
  /** `refused`: before execution, no upstream call; `answered`: in full, without errors. */
  expect: 'refused' | 'answered';
}

function rows(stack: BenchStack): Row[] {
  const { batches } = stack.sandbox<XeroSandboxHandle>('xero').dataset();
  const batch = `xero:BatchPayment:${batches[0].id}`;
  const largest = [...batches].sort((a, b) => b.paymentIds.length - a.paymentIds.length)[0];
  const batchCopies = Array(1000).fill(`xero:BatchPayment:${largest.id}`);
  const fragment1000 = [...seededInvoiceIds(stack, 'fragment', 600), ...Array.from({ length: 400 }, (_, i) => `fragment:Invoice:inv_x${i}`)];
  const xero1000 = Array.from({ length: 1000 }, (_, i) => `xero:Invoice:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  const mixed1000 = [...seededInvoiceIds(stack, 'fragment', 600), ...seededInvoiceIds(stack, 'korint', 200), ...seededInvoiceIds(stack, 'xero', 200)];
  const [invoice] = seededInvoiceIds(stack, 'fragment', 1);
  const representations = Array.from({ length: 10_000 }, () => ({ __typename: 'Invoice', id: invoice }));
  const json = (query: string, variables?: Record<string, unknown>) => JSON.stringify({ query, variables });
  return [
    { name: '20-level payments/batch cycle', body: json(batchCycleQuery(batch, 20)), expect: 'refused' },
    { name: '16-level payments/batch cycle', body: json(batchCycleQuery(batch, 16)), expect: 'refused' },
    { name: '100,000 aliases', body: json(aliasedLookupsQuery(['fragment:Invoice:inv_0001'], 100_000)), expect: 'refused' },
    { name: '100 aliases x 1000 ids ($ids)', body: json(aliasedListsQuery(100), { ids: mixed1000 }), expect: 'refused' },
    { name: '20 lists of 1000 Fragment ids', body: json(aliasedListsQuery(20), { ids: fragment1000 }), expect: 'refused' },
    { name: '3 x 1000 Xero ids', body: json(aliasedListsQuery(3), { ids: xero1000 }), expect: 'refused' },
    { name: '2,000-level document', body: json(deepDocument(2000)), expect: 'refused' },
    { name: '2,000 __typename x 1000 batch copies', body: json(batchFanOutQuery(2000, '__typename'), { ids: batchCopies }), expect: 'refused' },
    { name: '400 __typename x 1000 batch copies', body: json(batchFanOutQuery(400, '__typename'), { ids: batchCopies }), expect: 'refused' },
    ...[1, 10, 100, 200, 498].map(
      (aliases): Row => ({ name: `${aliases} aliased id x 1000 batch copies`, body: json(batchFanOutQuery(aliases, 'id'), { ids: batchCopies }), expect: 'refused' }),
    ),
    { name: '_entities 10,000 copies x 499 aliases', body: json(entitiesFloodQuery(499), { representations }), expect: 'refused' },
    { name: '499 aliased __schema', body: json(introspectionFloodQuery(499)), expect: 'refused' },
    { name: 'depth 2 via 7 chained fragments', body: json(fragmentChainQuery(invoice, 7)), expect: 'answered' },
    { name: '1000 batch copies { id __typename }', body: json(`query($ids: [ID!]!) { batchPaymentsByIds(ids: $ids) { id __typename } }`, { ids: batchCopies }), expect: 'answered' },
    {
      name: '1000 ids, documented selection',
      body: json(
        `query($ids: [ID!]!) { invoices(ids: $ids) { id status total { amount currency } amountDue { amount } balances { currency net { remaining { amount } } } } }`,
        { ids: fragment1000 },
      ),
      expect: 'answered',
    },
  ];
}

const NORMAL = (stack: BenchStack) =>
  JSON.stringify({
    query: `query($ids: [ID!]!) { invoices(ids: $ids) { id status total { amount currency } } }`,
    variables: { ids: PROVIDER_KINDS.flatMap((kind) => seededInvoiceIds(stack, kind, 3)) },
  });
const CANARY = JSON.stringify({ query: '{ __typename }' });

const upstreamCalls = (stack: BenchStack) => PROVIDER_KINDS.reduce((sum, kind) => sum + stack.sandbox(kind).calls.count(), 0);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)}`;

/** Resets the process's peak RSS (Linux); false where /proc cannot do it. */
function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** The process's peak RSS since the last reset, in bytes (Linux's VmHWM); the current RSS elsewhere. */
function peakRss(): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // not Linux
  }
  return process.memoryUsage().rss;
}

/** Sends the canary every 10 ms until `stop`; answers the worst delay, counted from when each was due. */
async function canaryWhile(url: string, dispatcher: Agent, running: Promise<unknown>): Promise<number> {
  let stopped = false;
  void running.finally(() => (stopped = true));
  const started = performance.now();
  const sent: Array<Promise<number>> = [];
  for (let k = 0; !stopped; k += 1) {
    const due = started + k * 10;
    sent.push(postGraphQL(url, CANARY, dispatcher).then(() => performance.now() - due));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due + 10 - performance.now())));
  }
  return Math.max(0, ...(await Promise.all(sent)));
}

async function main(): Promise<number> {
  setTimeout(() => {
    console.error('bench:hostile: still running after 10 minutes, giving up');
    process.exit(3);
  }, 600_000).unref();
  // The real limits: the defaults, the per-client upstream budgets included (the bench stack lifts those otherwise),
  // but for the requests per minute: the bench sends a few hundred a minute from one address, and the rows must meet
  // their own limits, not that one. Xero's own 60 a minute is lifted: the normal queries sent after each abusive one
  // would otherwise wait for it.
  const stack = await startBenchStack({ rateLimit: { ...DEFAULT_RATE_LIMIT, requestsPerMinute: 1_000_000 }, settings: { xero: XERO_BENCH_SETTINGS } });
  liftXeroSandboxBudget(stack);
  const client = new Agent({ connections: 1 });
  // The canary is another client, from another address (its own requests in flight).
  const canaryClient = new Agent({ connections: 16, connect: { localAddress: '127.0.0.2' } });
  let ok = true;
  const misses: string[] = [];
  try {
    const normal = NORMAL(stack);
    await postGraphQL(stack.url, normal, client); // warm-up: tokens, connections, JIT
    await postGraphQL(stack.url, CANARY, canaryClient);
    const start = sampleMemory();
    const peaks = resetPeakRss();
    console.log(`limits: ${JSON.stringify(DEFAULT_LIMITS)}`);
    console.log(`RSS at start ${mb(start.rss)} MB (heap ${mb(start.heapUsed)} MB); ${ROUNDS} rounds each, median times; peak RSS ${peaks ? 'from VmHWM' : 'not measurable here'}`);
    console.log(
      ['operation'.padEnd(38), 'doc'.padStart(7), 'status', 'code / limit'.padEnd(46), 'answer in', 'calls', 'RSS before/peak/after MB', 'canary max', 'next query'].join('  '),
    );
    for (const row of rows(stack)) {
      const before = sampleMemory();
      const times: number[] = [];
      const canaries: number[] = [];
      const after: number[] = [];
      let peak = 0;
      let status = 0;
      let code = '';
      let calls = 0;
      let answered = true;
      for (let round = 0; round < ROUNDS; round++) {
        for (const kind of PROVIDER_KINDS) stack.sandbox(kind).calls.reset();
        (globalThis as { gc?: () => void }).gc?.();
        resetPeakRss();
        const started = performance.now();
        const request = postGraphQL(stack.url, row.body, client);
        const [result, canary] = await Promise.all([request, canaryWhile(stack.url, canaryClient, request)]);
        times.push(performance.now() - started);
        canaries.push(canary);
        peak = Math.max(peak, peakRss());
        calls += upstreamCalls(stack);
        status = result.status;
        const error = result.answer.errors?.[0];
        code = `${error?.extensions?.code ?? '-'} / ${error?.extensions?.limit ?? '-'}`;
        if (result.answer.errors || result.status !== 200) answered = false;
        const nextStarted = performance.now();
        const next = await postGraphQL(stack.url, normal, client);
        after.push(performance.now() - nextStarted);
        if (next.answer.errors || next.answer.data?.invoices?.length !== 9) ok = false;
      }
      const memory = sampleMemory();
      // Refused before execution: by a limit of ours (400), by the nesting guard before parsing (400, a parse error),
      // or by the body limit before it is read (413).
      const refused = (status === 400 && /^(QUERY_TOO_COMPLEX|GRAPHQL_PARSE_FAILED)/.test(code)) || status === 413;
      if (row.expect === 'refused' && (!refused || calls !== 0)) ok = false;
      if (row.expect === 'answered' && !answered) ok = false;
      const growth = (peak - before.rss) / 1024 / 1024;
      if (row.expect === 'refused' && median(times) >= TARGET.refusalMs) misses.push(`${row.name}: refusal ${median(times).toFixed(0)} ms`);
      if (growth >= TARGET.peakGrowthMb) misses.push(`${row.name}: peak RSS +${growth.toFixed(0)} MB`);
      if (Math.max(...canaries) >= TARGET.canaryMs) misses.push(`${row.name}: canary ${Math.max(...canaries).toFixed(0)} ms`);
      console.log(
        [
          row.name.padEnd(38),
          `${(row.body.length / 1024).toFixed(0)} KB`.padStart(7),
          String(status).padStart(6),
          (row.expect === 'answered' && answered ? 'answered in full' : code).padEnd(46),
          `${median(times).toFixed(1)} ms`.padStart(9),
          String(calls / ROUNDS).padStart(5),
          `${mb(before.rss)} / ${mb(peak)} / ${mb(memory.rss)}`.padStart(24),
          `${Math.max(...canaries).toFixed(1)} ms`.padStart(10),
          `${median(after).toFixed(1)} ms`.padStart(10),
        ].join('  '),
      );
    }
    const end = sampleMemory();
    console.log(`RSS at end ${mb(end.rss)} MB (heap ${mb(end.heapUsed)} MB)`);
    console.log(`every abusive operation refused before execution with no upstream call, every legitimate one answered: ${ok ? 'yes' : 'NO'}`);
    console.log(
      `targets (refusal < ${TARGET.refusalMs} ms, peak RSS growth < ${TARGET.peakGrowthMb} MB, canary < ${TARGET.canaryMs} ms): ${misses.length === 0 ? 'all met' : `missed: ${misses.join('; ')}`}`,
    );
  } finally {
    await client.close();
    await canaryClient.close();
    await stack.close();
  }
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
