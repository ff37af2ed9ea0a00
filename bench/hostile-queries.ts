// `npm run bench:hostile`: the abusive operations of issue 9 against the gateway over real HTTP, with its default
// limits. For each: the time to the answer (median of HOSTILE_ROUNDS, 5), the HTTP status, the error code and the
// limit named, the upstream calls the sandboxes saw, the time of a normal query sent right after, and the process's
// RSS before and after (after a forced collection: run with --expose-gc, as the npm script does). The sandboxes run
// in this process too, so the RSS is theirs and the gateway's together. Exits 1 when an abusive operation is not
// refused before execution or makes an upstream call.
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import type { XeroSandboxHandle } from '../adapters/xero/sandbox/xero-sandbox.js';
import { DEFAULT_LIMITS, DEFAULT_RATE_LIMIT } from '../src/limits/limit-settings.js';
import { aliasedListsQuery, aliasedLookupsQuery, batchCycleQuery, deepDocument } from '../test/support/hostile-queries.js';
import { liftXeroSandboxBudget, startBenchStack, XERO_BENCH_SETTINGS, type BenchStack } from './support/bench-stack.js';
import { postGraphQL } from './support/graphql-client.js';
import { PROVIDER_KINDS, seededInvoiceIds } from './support/seeded-ids.js';
import { sampleMemory } from './soak/memory-sampler.js';

const ROUNDS = Number(process.env.HOSTILE_ROUNDS ?? 5);

interface Hostile {
  name: string;
  body: string;
}

function hostileQueries(stack: BenchStack): Hostile[] {
  const batch = `xero:BatchPayment:${stack.sandbox<XeroSandboxHandle>('xero').dataset().batches[0].id}`;
  const fragment1000 = [...seededInvoiceIds(stack, 'fragment', 600), ...Array.from({ length: 400 }, (_, i) => `fragment:Invoice:inv_x${i}`)];
  const xero1000 = Array.from({ length: 1000 }, (_, i) => `xero:Invoice:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  const mixed1000 = [...seededInvoiceIds(stack, 'fragment', 600), ...seededInvoiceIds(stack, 'korint', 200), ...seededInvoiceIds(stack, 'xero', 200)];
  const json = (query: string, variables?: Record<string, unknown>) => JSON.stringify({ query, variables });
  return [
    { name: '20-level payments/batch cycle', body: json(batchCycleQuery(batch, 20)) },
    { name: '16-level payments/batch cycle', body: json(batchCycleQuery(batch, 16)) },
    { name: '100,000 aliases', body: json(aliasedLookupsQuery(['fragment:Invoice:inv_0001'], 100_000)) },
    { name: '100 aliases x 1000 ids ($ids)', body: json(aliasedListsQuery(100), { ids: mixed1000 }) },
    { name: '20 lists of 1000 Fragment ids', body: json(aliasedListsQuery(20), { ids: fragment1000 }) },
    { name: '3 x 1000 Xero ids', body: json(aliasedListsQuery(3), { ids: xero1000 }) },
    { name: '2,000-level document', body: json(deepDocument(2000)) },
  ];
}

const NORMAL = (stack: BenchStack) =>
  JSON.stringify({
    query: `query($ids: [ID!]!) { invoices(ids: $ids) { id status total { amount currency } } }`,
    variables: { ids: PROVIDER_KINDS.flatMap((kind) => seededInvoiceIds(stack, kind, 3)) },
  });

const upstreamCalls = (stack: BenchStack) => PROVIDER_KINDS.reduce((sum, kind) => sum + stack.sandbox(kind).calls.count(), 0);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<number> {
  setTimeout(() => {
    console.error('bench:hostile: still running after 5 minutes, giving up');
    process.exit(3);
  }, 300_000).unref();
  // The real limits: the defaults, rate limits included (the bench stack lifts those otherwise). Xero's own 60 a minute
  // is lifted: the normal queries sent after each abusive one would otherwise wait for it.
  const stack = await startBenchStack({ rateLimit: DEFAULT_RATE_LIMIT, settings: { xero: XERO_BENCH_SETTINGS } });
  liftXeroSandboxBudget(stack);
  const client = new Agent({ connections: 1 });
  let ok = true;
  try {
    const normal = NORMAL(stack);
    await postGraphQL(stack.url, normal, client); // warm-up: tokens, connections, JIT
    const start = sampleMemory();
    console.log(`limits: ${JSON.stringify(DEFAULT_LIMITS)}`);
    console.log(`RSS at start ${mb(start.rss)} (heap ${mb(start.heapUsed)}); ${ROUNDS} rounds each, median times`);
    console.log(['operation'.padEnd(32), 'doc'.padStart(8), 'status', 'code / limit'.padEnd(48), 'refused in', 'calls', 'next query', 'RSS before → after'].join('  '));
    for (const hostile of hostileQueries(stack)) {
      const before = sampleMemory();
      const times: number[] = [];
      const after: number[] = [];
      let status = 0;
      let code = '';
      let calls = 0;
      for (let round = 0; round < ROUNDS; round++) {
        for (const kind of PROVIDER_KINDS) stack.sandbox(kind).calls.reset();
        const started = performance.now();
        const result = await postGraphQL(stack.url, hostile.body, client);
        times.push(performance.now() - started);
        calls += upstreamCalls(stack);
        status = result.status;
        const error = result.answer.errors?.[0];
        code = `${error?.extensions?.code ?? '-'} / ${error?.extensions?.limit ?? '-'}`;
        const nextStarted = performance.now();
        const next = await postGraphQL(stack.url, normal, client);
        after.push(performance.now() - nextStarted);
        if (next.answer.errors || next.answer.data?.invoices?.length !== 9) ok = false;
      }
      const memory = sampleMemory();
      // Refused before execution: by a limit of ours (400), by the nesting guard before parsing (400, a parse error),
      // or by the body limit before it is read (413).
      const refused = (status === 400 && /^(QUERY_TOO_COMPLEX|GRAPHQL_PARSE_FAILED)/.test(code)) || status === 413;
      if (!refused || calls !== 0) ok = false;
      console.log(
        [
          hostile.name.padEnd(32),
          `${(hostile.body.length / 1024).toFixed(0)} KB`.padStart(8),
          String(status).padStart(6),
          code.padEnd(48),
          `${median(times).toFixed(1)} ms`.padStart(10),
          String(calls).padStart(5),
          `${median(after).toFixed(1)} ms`.padStart(10),
          `${mb(before.rss)} → ${mb(memory.rss)}`,
        ].join('  '),
      );
    }
    const end = sampleMemory();
    console.log(`RSS at end ${mb(end.rss)} (heap ${mb(end.heapUsed)}); every operation refused before execution with no upstream call: ${ok ? 'yes' : 'NO'}`);
  } finally {
    await client.close();
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
