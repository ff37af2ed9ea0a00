// Child processes for bench/peers: started on a free loopback port, pinned to a core when taskset exists, and read
// from /proc for CPU time and memory (the figures that survive a busy machine).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'undici';
import { freePort } from '../../test/support/free-port.js';
import { BENCH_RATE_LIMIT } from '../support/bench-stack.js';

export interface Child {
  name: string;
  pid: number;
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHooked = false;

/** Children never outlive the bench: they are killed when it exits, is interrupted or is terminated. */
function killChildrenOnExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => process.exit(130));
}

const CLOCK_TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
export { freePort };
export const HAS_TASKSET = spawnSync('taskset', ['-V']).status === 0;


/**
 * The node flags of `npm start` in the checkout at `root` (package.json's `start`: `node [flags] dist/src/main.js`), so a
 * bench starts the gateway exactly as production does.
 */
export function startFlags(root: string): string[] {
  const start: string = JSON.parse(readFileSync(`${root.replace(/\/$/, '')}/package.json`, 'utf8')).scripts?.start ?? '';
  const words = start.trim().split(/\s+/);
  if (words[0] !== 'node') return [];
  return words.slice(1).filter((word) => word.startsWith('--'));
}

/**
 * The environment of the gateway over the Fragment wire mock at `mockUrl`, as every bench of bench/peers starts it: no
 * sandboxes, no authentication, production mode, and per-client budgets lifted (every request comes from one address:
 * they would measure the rate limiter, bench-stack.ts).
 */
export function gatewayOverMockEnv(port: number, mockUrl: string): Record<string, string> {
  return {
    PORT: String(port),
    GATEWAY_SANDBOX: '0',
    GATEWAY_AUTH: 'none',
    GATEWAY_RATE_LIMIT_REQUESTS_PER_MINUTE: String(BENCH_RATE_LIMIT.requestsPerMinute),
    GATEWAY_RATE_LIMIT_UPSTREAM_CALLS_PER_MINUTE: String(BENCH_RATE_LIMIT.upstreamCallsPerMinute),
    FRAGMENT_BASE_URL: mockUrl,
    FRAGMENT_TOKEN_URL: `${mockUrl}/oauth2/token`,
    FRAGMENT_CLIENT_ID: 'bench-client',
    FRAGMENT_CLIENT_SECRET: 'bench-secret',
    NODE_ENV: 'production',
  };
}

/** utime + stime of `pid` in milliseconds. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat(5); the slice starts at field 3.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** A memory figure of `pid` from /proc/<pid>/status, in MB (VmRSS now, VmHWM the peak so far). */
export function memoryMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
  return line ? Number(line.split(/\s+/)[1]) / 1024 : NaN;
}

async function waitForGraphQL(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < 60_000) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      await res.body.text();
      if (res.statusCode === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`did not answer within 60 s:\n${log()}`);
}

/** Starts `node <args>` on `port`, pinned to `core` when given, and waits until `url` answers a GraphQL query. */
export async function startChild(options: {
  name: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  core?: number;
  url: string;
  /** Poll `url` with `{ __typename }` (GraphQL servers); otherwise wait for a first line on stdout. */
  graphql: boolean;
}): Promise<Child> {
  const command = options.core !== undefined && HAS_TASKSET ? 'taskset' : process.execPath;
  const args = command === 'taskset' ? ['-c', String(options.core), process.execPath, ...options.args] : options.args;
  killChildrenOnExit();
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  const keep = (chunk: Buffer) => {
    // Keep the last few KB for a failure message; the rest is drained and dropped.
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  try {
    if (options.graphql) await waitForGraphQL(options.url, child, () => output);
    else
      await new Promise<void>((resolve, reject) => {
        child.stdout!.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`${options.name} exited with ${code}:\n${output}`)));
      });
  } catch (error) {
    await stop();
    throw new Error(`${options.name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { name: options.name, pid: child.pid!, url: options.url, process: child, stop };
}

/** Installs Hive Gateway's own dependencies (bench/peers/hive/package.json) once; not part of the main install. */
export function ensureHiveInstalled(dir: string): void {
  if (existsSync(`${dir}/node_modules/@graphql-hive/gateway/dist/bin.js`) && existsSync(`${dir}/node_modules/.bin/mesh-compose`)) return;
  console.log('installing Hive Gateway and GraphQL Mesh into bench/peers/hive (once) ...');
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm install in bench/peers/hive failed');
}

/** Composes the Mesh supergraph over the mock's OpenAPI (the mock's origin is written into it). */
export function composeSupergraph(dir: string, mockUrl: string): void {
  const result = spawnSync(process.execPath, [`${dir}/node_modules/.bin/mesh-compose`, '-o', 'supergraph.graphql'], {
    cwd: dir,
    env: { ...process.env, MOCK_URL: mockUrl },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`mesh-compose failed:\n${result.stdout}\n${result.stderr}`);
}
