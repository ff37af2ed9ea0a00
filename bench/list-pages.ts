// listInvoices over a large sandbox: 10,000 invoices over three sources (LIST_INVOICES, default 10000), read page by
// page (LIST_FIRST, default 100) to the end, through the gateway's HTTP server. Prints each page's upstream calls per
// source and its time, then the first and last tenth side by side: both must stay flat from the first page to the last
// (a page never re-reads the upstream pages behind it). Exits 1 when an invoice is missing or repeated, or when the last
// tenth costs more than twice the first in calls or time.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { providers } from '../adapters/index.js';
import type { XeroSandboxHandle } from '../adapters/xero/sandbox/xero-sandbox.js';
import { createGateway } from '../src/gateway.js';
import { startSandboxes } from '../src/sandboxes.js';
import { BENCH_RATE_LIMIT, BENCH_XERO_PER_MINUTE, XERO_BENCH_SETTINGS } from './support/bench-stack.js';
import { postGraphQL } from './support/graphql-client.js';

const TOTAL = Number(process.env.LIST_INVOICES ?? 10_000);
const FIRST = Number(process.env.LIST_FIRST ?? 100);
const ORDER = process.env.LIST_ORDER ?? 'ISSUED_AT_DESC';
const KINDS = ['fragment', 'korint', 'xero'];
const LISTING_ROUTE: Record<string, string> = { fragment: 'search', korint: 'invoices', xero: 'invoices' };

const QUERY = `query($first: Int, $after: String, $orderBy: InvoiceOrder) {
  listInvoices(first: $first, after: $after, orderBy: $orderBy) {
    nodes { id status amountDue { amount currency } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);

async function main(): Promise<void> {
  const share = Math.floor(TOTAL / KINDS.length);
  const counts = { fragment: TOTAL - 2 * share, korint: share, xero: share };
  const sandboxes = await startSandboxes(providers, { invoiceCounts: counts });
  const xero = sandboxes.handle<XeroSandboxHandle>('xero');
  Object.assign(xero.limits, { perMinute: BENCH_XERO_PER_MINUTE, perDay: BENCH_XERO_PER_MINUTE, appPerMinute: BENCH_XERO_PER_MINUTE });
  const sources = sandboxes.specs.map((spec) => (spec.provider.kind === 'xero' ? { ...spec, settings: { ...spec.settings, ...XERO_BENCH_SETTINGS } } : spec));
  const gateway = createGateway({ sources, rateLimit: BENCH_RATE_LIMIT });
  const server = createServer(gateway.yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  console.log(`listInvoices(first: ${FIRST}, orderBy: ${ORDER}) over ${TOTAL} invoices (${JSON.stringify(counts)})`);

  const seen = new Set<string>();
  let repeated = 0;
  const rows: Array<{ ms: number; upstreamMs: number; calls: Record<string, number> }> = [];
  let after: string | null = null;
  try {
    do {
      for (const kind of KINDS) sandboxes.handle(kind).calls.reset();
      const started = performance.now();
      const { answer } = await postGraphQL(url, { query: QUERY, variables: { first: FIRST, after, orderBy: ORDER } });
      const ms = performance.now() - started;
      if (answer.errors) throw new Error(JSON.stringify(answer.errors).slice(0, 500));
      const connection = answer.data.listInvoices as { nodes: Array<{ id: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } };
      for (const node of connection.nodes) {
        if (seen.has(node.id)) repeated += 1;
        seen.add(node.id);
      }
      const calls = Object.fromEntries(KINDS.map((kind) => [kind, sandboxes.handle(kind).calls.count(LISTING_ROUTE[kind])]));
      // The slowest source's time in its calls (they run concurrently): the rest of the page's time is the gateway's.
      const upstream = (answer.extensions?.upstream ?? {}) as Record<string, { timeMs: number }>;
      const upstreamMs = Math.max(0, ...Object.values(upstream).map((s) => s.timeMs));
      rows.push({ ms, upstreamMs, calls });
      console.log(
        `page ${String(rows.length).padStart(4)}  ${String(connection.nodes.length).padStart(3)} invoices  ${ms.toFixed(1).padStart(7)} ms` +
          ` (slowest source ${upstreamMs.toFixed(0)} ms)  calls ${KINDS.map((k) => `${k} ${calls[k]}`).join(', ')}`,
      );
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
    } while (after);
  } finally {
    server.closeAllConnections();
    server.close();
    await gateway.close();
    await sandboxes.close();
  }

  const tenth = Math.max(1, Math.floor(rows.length / 10));
  const summary = (part: typeof rows) => ({
    ms: mean(part.map((r) => r.ms)),
    upstreamMs: mean(part.map((r) => r.upstreamMs)),
    calls: mean(part.map((r) => KINDS.reduce((sum, k) => sum + r.calls[k], 0))),
    maxCallsPerSource: Math.max(...part.flatMap((r) => KINDS.map((k) => r.calls[k]))),
  });
  // The first page also warms the JIT and opens connections: the first tenth starts at the second page.
  const first = summary(rows.slice(1, tenth + 1));
  const last = summary(rows.slice(-tenth));
  console.log(`\n${rows.length} pages, ${seen.size} distinct invoices of ${TOTAL}, ${repeated} repeated`);
  console.log(`first tenth (pages 2-${tenth + 1}): ${first.ms.toFixed(1)} ms/page (slowest source ${first.upstreamMs.toFixed(1)} ms), ${first.calls.toFixed(2)} calls/page, at most ${first.maxCallsPerSource} per source`);
  console.log(`last tenth:  ${last.ms.toFixed(1)} ms/page (slowest source ${last.upstreamMs.toFixed(1)} ms), ${last.calls.toFixed(2)} calls/page, at most ${last.maxCallsPerSource} per source`);
  const maxBySource = Object.fromEntries(KINDS.map((k) => [k, Math.max(...rows.map((r) => r.calls[k]))]));
  console.log(`most listing calls one page made, per source: ${JSON.stringify(maxBySource)}`);
  console.log(`last/first: time ${(last.ms / first.ms).toFixed(2)}x, calls ${(last.calls / first.calls).toFixed(2)}x`);
  const flat = last.ms / first.ms < 2 && last.calls <= first.calls * 2;
  if (seen.size !== TOTAL || repeated > 0 || !flat) {
    console.error('FAILED: every invoice exactly once, and flat cost from the first page to the last, were expected');
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
