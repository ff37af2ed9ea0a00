// listInvoices over a large sandbox: 10,000 seeded invoices over three sources (LIST_INVOICES, default 10000) and the
// seeds' same-second bursts (Fragment), busy days (Xero) and billing runs (Korint) on top, read page by page (LIST_FIRST,
// default 100) to the end, through the gateway's HTTP server. Prints each page's upstream calls per source and its
// time, then the first and last tenth side by side (medians): calls and time must stay flat from the first page to the
// last (a page never re-reads the upstream pages behind it). Exits 1 when an invoice is missing or repeated, or when the
// last tenth costs more than twice the first in calls or in the gateway's own time (the page's time less its slowest
// source's: each sandbox call sorts and serializes its whole data set, and shared machines make that time noisy, so it
// is printed but not judged).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { providers } from '../adapters/index.js';
import type { FragmentSandboxHandle } from '../adapters/fragment/sandbox/fragment-sandbox.js';
import type { KorintSandboxHandle } from '../adapters/korint/sandbox/korint-sandbox.js';
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
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : (sorted[Math.floor((sorted.length - 1) / 2)] + sorted[Math.ceil((sorted.length - 1) / 2)]) / 2;
};

async function main(): Promise<void> {
  const share = Math.floor(TOTAL / KINDS.length);
  const counts = { fragment: TOTAL - 2 * share, korint: share, xero: share };
  const sandboxes = await startSandboxes(providers, { invoiceCounts: counts });
  const xero = sandboxes.handle<XeroSandboxHandle>('xero');
  Object.assign(xero.limits, { perMinute: BENCH_XERO_PER_MINUTE, perDay: BENCH_XERO_PER_MINUTE, appPerMinute: BENCH_XERO_PER_MINUTE });
  const sources = sandboxes.specs.map((spec) => (spec.provider.kind === 'xero' ? { ...spec, settings: { ...spec.settings, ...XERO_BENCH_SETTINGS } } : spec));
  const gateway = createGateway({ sources, rateLimit: BENCH_RATE_LIMIT });
  // What the sandboxes hold: the seeded invoices and the shapes that share a key.
  const fragmentIds = sandboxes.handle<FragmentSandboxHandle>('fragment').store.ids();
  const korintInvoices = sandboxes.handle<KorintSandboxHandle>('korint').invoices;
  const xeroInvoices = xero.dataset().invoices;
  const upstream = fragmentIds.length + korintInvoices.length + xeroInvoices.length;
  const perDay = new Map<number, number>();
  for (const invoice of xeroInvoices) perDay.set(invoice.dateMs, (perDay.get(invoice.dateMs) ?? 0) + 1);
  const shapes = {
    fragmentBurstInvoices: fragmentIds.filter((id) => id.startsWith('inv_burst_')).length,
    korintRunInvoices: korintInvoices.filter((invoice) => invoice.id.startsWith('kor_inv_run_')).length,
    xeroLargestDay: Math.max(...perDay.values()),
    xeroDaysOver100: [...perDay.values()].filter((count) => count > 100).length,
  };
  const server = createServer(gateway.yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  console.log(`listInvoices(first: ${FIRST}, orderBy: ${ORDER}) over ${upstream} invoices: ${TOTAL} seeded (${JSON.stringify(counts)}) and ${JSON.stringify(shapes)}`);

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
    ms: median(part.map((r) => r.ms)),
    upstreamMs: median(part.map((r) => r.upstreamMs)),
    ownMs: median(part.map((r) => Math.max(0, r.ms - r.upstreamMs))),
    calls: mean(part.map((r) => KINDS.reduce((sum, k) => sum + r.calls[k], 0))),
    maxCallsPerSource: Math.max(...part.flatMap((r) => KINDS.map((k) => r.calls[k]))),
  });
  // The first page also warms the JIT and opens connections: the first tenth starts at the second page.
  const first = summary(rows.slice(1, tenth + 1));
  const last = summary(rows.slice(-tenth));
  const line = (s: ReturnType<typeof summary>) =>
    `${s.ms.toFixed(1)} ms/page (slowest source ${s.upstreamMs.toFixed(1)} ms, gateway ${s.ownMs.toFixed(1)} ms), ${s.calls.toFixed(2)} calls/page, at most ${s.maxCallsPerSource} per source`;
  console.log(`\n${rows.length} pages, ${seen.size} distinct invoices of ${upstream}, ${repeated} repeated`);
  console.log(`first tenth (pages 2-${tenth + 1}, medians): ${line(first)}`);
  console.log(`last tenth (medians):  ${line(last)}`);
  const maxBySource = Object.fromEntries(KINDS.map((k) => [k, Math.max(...rows.map((r) => r.calls[k]))]));
  console.log(`most listing calls one page made, per source: ${JSON.stringify(maxBySource)}`);
  console.log(`last/first: time ${(last.ms / first.ms).toFixed(2)}x (gateway ${(last.ownMs / Math.max(1, first.ownMs)).toFixed(2)}x), calls ${(last.calls / first.calls).toFixed(2)}x`);
  // A few milliseconds of slack: the gateway's own time per page is small and the machine shared.
  const flat = last.ownMs <= 2 * first.ownMs + 10 && last.calls <= first.calls * 2;
  if (seen.size !== upstream || repeated > 0 || !flat) {
    console.error('FAILED: every invoice exactly once, and flat cost from the first page to the last, were expected');
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
