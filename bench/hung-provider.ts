// `npm run bench:hung`: what one hung provider costs a query with the default settings (10 s call timeout, 30 s
// request deadline, two retries, breaker after 5 failures). Korint never answers; the query asks all three providers.
// The report gives the wall time of the answer, the codes and how many attempts the hung sandbox saw. Timings live here,
// not in the tests (test/gateway/fault-attribution.test.ts asserts the same outcome on scaled-down settings).
import { postGraphQL } from './support/graphql-client.js';
import { liftXeroSandboxBudget, startBenchStack, XERO_BENCH_SETTINGS } from './support/bench-stack.js';
import { seededInvoiceIds } from './support/seeded-ids.js';

const stack = await startBenchStack({ settings: { xero: XERO_BENCH_SETTINGS } });
liftXeroSandboxBudget(stack);
try {
  const korint = stack.sandbox('korint');
  const healthy = [...seededInvoiceIds(stack, 'fragment', 3), ...seededInvoiceIds(stack, 'xero', 3)];
  const hung = seededInvoiceIds(stack, 'korint', 3);
  // Warm up (tokens, connections) before the provider hangs.
  await postGraphQL(stack.url, { query: 'query($ids: [ID!]!) { invoices(ids: $ids) { id } }', variables: { ids: [...healthy, ...hung] } });
  korint.faults.inject({ routes: ['invoices'], hang: true });
  korint.calls.reset();
  const started = performance.now();
  const { answer } = await postGraphQL(stack.url, {
    query: 'query($ids: [ID!]!) { invoices(ids: $ids) { id } }',
    variables: { ids: [...healthy, ...hung] },
  });
  const seconds = (performance.now() - started) / 1000;
  const served = (answer.data?.invoices as Array<{ id: string } | null>).filter((invoice) => invoice !== null).length;
  const codes = [...new Set((answer.errors ?? []).map((e) => `${e.extensions?.code}/${e.extensions?.source}`))];
  console.log(
    `hung Korint, default settings: answered in ${seconds.toFixed(2)} s; ${served}/${healthy.length} healthy invoices served; ` +
      `errors ${codes.join(', ')}; attempts the hung sandbox saw: ${korint.calls.count('invoices')}`,
  );
} finally {
  await stack.close();
}
