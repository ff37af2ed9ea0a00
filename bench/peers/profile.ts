// `node --import tsx bench/peers/profile.ts [query-index] [requests]`: this gateway (compiled) under `node --cpu-prof`
// over the bench mock, one of bench/peers' queries sent `requests` times over 10 connections; prints where the CPU went
// (self time by function and by package) and leaves the .cpuprofile in bench/reports/ for Chrome DevTools.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort, startChild } from './processes.js';
import { BENCH_QUERIES } from './queries.js';
import { BENCH_RATE_LIMIT } from '../support/bench-stack.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REPORTS = `${ROOT}bench/reports/profiles`;
const query = BENCH_QUERIES[Number(process.argv[2] ?? 0)];
const requests = Number(process.argv[3] ?? 400);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

function summarise(profile: Profile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  for (const id of profile.samples) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const where = url.replace(/^file:\/\//, '').replace(ROOT, '');
    const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where)?.[1] ?? (where.startsWith('dist/') ? where.split('/').slice(0, 3).join('/') : where || functionName);
    fn.set(`${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`, (fn.get(`${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`) ?? 0) + 1);
    pkg.set(module, (pkg.get(module) ?? 0) + 1);
  }
  const total = profile.samples.length;
  const top = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`).join('\n');
  console.log(`\nself time by function (top 30 of ${total} samples)\n${top(fn, 30)}\n\nby package or file\n${top(pkg, 20)}`);
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
    args: ['--cpu-prof', `--cpu-prof-dir=${REPORTS}`, `${ROOT}dist/src/main.js`],
    cwd: ROOT,
    url,
    graphql: true,
    env: {
      PORT: String(port),
      GATEWAY_SANDBOX: '0',
      GATEWAY_AUTH: 'none',
      // Every request comes from one address: the per-client budgets would measure the rate limiter (bench-stack.ts).
      GATEWAY_RATE_LIMIT_REQUESTS_PER_MINUTE: String(BENCH_RATE_LIMIT.requestsPerMinute),
      GATEWAY_RATE_LIMIT_UPSTREAM_CALLS_PER_MINUTE: String(BENCH_RATE_LIMIT.upstreamCallsPerMinute),
      FRAGMENT_BASE_URL: mockUrl,
      FRAGMENT_TOKEN_URL: `${mockUrl}/oauth2/token`,
      FRAGMENT_CLIENT_ID: 'bench-client',
      FRAGMENT_CLIENT_SECRET: 'bench-secret',
      NODE_ENV: 'production',
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
  const written = readdirSync(REPORTS).filter((f) => f.endsWith('.cpuprofile') && !before.has(f));
  if (written.length === 0) throw new Error('no profile was written');
  console.log(`${query.name}: ${requests} requests after a warm-up; profile ${REPORTS}/${written[0]}`);
  summarise(JSON.parse(readFileSync(`${REPORTS}/${written[0]}`, 'utf8')) as Profile);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
