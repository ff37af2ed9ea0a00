// `node --import tsx bench/peers/flags-ab.ts "<flags A>" "<flags B>" ...`: this gateway (compiled) started with each set
// of node flags in turn over the bench mock, pinned to one core; per set: CPU ms per request of bench/peers' three
// queries (10 connections) and the peak RSS. For choosing the start script's V8 flags (docs/performance.md).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { cpuMs, freePort, gatewayOverMockEnv, HAS_TASKSET, memoryMb, startChild } from './processes.js';
import { BENCH_QUERIES } from './queries.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const sets = process.argv.slice(2);
const REQUESTS = [1500, 900, 150];

async function main(): Promise<void> {
  if (HAS_TASKSET) spawnSync('taskset', ['-pc', '0', String(process.pid)], { stdio: 'ignore' });
  spawnSync(process.execPath, [`${ROOT}scripts/build-if-stale.mjs`], { cwd: ROOT, stdio: 'inherit' });
  const mockPort = await freePort();
  const mock = await startChild({ name: 'mock', args: ['--import', 'tsx', `${ROOT}bench/peers/fragment-wire-mock.ts`], env: { PORT: String(mockPort) }, url: '', graphql: false, core: 0 });
  const mockUrl = `http://127.0.0.1:${mockPort}`;
  try {
    for (const set of sets) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/graphql`;
      const gateway = await startChild({
        name: 'gateway',
        args: [...set.split(/\s+/).filter(Boolean), `${ROOT}dist/src/main.js`],
        cwd: ROOT,
        core: 1,
        url,
        graphql: true,
        env: gatewayOverMockEnv(port, mockUrl),
      });
      const figures: string[] = [];
      for (const [i, query] of BENCH_QUERIES.entries()) {
        const send = (amount: number) =>
          autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body: query.body.gateway, connections: 10, amount });
        await send(Math.ceil(REQUESTS[i] / 3));
        const before = cpuMs(gateway.pid);
        const result = await send(REQUESTS[i]);
        figures.push(`${((cpuMs(gateway.pid) - before) / result.requests.total).toFixed(2)} (p50 ${result.latency.p50})`);
      }
      console.log(`${(set || '(none)').padEnd(40)} CPU ms/req ${figures.join('  ')}   peak RSS ${memoryMb(gateway.pid, 'VmHWM').toFixed(0)} MB`);
      await gateway.stop();
    }
  } finally {
    await mock.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
