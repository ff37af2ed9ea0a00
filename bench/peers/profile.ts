// `node --import tsx bench/peers/profile.ts [query-index] [requests] [cpu|heap]`: this gateway (compiled, with the
// start script's node flags) under `node --cpu-prof` (or V8's sampling heap profiler, heap-sampler.mjs) over the bench
// mock, one of bench/peers' queries sent `requests` times over 10 connections; prints where the CPU (or the allocated
// bytes) went, by function and by package, and leaves the profile in bench/reports/profiles/ for Chrome DevTools.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort, gatewayOverMockEnv, startChild, startFlags } from './processes.js';
import { BENCH_QUERIES } from './queries.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REPORTS = `${ROOT}bench/reports/profiles`;
const query = BENCH_QUERIES[Number(process.argv[2] ?? 0)];
const requests = Number(process.argv[3] ?? 400);
const mode = process.argv[4] === 'heap' ? 'heap' : 'cpu';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}
interface HeapNode {
  callFrame: ProfileNode['callFrame'];
  selfSize: number;
  children: HeapNode[];
}

function tally(weights: Array<[ProfileNode['callFrame'], number]>, unit: string): void {
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  let total = 0;
  for (const [{ functionName, url, lineNumber }, weight] of weights) {
    const where = url.replace(/^file:\/\//, '').replace(ROOT, '');
    const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where)?.[1] ?? (where.startsWith('dist/') ? where.split('/').slice(0, 3).join('/') : where || functionName);
    const name = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    fn.set(name, (fn.get(name) ?? 0) + weight);
    pkg.set(module, (pkg.get(module) ?? 0) + weight);
    total += weight;
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`).join('\n');
  console.log(`\nself ${unit} by function (top 30 of ${total.toFixed(0)})\n${top(fn, 30)}\n\nby package or file\n${top(pkg, 20)}`);
}

function summarise(profile: Profile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  tally(profile.samples.map((id) => [byId.get(id)!.callFrame, 1]), 'samples');
}

/** The sampled allocations of a heap profile, by the function that allocated (self size, in sampled bytes). */
function summariseHeap(head: HeapNode): void {
  const weights: Array<[ProfileNode['callFrame'], number]> = [];
  const visit = (node: HeapNode) => {
    if (node.selfSize > 0) weights.push([node.callFrame, node.selfSize]);
    node.children.forEach(visit);
  };
  visit(head);
  tally(weights, 'bytes');
}

async function main(): Promise<void> {
  spawnSync(process.execPath, [`${ROOT}scripts/build-if-stale.mjs`], { cwd: ROOT, stdio: 'inherit' });
  mkdirSync(REPORTS, { recursive: true });
  const mockPort = await freePort();
  const mock = await startChild({ name: 'mock', args: ['--import', 'tsx', `${ROOT}bench/peers/fragment-wire-mock.ts`], env: { PORT: String(mockPort) }, url: '', graphql: false });
  const mockUrl = `http://127.0.0.1:${mockPort}`;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  const gateway = await startChild({
    name: 'gateway',
    args: [
      ...startFlags(ROOT),
      ...(mode === 'heap' ? ['--import', `${ROOT}bench/peers/heap-sampler.mjs`] : ['--cpu-prof', `--cpu-prof-dir=${REPORTS}`]),
      `${ROOT}dist/src/main.js`,
    ],
    cwd: ROOT,
    url,
    graphql: true,
    env: {
      ...gatewayOverMockEnv(port, mockUrl),
      HEAP_SAMPLER_FILE: `${REPORTS}/Heap.${Date.now()}.heapprofile`,
    },
  });
  const before = new Set(readdirSync(REPORTS));
  const send = (amount: number) =>
    autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body: query.body.gateway, connections: 10, amount });
  await send(Math.ceil(requests / 4));
  await send(requests);
  // SIGINT lets the gateway stop cleanly, which writes the profile.
  gateway.process.kill('SIGINT');
  await new Promise((resolve) => gateway.process.once('exit', resolve));
  await mock.stop();
  const written = readdirSync(REPORTS).filter((f) => f.endsWith(mode === 'heap' ? '.heapprofile' : '.cpuprofile') && !before.has(f));
  if (written.length === 0) throw new Error('no profile was written');
  console.log(`${query.name}: ${requests} requests after a warm-up; profile ${REPORTS}/${written[0]}`);
  const profile = JSON.parse(readFileSync(`${REPORTS}/${written[0]}`, 'utf8'));
  if (mode === 'heap') summariseHeap((profile as { head: HeapNode }).head);
  else summarise(profile as Profile);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
