// `npm run bench:startup`: how long `npm start`'s process takes from spawn to its first GraphQL answer, and its RSS once
// idle, over the built-in sandboxes: the compiled build (what `npm start` runs) beside the TypeScript sources on tsx.
// Medians of RUNS (5) starts each, alternating.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, memoryMb, startChild, startFlags } from './peers/processes.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.STARTUP_RUNS ?? 5);
const WAYS = {
  'compiled (npm start)': [...startFlags(ROOT), `${ROOT}dist/src/main.js`],
  'tsx (sources)': ['--import', 'tsx', `${ROOT}src/main.ts`],
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function once(args: string[]): Promise<{ ms: number; rssMb: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = await startChild({ name: 'gateway', args, cwd: ROOT, url: `http://127.0.0.1:${port}/graphql`, graphql: true, env: { PORT: String(port), LOG_LEVEL: 'warn' } });
  const ms = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const rssMb = memoryMb(child.pid, 'VmRSS');
  await child.stop();
  return { ms, rssMb };
}

async function main(): Promise<void> {
  const built = spawnSync(process.execPath, [`${ROOT}scripts/build-if-stale.mjs`], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('the build failed');
  const results = new Map<string, Array<{ ms: number; rssMb: number }>>();
  for (let run = 0; run < RUNS; run++) {
    for (const [name, args] of Object.entries(WAYS)) results.set(name, [...(results.get(name) ?? []), await once(args)]);
  }
  console.log(`\nstart to first GraphQL answer, and RSS 2 s later (idle), over the sandboxes; medians of ${RUNS}`);
  for (const [name, runs] of results) {
    console.log(`  ${name.padEnd(22)} ${median(runs.map((r) => r.ms)).toFixed(0).padStart(6)} ms ${median(runs.map((r) => r.rssMb)).toFixed(0).padStart(6)} MB`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
