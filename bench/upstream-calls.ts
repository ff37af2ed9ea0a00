// `npm run bench:calls`: what batching saves. The same invoice lookups (Fragment, Korint and Xero ids, mixed) asked as
// ONE `invoices(ids:)` query, and as one GraphQL request per id (what a gateway without batching makes a frontend do).
// Counts the upstream calls each way from the sandboxes' call logs and times both, in the same run, against the same
// sandboxes, in alternating order over a few rounds; prints medians and the ratios batched/naive, once at loopback speed
// and once with 50 ms added to every upstream call (closer to a real provider).
//
// The naive client is a small bounded loop over undici's `request` with a fixed concurrency (CALLS_CONCURRENCY, 8): it
// sends a fixed list once and stops, which needs no load generator.
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { createSeededRandom } from '../adapters/kit/sandbox-server.js';
import { XERO_BENCH_SETTINGS, liftXeroSandboxBudget, startBenchStack, type BenchStack } from './support/bench-stack.js';
import { postGraphQL } from './support/graphql-client.js';
import { DATA_ROUTES, PROVIDER_KINDS, seededInvoiceIds, type ProviderKind } from './support/seeded-ids.js';

const COUNTS: Record<ProviderKind, number> = { fragment: 450, korint: 120, xero: 120 };
const ROUNDS = Number(process.env.CALLS_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.CALLS_CONCURRENCY ?? 8);
// Loopback sandboxes answer in about a millisecond, which flatters the naive way; a real provider takes tens of ms.
const LATENCIES_MS = [0, 50];
const FIELDS = `id status providerStatus currency total { amount currency minorUnits } amountDue { amount currency }`;

interface Measure {
  ms: number;
  calls: Record<ProviderKind, number>;
  /** The answer per id, as JSON text, for comparing both ways. */
  answers: Map<string, string>;
  errors: number;
}

/** Data calls each sandbox served since the last reset (token calls left out: both ways reuse one token). */
function dataCalls(stack: BenchStack): Record<ProviderKind, number> {
  return Object.fromEntries(
    PROVIDER_KINDS.map((kind) => [kind, stack.sandbox(kind).calls.list().filter((c) => c.name !== 'token').length]),
  ) as Record<ProviderKind, number>;
}

function resetCalls(stack: BenchStack): void {
  for (const kind of PROVIDER_KINDS) stack.sandbox(kind).calls.reset();
}

async function batched(stack: BenchStack, ids: string[], client: Agent): Promise<Measure> {
  resetCalls(stack);
  const started = performance.now();
  const { answer } = await postGraphQL(stack.url, { query: `query($ids: [ID!]!) { invoices(ids: $ids) { ${FIELDS} } }`, variables: { ids } }, client);
  const ms = performance.now() - started;
  const answers = new Map<string, string>();
  (answer.data?.invoices as unknown[] | undefined)?.forEach((invoice, i) => answers.set(ids[i], JSON.stringify(invoice)));
  return { ms, calls: dataCalls(stack), answers, errors: answer.errors?.length ?? 0 };
}

async function naive(stack: BenchStack, ids: string[], client: Agent): Promise<Measure> {
  resetCalls(stack);
  const answers = new Map<string, string>();
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      const { answer } = await postGraphQL(stack.url, { query: `query($id: ID!) { invoice(id: $id) { ${FIELDS} } }`, variables: { id } }, client);
      errors += answer.errors?.length ?? 0;
      answers.set(id, JSON.stringify(answer.data?.invoice ?? null));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const ms = performance.now() - started;
  return { ms, calls: dataCalls(stack), answers, errors };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const total = (calls: Record<ProviderKind, number>) => PROVIDER_KINDS.reduce((sum, kind) => sum + calls[kind], 0);

/** Both ways, ROUNDS times, with `latencyMs` added to every upstream data call; prints the figures, answers success. */
async function scenario(stack: BenchStack, ids: string[], client: Agent, latencyMs: number): Promise<boolean> {
  for (const kind of PROVIDER_KINDS) {
    stack.sandbox(kind).faults.clear();
    if (latencyMs > 0) stack.sandbox(kind).faults.inject({ latencyMs, routes: DATA_ROUTES[kind] });
  }
  const runs: Array<{ batched: Measure; naive: Measure }> = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so neither always runs on the warmer process.
    if (round % 2 === 0) {
      const b = await batched(stack, ids, client);
      runs.push({ batched: b, naive: await naive(stack, ids, client) });
    } else {
      const n = await naive(stack, ids, client);
      runs.push({ batched: await batched(stack, ids, client), naive: n });
    }
  }
  for (const kind of PROVIDER_KINDS) stack.sandbox(kind).faults.clear();

  const mismatches = runs.flatMap((run) => ids.filter((id) => run.batched.answers.get(id) !== run.naive.answers.get(id)));
  const errors = runs.reduce((sum, run) => sum + run.batched.errors + run.naive.errors, 0);
  const callsOf = (way: 'batched' | 'naive', kind?: ProviderKind) => median(runs.map((run) => (kind ? run[way].calls[kind] : total(run[way].calls))));
  const msOf = (way: 'batched' | 'naive') => median(runs.map((run) => run[way].ms));
  const row = (label: string, b: string, n: string, ratio: number) => `${label.padEnd(16)}${b.padStart(10)}${n.padStart(10)}${ratio.toFixed(4).padStart(16)}`;

  const lines = [
    '',
    `--- upstream answering ${latencyMs === 0 ? 'at loopback speed (sandboxes add no latency)' : `${latencyMs} ms slower per call (injected by the sandboxes)`} ---`,
    `${'upstream calls'.padEnd(16)}${'batched'.padStart(10)}${'naive'.padStart(10)}${'batched/naive'.padStart(16)}`,
    ...[...PROVIDER_KINDS, undefined].map((kind) => {
      const b = callsOf('batched', kind);
      const n = callsOf('naive', kind);
      return row(kind ?? 'all', String(b), String(n), b / n);
    }),
    row('wall time', `${msOf('batched').toFixed(0)} ms`, `${msOf('naive').toFixed(0)} ms`, msOf('batched') / msOf('naive')),
    `per round (batched / naive ms): ${runs.map((run) => `${run.batched.ms.toFixed(0)} / ${run.naive.ms.toFixed(0)}`).join(', ')}`,
    `at Xero's real budget of 60 calls a minute per tenant, the ${COUNTS.xero} Xero lookups cost ${callsOf('batched', 'xero')} calls batched and ${callsOf('naive', 'xero')} naive (${(callsOf('naive', 'xero') / 60).toFixed(1)} minutes of budget)`,
    `answers identical both ways: ${mismatches.length === 0 ? 'yes' : `NO, ${mismatches.length} differ (first: ${mismatches[0]})`}; errors: ${errors}`,
  ];
  console.log(lines.join('\n'));
  return mismatches.length === 0 && errors === 0;
}

async function main(): Promise<number> {
  setTimeout(() => {
    console.error('bench:calls: still running after 5 minutes, giving up');
    process.exit(3);
  }, 300_000).unref();
  if (!Number.isInteger(ROUNDS) || ROUNDS < 1 || !Number.isInteger(CONCURRENCY) || CONCURRENCY < 1) {
    console.error('CALLS_ROUNDS and CALLS_CONCURRENCY must be positive integers');
    return 2;
  }
  // Xero's 60-a-minute budget lifted (see bench/support/bench-stack.ts): otherwise the naive way would measure the
  // limiter's queue; what that budget means for each way is printed below instead.
  const stack = await startBenchStack({ settings: { xero: XERO_BENCH_SETTINGS } });
  liftXeroSandboxBudget(stack);
  const client = new Agent({ connections: CONCURRENCY });
  try {
    const random = createSeededRandom(42);
    const ids = PROVIDER_KINDS.flatMap((kind) => seededInvoiceIds(stack, kind, COUNTS[kind]))
      .map((id) => ({ id, order: random() }))
      .sort((a, b) => a.order - b.order)
      .map((entry) => entry.id);

    // Warm-up, not measured: tokens, connections, JIT, both code paths.
    await batched(stack, ids, client);
    await naive(stack, ids.slice(0, 60), client);

    let ok = true;
    console.log(
      `\n=== upstream calls: ${ids.length} invoice lookups (${PROVIDER_KINDS.map((k) => `${COUNTS[k]} ${k}`).join(', ')}), ${ROUNDS} rounds each, medians ===`,
    );
    console.log(`batched: 1 GraphQL request  (invoices(ids:) with ${ids.length} ids)`);
    console.log(`naive:   ${ids.length} GraphQL requests (invoice(id:) each, ${CONCURRENCY} at a time)`);
    for (const latencyMs of LATENCIES_MS) ok = (await scenario(stack, ids, client, latencyMs)) && ok;
    return ok ? 0 : 1;
  } finally {
    await client.close();
    await stack.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench:calls failed:', error instanceof Error ? error.stack : error);
    process.exit(2);
  },
);
